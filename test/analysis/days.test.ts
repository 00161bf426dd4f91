import { describe, expect, it } from 'vitest';
import { analyzeWindow, localDays } from '../../electron/main/analysis';
import { arraySource, config, down, HOUR, httpTarget, MIN, series, up } from './helpers';

const BERLIN = 'Europe/Berlin';

describe('local days', () => {
  it('makes the spring-forward day 23 hours and the fall-back day 25 hours long', () => {
    // Local midnight in Berlin is 23:00 UTC in winter and 22:00 UTC in summer.
    const spring = localDays(Date.UTC(2026, 2, 27, 23), Date.UTC(2026, 2, 30, 22), BERLIN);
    expect(spring.map((d) => [d.label, (d.end - d.start) / HOUR])).toEqual([
      ['2026-03-28', 24],
      ['2026-03-29', 23],
      ['2026-03-30', 24],
    ]);
    const fall = localDays(Date.UTC(2026, 9, 23, 22), Date.UTC(2026, 9, 26, 23), BERLIN);
    expect(fall.map((d) => [d.label, (d.end - d.start) / HOUR])).toEqual([
      ['2026-10-24', 24],
      ['2026-10-25', 25],
      ['2026-10-26', 24],
    ]);
    expect(fall[1].start).toBe(Date.UTC(2026, 9, 24, 22));
  });

  it('clips the first and last day to the window', () => {
    const days = localDays(Date.UTC(2026, 0, 5, 12), Date.UTC(2026, 0, 6, 6), 'UTC');
    expect(days).toEqual([
      { label: '2026-01-05', start: Date.UTC(2026, 0, 5, 12), end: Date.UTC(2026, 0, 6) },
      { label: '2026-01-06', start: Date.UTC(2026, 0, 6), end: Date.UTC(2026, 0, 6, 6) },
    ]);
  });

  it('labels the analysis day table in the local zone across a DST change', async () => {
    const from = Date.UTC(2026, 9, 24, 22); // 2026-10-25 00:00 in Berlin
    const to = from + 25 * HOUR;
    // Down for the last local hour of the 25-hour day: 1 h of 25.
    const samples = series(from, to + HOUR, 30_000, (t) => ({
      api: t >= to - HOUR && t < to ? down() : up(t < from + 12 * HOUR ? 10 : 20),
    }));
    const cfg = config({ targets: [httpTarget('api')] });
    const a = await analyzeWindow(arraySource(samples), cfg, { from, to }, undefined, {
      timeZone: BERLIN,
    });
    expect(a.timeZone).toBe(BERLIN);
    expect(a.days).toHaveLength(1);
    expect(a.days[0].label).toBe('2026-10-25');
    expect(a.days[0].targets.api.uptimePct).toBeCloseTo((24 / 25) * 100, 10);
    expect(a.days[0].targets.api.samples).toBe(25 * 120);
    expect(a.days[0].targets.api.p95).toBe(20);
    expect(a.days[0].means['tg.api.up']).toBeCloseTo(24 / 25, 10);
    expect(a.targets[0].incidents[0]).toMatchObject({
      start: to - HOUR,
      end: null,
      durationMs: 60 * MIN,
    });
  });
});
