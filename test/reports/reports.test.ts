import fs from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import {
  buildReport,
  exportReport,
  renderReport,
  reportFileName,
  type ReportData,
} from '../../electron/main/reports';
import type { Sample } from '../../shared/sample';
import {
  arraySource,
  config,
  DAY,
  down,
  HOUR,
  httpTarget,
  MIN,
  series,
  T0,
  up,
} from '../analysis/helpers';

const schema = JSON.parse(
  fs.readFileSync(new URL('../../resources/schemas/report.schema.json', import.meta.url), 'utf8'),
) as object;
const validate = new Ajv({ allErrors: true, strict: true }).compile(schema);

function expectValid(json: string): void {
  const ok = validate(JSON.parse(json));
  expect(validate.errors ?? []).toEqual([]);
  expect(ok).toBe(true);
}

const cfg = config({
  targets: [httpTarget('api', 'API <main> | v2'), httpTarget('gw', 'Gateway')],
});

/**
 * Two days: the day before the window is clean; in the window the API is down for exactly
 * 30 minutes, the gateway's p95 doubles, its quality metric drops, and the machine sleeps
 * for an hour.
 */
function history(): Sample[] {
  const from = T0 - DAY;
  const outage = T0 + 6 * HOUR;
  const sleep = T0 + 12 * HOUR;
  return series(
    from,
    T0 + DAY,
    MIN,
    (t) => ({
      api: t >= outage && t < outage + 30 * MIN ? down('HTTP 502 <bad gateway>') : up(20),
      gw: { up: 1, ms: t < T0 ? 100 : 200, st: 200, m: { quality: t < T0 ? 0.9 : 0.7 } },
    }),
    (t) => ({ cpu: 20, mem: 50, disk: { '/': 40 + (t - from) / DAY } }),
  ).filter((s) => s.t < sleep || s.t >= sleep + HOUR);
}

const window = { from: T0, to: T0 + DAY };
const opts = { timeZone: 'UTC', now: T0 + DAY + 5 * MIN };

async function report(): Promise<ReportData> {
  return buildReport(arraySource(history()), config({ ...cfg, interval: 60 }), window, opts);
}

describe('buildReport', () => {
  it('compares with the previous window of the same length', async () => {
    const r = await report();
    expect(r.label).toBe('24h');
    expect(r.previous).toMatchObject({ from: T0 - DAY, to: T0 });
    expect(r.previous!.targets.api.uptimePct).toBe(100);
    const texts = r.changes.map((c) => c.text);
    expect(texts).toContain('API <main> | v2 incidents 0 → 1');
    expect(texts.some((t) => /^Gateway p95 latency 100 ms → 200 ms \(\+100 %\)$/.test(t))).toBe(
      true,
    );
    expect(texts.some((t) => t.startsWith('Gateway quality average 0.900 → 0.700'))).toBe(true);
    // Worse changes come first.
    expect(r.changes[0].worse).toBe(true);
    const api = r.analysis.targets.find((t) => t.id === 'api')!;
    expect(api.downMs).toBe(30 * MIN);
    expect(api.uptimePct).toBeCloseTo((100 * (23 * 60 - 30)) / (23 * 60), 10);
  });
});

