import { describe, expect, it } from 'vitest';
import type { TargetAnalysis, WindowAnalysis } from '../../shared/analysis';
import { compareTargets, comparisonSection } from '../../electron/main/reports/comparison';
import type { PreviousSummary, ReportData } from '../../electron/main/reports/report-data';
import { reportSlos, sloSection } from '../../electron/main/reports/slo-section';
import { ConfigSchema } from '../../shared/config-schema';

const DAY = 86_400_000;

function target(
  id: string,
  uptimePct: number,
  p95: number,
  incidents: number,
  downMs: number,
): TargetAnalysis {
  return {
    id,
    name: id.toUpperCase(),
    samples: 1000,
    uptimePct,
    downMs,
    latency: { avg: null, min: null, max: null, p50: null, p95, p99: null },
    incidents: Array.from({ length: incidents }, () => ({
      target: id,
      start: 0,
      end: 1,
      durationMs: 1,
    })),
  } as unknown as TargetAnalysis;
}

function report(targets: TargetAnalysis[], prev: PreviousSummary['targets']): ReportData {
  return {
    analysis: { from: 7 * DAY, to: 14 * DAY, samples: 1000, targets } as unknown as WindowAnalysis,
    previous: { from: 0, to: 7 * DAY, samples: 1000, targets: prev, means: {} },
    changes: [],
  } as unknown as ReportData;
}

describe('comparison with the previous period', () => {
  const r = report(
    [
      target('api', 99.0, 120, 3, 3_600_000),
      target('db', 100, 5, 0, 0),
      target('queue', 99.99, 40, 0, 60_000),
    ],
    {
      api: { uptimePct: 99.9, p95: 100, incidents: 1, samples: 1000, downMs: 360_000 },
      db: { uptimePct: 100, p95: 5, incidents: 0, samples: 1000, downMs: 0 },
      queue: { uptimePct: 99.5, p95: 80, incidents: 2, samples: 1000, downMs: 1_800_000 },
    },
  );

  it('puts the biggest changes first and marks their direction', () => {
    const rows = compareTargets(r);
    expect(rows.map((c) => [c.id, c.worse, c.better])).toEqual([
      ['api', true, false],
      ['queue', false, true],
      ['db', false, false],
    ]);
    expect(rows[0]).toMatchObject({
      uptime: [99.9, 99.0],
      incidents: [1, 3],
      downMs: [360_000, 3_600_000],
    });
  });

  it('renders uptime, p95, incidents and downtime next to the previous week', () => {
    const s = comparisonSection(r);
    expect(s.title).toBe('Compared with the previous week');
    expect(s.table?.headers).toEqual([
      'Service',
      'Uptime',
      'p95',
      'Incidents',
      'Downtime',
      'Change',
    ]);
    expect(s.table?.rows[0][0]).toBe('API');
    expect(s.table?.rows[0][3]).toBe('1 → 3');
    expect(s.table?.rows[0][5]).toBe('⚠ worse');
    expect(s.table?.rows[1][5]).toBe('✓ better');
    expect(s.table?.rows[2][5]).toBe('= same');
  });
});

describe('objectives in a report', () => {
  it('judges each availability objective over the window', () => {
    const api = {
      ...target('api', 99, 100, 1, 0),
      samples: 1000,
      upSamples: 990,
    } as TargetAnalysis;
    const db = { ...target('db', 100, 5, 0, 0), samples: 1000, upSamples: 1000 } as TargetAnalysis;
    const cfg = ConfigSchema.parse({
      targets: [
        { id: 'api', name: 'API', kind: 'tcp', host: 'h', port: 1 },
        { id: 'db', name: 'DB', kind: 'tcp', host: 'h', port: 2 },
      ],
      slos: [{ target: 'api', availability: 99.5 }, { target: 'db' }],
    });
    const slos = reportSlos(cfg, { targets: [api, db] } as unknown as WindowAnalysis);
    expect(slos.map((s) => s.target)).toEqual(['api', 'db']);
    expect(slos[0].achievedPct).toBeCloseTo(99, 9);
    expect(slos[0].budgetUsed).toBeCloseTo(2, 9);
    expect(slos[1].budgetUsed).toBe(0);
    const s = sloSection({ slos } as unknown as ReportData);
    expect(s.table?.rows).toEqual([
      ['API', '99.5 %', '99.000 %', '200 %', '⚠ no'],
      ['DB', '99.5 %', '100.000 %', '0 %', '✓ yes'],
    ]);
  });
});
