import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { registerReportCommand, resolveWindow } from '../../electron/main/cli/commands/report';
import { createProgram } from '../../electron/main/cli/program';
import { ConfigStore } from '../../electron/main/config/config-store';
import { SampleStore } from '../../electron/main/store/sample-store';
import { down, HOUR, MIN, series, up } from '../analysis/helpers';

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'opspulse-report-cli-'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

async function runReport(...args: string[]): Promise<void> {
  const program = createProgram().exitOverride();
  registerReportCommand(program);
  await program.parseAsync(['--data', dir, 'report', ...args], { from: 'user' });
}

const base = { format: 'md' as const, compare: true };

describe('resolveWindow', () => {
  const now = Date.UTC(2026, 10, 25, 12);
  it('reads --hours, --days and --from/--to', () => {
    expect(resolveWindow(base, now)).toEqual({ from: now - 24 * HOUR, to: now });
    expect(resolveWindow({ ...base, days: '7' }, now)).toEqual({ from: now - 168 * HOUR, to: now });
    expect(
      resolveWindow({ ...base, from: '2026-11-01T00:00Z', to: '2026-11-02T00:00Z' }, now),
    ).toEqual({ from: Date.UTC(2026, 10, 1), to: Date.UTC(2026, 10, 2) });
  });

  it('says what is wrong with a bad window', () => {
    expect(() => resolveWindow({ ...base, hours: '2', days: '1' }, now)).toThrow(
      'choose one of --hours, --days or --from/--to',
    );
    expect(() => resolveWindow({ ...base, hours: 'x' }, now)).toThrow(
      '--hours: expected a positive number, got "x"',
    );
    expect(() => resolveWindow({ ...base, from: 'yesterday' }, now)).toThrow(
      '--from: not a date/time: "yesterday"',
    );
    expect(() => resolveWindow({ ...base, to: '2026-11-01' }, now)).toThrow('--to needs --from');
    expect(() =>
      resolveWindow({ ...base, from: '2026-11-02T00:00Z', to: '2026-11-01T00:00Z' }, now),
    ).toThrow(/is not after "from"/);
  });
});

describe('opspulse report', () => {
  it('writes into reports/ with a latest copy, beside a daemon holding the store open', async () => {
    const config = await ConfigStore.open(dir);
    await config.update((c) => {
      c.interval = 60;
      c.targets.push({
        kind: 'tcp',
        id: 'db',
        name: 'Database',
        host: '127.0.0.1',
        port: 5432,
        timeoutMs: 5000,
        enabled: true,
      });
    });
    const now = Date.now();
    const outage = now - 2 * HOUR;
    const daemon = await SampleStore.open(dir);
    try {
      for (const s of series(now - 3 * HOUR, now, MIN, (t) => ({
        db: t >= outage && t < outage + 10 * MIN ? down() : up(),
      })))
        daemon.append(s);
      daemon.flush();

      await runReport('--hours', '3', '--format', 'html');
      const names = await fs.readdir(path.join(dir, 'reports'));
      expect(names).toContain('latest.html');
      const named = names.find((n) => /^opspulse-report-\d{4}-\d\d-\d\dT\d{4}-3h\.html$/.test(n));
      expect(named).toBeDefined();
      const html = await fs.readFile(path.join(dir, 'reports', 'latest.html'), 'utf8');
      expect(html).toBe(await fs.readFile(path.join(dir, 'reports', named!), 'utf8'));
      expect(html).toContain('<td>Database</td>');
      expect(html).toContain('10 min');

      const out = path.join(dir, 'out', 'r.json');
      await runReport('--hours', '3', '--format', 'json', '--out', out, '--targets', 'db');
      const json = JSON.parse(await fs.readFile(out, 'utf8')) as {
        analysis: { targets: { id: string; downMs: number; incidents: unknown[] }[] };
      };
      expect(json.analysis.targets.map((t) => [t.id, t.downMs, t.incidents.length])).toEqual([
        ['db', 10 * MIN, 1],
      ]);
    } finally {
      await daemon.close();
    }
  });

  it('refuses a report on unknown targets only, naming the configured ones', async () => {
    await fs.mkdir(path.join(dir, 'samples'), { recursive: true });
    await fs.writeFile(path.join(dir, 'config.json'), '{}');
    await expect(runReport('--targets', 'nope')).rejects.toThrow(
      'unknown target(s): nope (configured: none)',
    );
  });

  it('explains a data directory without a config, and one without samples', async () => {
    await expect(runReport()).rejects.toThrow(/holds no OpsPulse data \(no config\.json/);
    await fs.writeFile(path.join(dir, 'config.json'), '{}');
    await expect(runReport()).rejects.toThrow(/no OpsPulse data in .* \(no samples folder\)/);
  });
});