describe('renderReport', () => {
  it('writes JSON that the published schema accepts', async () => {
    const json = renderReport(await report(), 'json');
    expectValid(json);
    expect(JSON.parse(json)).toMatchObject({ schemaVersion: 1, label: '24h' });
  });

  it('rejects JSON that breaks the schema (the schema is not a rubber stamp)', async () => {
    const r = JSON.parse(renderReport(await report(), 'json')) as Record<string, unknown>;
    expect(validate({ ...r, schemaVersion: 2 })).toBe(false);
    expect(
      validate({ ...r, analysis: { ...(r.analysis as object), targets: [{ id: 'x' }] } }),
    ).toBe(false);
  });

  it('writes Markdown with every section and the figures known by construction', async () => {
    const md = renderReport(await report(), 'md');
    for (const h of [
      '# OpsPulse report, last 24h',
      '## Summary',
      '## What changed (against the previous 24 hours)',
      '## Uptime per service',
      '## Performance statistics (successful probes)',
      '## Incidents',
      '## Quality trends (custom metrics)',
      '## Latency trends (daily p95)',
      '## Daily uptime',
      '## System resources',
      '## Gaps',
      '## Notes',
    ])
      expect(md).toContain(h);
    expect(md).toContain('docs/definitions.md');
    const rows = md.split('\n');
    const row = (start: string): string[] =>
      rows
        .find((l) => l.startsWith(start))!
        .split(/(?<!\\)\|/)
        .map((c) => c.trim())
        .filter(Boolean);
    // The name's pipe is escaped so the table keeps its columns.
    const uptime = row('| API <main> \\| v2 | 97.82 %');
    // Down, then degraded time (none) and unobserved time (the history's 23 h of 24), then
    // the incidents.
    expect(uptime.slice(0, 8)).toEqual([
      'API <main> \\| v2',
      '97.82 %',
      '97.82 %',
      '1380',
      '30 min',
      '–',
      '1 h',
      '1',
    ]);
    expect(row('| API <main> \\| v2 | 2026-01-05 06:00')).toEqual([
      'API <main> \\| v2',
      '2026-01-05 06:00',
      '2026-01-05 06:30',
      '30 min',
      'HTTP 502 <bad gateway>',
    ]);
    expect(row('| 2026-01-05 12:00 |')).toEqual(['2026-01-05 12:00', '2026-01-05 13:00', '1 h']);
    expect(row('| Gateway | quality |').slice(2, 6)).toEqual([
      '0.700',
      '0.700',
      '0.700',
      '0.700 → 0.700',
    ]);
    // The incident that is new this window, marked worse in the comparison table.
    const apiRow = rows.find((l) => l.startsWith('| API <main> \\| v2 ') && l.includes('0 → 1'));
    expect(apiRow).toContain('⚠ worse');
    expect(md).toContain('Data: raw samples (exact figures)');
  });

  it('writes one self-contained HTML page with inline SVG charts, dark mode and print CSS', async () => {
    const html = renderReport(await report(), 'html');
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(/i);
    expect(html).not.toMatch(/(src|href)=/i);
    expect(html).toContain("default-src 'none'");
    expect(html).toContain('@media (prefers-color-scheme: dark)');
    expect(html).toContain('@media print');
    expect((html.match(/<svg /g) ?? []).length).toBeGreaterThanOrEqual(4);
    // The latency chart plots what its section's table holds: daily p95.
    expect(html).toContain('<figcaption>Latency, daily p95 (successful probes) (ms)</figcaption>');
    expect(html).toContain('<figcaption>CPU, memory and disk (%)</figcaption>');
    // User text is escaped everywhere.
    expect(html).toContain('API &lt;main&gt; | v2');
    expect(html).toContain('HTTP 502 &lt;bad gateway&gt;');
    expect(html).not.toContain('<main> |');
    expect(html).toMatch(/<td class="num">97\.82 %<\/td>/);
  });
});

describe('reports for awkward windows', () => {
  it('says clearly that an empty window has no data, in every format', async () => {
    const r = await buildReport(arraySource([]), cfg, window, opts);
    const md = renderReport(r, 'md');
    expect(md).toContain('No samples in this window');
    expect(md).toContain('_No incidents in this window._');
    expect(md).toContain('_No data in the previous window to compare with._');
    expectValid(renderReport(r, 'json'));
    expect(renderReport(r, 'html')).toContain('No samples in this window');
  });

  it('names an unknown target instead of failing', async () => {
    const r = await buildReport(
      arraySource(history()),
      cfg,
      { ...window, targets: ['nope'] },
      opts,
    );
    expect(r.analysis.unknownTargets).toEqual(['nope']);
    expect(renderReport(r, 'md')).toContain(
      'Unknown target(s), not in the config or the data: nope',
    );
    expectValid(renderReport(r, 'json'));
  });

  it('exports a named file with the right type', async () => {
    const file = await exportReport(
      arraySource(history()),
      cfg,
      { from: T0 + 12 * HOUR, to: T0 + DAY, format: 'html' },
      T0 + DAY,
      { timeZone: 'UTC' },
    );
    expect(file.filename).toBe('opspulse-report-2026-01-06T0000-12h.html');
    expect(file.mime).toBe('text/html; charset=utf-8');
    expect(file.content).toContain('<title>OpsPulse report, last 12h</title>');
    expect(reportFileName({ from: T0, to: T0 + 7 * DAY }, 'md')).toBe(
      'opspulse-report-2026-01-12T0000-7d.md',
    );
  });
});
