import { describe, expect, it } from 'vitest';
import { parseZonedTime } from '../../electron/main/analysis/days';
import { SeriesTracker } from '../../electron/main/analysis/series-tracker';
import { resolveWindow } from '../../electron/main/cli/commands/report';
import { reportTitle } from '../../electron/main/reports/build';
import { reportSections } from '../../electron/main/reports/sections';
import { buildReport } from '../../electron/main/reports';
import { arraySource, config, DAY, HOUR, MIN, series, T0, up } from '../analysis/helpers';

describe('--from/--to: one time-zone rule', () => {
  it('reads dates and date-times without an offset as wall time in --tz, with one as given', () => {
    const berlin = 'Europe/Berlin';
    // A date alone is its local midnight, the same as the date-time at 00:00.
    expect(parseZonedTime('2026-11-24', berlin)).toBe(Date.UTC(2026, 10, 23, 23));
    expect(parseZonedTime('2026-11-24T00:00', berlin)).toBe(Date.UTC(2026, 10, 23, 23));
    expect(parseZonedTime('2026-07-01T12:30', 'America/New_York')).toBe(
      Date.UTC(2026, 6, 1, 16, 30),
    );
    expect(parseZonedTime('2026-11-24T00:00Z', berlin)).toBe(Date.UTC(2026, 10, 24));
    expect(parseZonedTime('2026-11-24T01:00+01:00', 'UTC')).toBe(Date.UTC(2026, 10, 24));
    expect(parseZonedTime('2026-02-30', 'UTC')).toBeNull();
    expect(parseZonedTime('yesterday', 'UTC')).toBeNull();
  });

  it('applies it in the report command, --tz first, and names a bad value', () => {
    const now = Date.UTC(2026, 11, 1);
    const base = { format: 'md' as const, compare: true };
    expect(
      resolveWindow({ ...base, from: '2026-11-24', to: '2026-11-25', tz: 'UTC' }, now),
    ).toEqual({ from: Date.UTC(2026, 10, 24), to: Date.UTC(2026, 10, 25) });
    expect(
      resolveWindow({ ...base, from: '2026-11-24', to: '2026-11-25T00:00', tz: 'Asia/Tokyo' }, now),
    ).toEqual({ from: Date.UTC(2026, 10, 23, 15), to: Date.UTC(2026, 10, 24, 15) });
    expect(() => resolveWindow({ ...base, from: '24/11/2026', tz: 'UTC' }, now)).toThrow(
      /--from: not a date\/time: "24\/11\/2026"/,
    );
    expect(() => resolveWindow({ ...base, from: '2026-11-24', tz: 'Mars/Base' }, now)).toThrow(
      /unknown time zone "Mars\/Base"/,
    );
  });
});

describe('report labels', () => {
  it('titles a window ending now "last …" and a historic one by its dates', () => {
    const to = Date.UTC(2026, 10, 25);
    expect(reportTitle({ from: to - DAY, to }, to + MIN, 'UTC')).toBe('OpsPulse report, last 24h');
    expect(reportTitle({ from: to - DAY, to }, to + 30 * DAY, 'Europe/Berlin')).toBe(
      'OpsPulse report, 2026-11-24 01:00 to 2026-11-25 01:00 (Europe/Berlin)',
    );
  });

  it('gives R² with a fit and no trend where the line explains nothing', () => {
    const rising = new SeriesTracker('sys.disk./', T0);
    for (let i = 0; i < 100; i++) rising.add(T0 + i * HOUR, 40 + i * 0.1);
    expect(rising.stats().r2).toBeCloseTo(1, 10);
    const noise = new SeriesTracker('sys.load15', T0);
    // Alternating values: any slope is an artefact of where the window ends.
    for (let i = 0; i < 101; i++) noise.add(T0 + i * HOUR, i % 2 === 0 ? 0.2 : 9);
    expect(noise.stats().r2).toBeLessThan(0.05);
  });

  it('prints a system trend only with a meaningful fit, with its R²', async () => {
    const samples = series(
      T0,
      T0 + DAY,
      MIN,
      () => ({ api: up(20) }),
      (t) => ({
        cpu: Math.floor((t - T0) / MIN) % 2 === 0 ? 5 : 95,
        mem: 40 + ((t - T0) / DAY) * 10,
      }),
    );
    const r = await buildReport(
      arraySource(samples),
      config({
        interval: 60,
        targets: [{ id: 'api', name: 'API', kind: 'http', url: 'http://127.0.0.1/' }],
      }),
      { from: T0, to: T0 + DAY },
      { timeZone: 'UTC', now: T0 + DAY, compare: false },
    );
    const system = reportSections(r).find((s) => s.id === 'system')!.table!;
    const trend = (series: string): string =>
      system.rows.find((row) => row[0] === series)![system.headers.indexOf('Trend / day')];
    expect(trend('sys.cpu')).toBe('–');
    expect(trend('sys.mem')).toMatch(/^\+10\.0+ \(R² 1\.00\)$/);
  });
});
