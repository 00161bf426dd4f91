import { describe, expect, it } from 'vitest';
import { runForecastBench } from '../../bench/anomaly/forecast';
import {
  certExpiry,
  describeTimeToFull,
  latencyCreep,
  timeToFull,
  type Point,
} from '../../electron/main/forecast';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 4, 4);

function trace(days: number, f: (d: number) => number, stepMin = 5): Point[] {
  const out: Point[] = [];
  for (let t = 0; t <= days * DAY; t += stepMin * 60_000) out.push({ t: T0 + t, v: f(t / DAY) });
  return out;
}

describe('time to full', () => {
  it('forecasts a steady fill: 2 %/day from 60 % is full in 20 days', () => {
    const f = timeToFull(
      trace(4, (d) => 52 + 2 * d),
      100,
    );
    expect(f.kind).toBe('full');
    if (f.kind !== 'full') return;
    expect(f.days).toBeCloseTo(20, 0);
    expect(f.ratePerDay).toBeCloseTo(2, 1);
    expect(describeTimeToFull(f)).toBe("full in ~20 days at the last day's rate");
  });

  it('says "not enough data" under two days of history, and on gappy data', () => {
    const short = timeToFull(
      trace(1.5, (d) => 50 + 10 * d),
      100,
    );
    expect(short).toEqual({ kind: 'not-enough-data', reason: 'needs 2 days of history, has 36 h' });
    expect(describeTimeToFull(short)).toMatch(/^not enough data/);
    const gappy = trace(3, (d) => 50 + 5 * d).filter(
      (p) => Math.floor((p.t - T0) / HOUR) % 3 !== 0,
    );
    const sparse = gappy.filter((p) => (p.t - T0) / DAY < 1 || (p.t - T0) / DAY > 2.6);
    expect(timeToFull(sparse, 100).kind).toBe('not-enough-data');
  });

  it('gives no forecast where the fit is poor: a slow rise under big hour-to-hour swings', () => {
    let seed = 7;
    const rand = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const swings = trace(4, (d) => 40 + 2 * d + 30 * rand(), 60);
    const f = timeToFull(swings, 100);
    expect(f.kind).toBe('poor-fit');
    expect(describeTimeToFull(f)).toMatch(/^no forecast: usage goes up and down/);
  });

  it('does not forecast a fill that stopped', () => {
    expect(
      timeToFull(
        trace(6, (d) => 40 + 10 * Math.min(d, 3)),
        100,
      ).kind,
    ).toBe('not-filling');
  });

  it('meets the bench budgets: median error <= 20 % for 1-14 days, no false alarm', () => {
    const result = runForecastBench(() => undefined);
    expect(result.medianError).toBeLessThanOrEqual(0.2);
    expect(result.falseAlarms).toBe(0);
    expect(result.unanswered).toBe(0);
  });
});

describe('latency creep', () => {
  const days = (p95: (i: number) => number, n: number) =>
    Array.from({ length: n }, (_, i) => ({ day: T0 + i * DAY, p95: p95(i) }));

  it('reports a steady rise of the daily p95', () => {
    const c = latencyCreep(days((i) => 100 + 5 * i + (i % 2 ? 2 : -2), 10));
    expect(c.kind).toBe('creeping');
    if (c.kind === 'creeping') expect(c.perDay).toBeCloseTo(5, 0);
  });

  it('calls noise steady and refuses under a week', () => {
    expect(latencyCreep(days((i) => 100 + (i % 3) * 4, 10)).kind).toBe('steady');
    expect(latencyCreep(days((i) => 100 + 20 * i, 5)).kind).toBe('not-enough-data');
  });
});

describe('certificate expiry', () => {
  it('counts down from what the probe saw', () => {
    const now = T0 + 2 * DAY;
    const c = certExpiry({ t: T0, certDays: 30 }, now);
    expect(c).toEqual({ kind: 'expires', days: 28, at: T0 + 30 * DAY });
    expect(certExpiry(undefined, now).kind).toBe('not-enough-data');
  });
});
