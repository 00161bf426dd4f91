/**
 * Latency creep: the trend of a target's daily p95, with a quality gate. A robust slope
 * (Theil–Sen) over the days, reported only when the days agree on the direction (Kendall's
 * tau) and the change over the period is large enough to matter.
 */

export interface DailyValue {
  /** Start of the day (epoch ms). */
  readonly day: number;
  readonly p95: number;
}

export type LatencyCreep =
  | {
      readonly kind: 'creeping' | 'improving';
      /** Change of the daily p95 per day (ms/day). */
      readonly perDay: number;
      /** Fitted p95 at the first and last day. */
      readonly from: number;
      readonly to: number;
      readonly days: number;
    }
  | { readonly kind: 'steady'; readonly days: number }
  | { readonly kind: 'not-enough-data'; readonly reason: string };

/** Days of daily p95 needed before a trend is claimed. */
export const MIN_DAYS = 7;
/** Kendall's tau the days must reach to agree on a direction. */
const MIN_TAU = 0.5;
/** Smallest change over the period, relative to its start, worth reporting. */
const MIN_RELATIVE_CHANGE = 0.1;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function latencyCreep(days: readonly DailyValue[]): LatencyCreep {
  const pts = days.filter((d) => Number.isFinite(d.p95) && Number.isFinite(d.day));
  if (pts.length < MIN_DAYS) {
    return {
      kind: 'not-enough-data',
      reason: `needs ${MIN_DAYS} days with a p95, has ${pts.length}`,
    };
  }
  const x = pts.map((d) => d.day / 86_400_000);
  const y = pts.map((d) => d.p95);
  const slopes: number[] = [];
  let tau = 0;
  let pairs = 0;
  for (let i = 0; i < x.length; i++) {
    for (let j = i + 1; j < x.length; j++) {
      if (x[j] === x[i]) continue;
      slopes.push((y[j] - y[i]) / (x[j] - x[i]));
      tau += Math.sign(x[j] - x[i]) * Math.sign(y[j] - y[i]);
      pairs++;
    }
  }
  tau /= Math.max(1, pairs);
  const slope = median(slopes);
  const xMid = median(x);
  const yMid = median(y.map((v, i) => v - slope * (x[i] - xMid)));
  const x0 = Math.min(...x);
  const x1 = Math.max(...x);
  const from = yMid + slope * (x0 - xMid);
  const to = yMid + slope * (x1 - xMid);
  const relative = Math.abs(to - from) / Math.max(Math.abs(from), 1e-9);
  if (Math.abs(tau) < MIN_TAU || relative < MIN_RELATIVE_CHANGE) {
    return { kind: 'steady', days: pts.length };
  }
  return {
    kind: slope > 0 ? 'creeping' : 'improving',
    perDay: slope,
    from,
    to,
    days: pts.length,
  };
}
