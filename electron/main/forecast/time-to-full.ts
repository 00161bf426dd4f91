/**
 * Time to full for a filling resource (a disk, memory), with a quality gate.
 *
 * The rate is the median of day-over-day differences of hourly peaks over the last day:
 * comparing each hour with the same hour a day earlier cancels daily cycles and daily log
 * rotation exactly, hourly peaks keep short cron bursts from moving the level, and the
 * median shrugs off the odd outlier. When the day-over-day rates of the last days rise
 * steadily, the fill accelerates and the forecast follows the rising rate instead of a
 * straight line. The forecast is when the last day's peak, growing at that rate, reaches
 * the capacity. No forecast is made from less than two days of history, from gappy data,
 * or when the day-over-day differences disagree about the direction.
 */

export interface Point {
  readonly t: number;
  readonly v: number;
}

export type TimeToFull =
  | {
      readonly kind: 'full';
      /** When the resource is expected to be full (epoch ms). */
      readonly at: number;
      /** Days from `now` until then. */
      readonly days: number;
      /** Growth per day at the forecast's rate (units of the series). */
      readonly ratePerDay: number;
      /** The peak of the last day the forecast starts from. */
      readonly level: number;
      readonly accelerating: boolean;
    }
  | { readonly kind: 'not-filling'; readonly ratePerDay: number }
  | { readonly kind: 'not-enough-data'; readonly reason: string }
  | { readonly kind: 'poor-fit'; readonly reason: string };

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** History needed: a day to compare with the day before it. */
export const MIN_HISTORY_MS = 2 * DAY;
/** Hours of the last day that must have a same-hour value a day earlier. */
const MIN_PAIRS = 16;
/** Share of the last day's differences that must agree with the median's sign. */
const MIN_AGREEMENT = 0.75;
/** Forecasts further out than this are "not filling": nobody acts on them. */
export const HORIZON_DAYS = 365;
/** Days of day-over-day rates looked at for acceleration. */
const ACCEL_DAYS = 7;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Theil–Sen slope of (x, y) pairs and Kendall's tau of y against x. */
function theilSen(xs: readonly number[], ys: readonly number[]): { slope: number; tau: number } {
  const slopes: number[] = [];
  let concordant = 0;
  let pairs = 0;
  for (let i = 0; i < xs.length; i++) {
    for (let j = i + 1; j < xs.length; j++) {
      slopes.push((ys[j] - ys[i]) / (xs[j] - xs[i]));
      concordant += Math.sign(xs[j] - xs[i]) * Math.sign(ys[j] - ys[i]);
      pairs++;
    }
  }
  return { slope: slopes.length ? median(slopes) : 0, tau: pairs ? concordant / pairs : 0 };
}

/**
 * Forecasts when `points` (any order, units of `capacity`) reach `capacity`, as seen at
 * `now` (default: the last point's time).
 */
export function timeToFull(points: readonly Point[], capacity: number, now?: number): TimeToFull {
  const pts = points.filter((p) => Number.isFinite(p.t) && Number.isFinite(p.v));
  if (pts.length === 0) return { kind: 'not-enough-data', reason: 'no samples yet' };
  let first = Infinity;
  let last = -Infinity;
  for (const p of pts) {
    first = Math.min(first, p.t);
    last = Math.max(last, p.t);
  }
  const at = now ?? last;
  if (last - first < MIN_HISTORY_MS) {
    const hours = Math.floor((last - first) / HOUR);
    return { kind: 'not-enough-data', reason: `needs 2 days of history, has ${hours} h` };
  }
  // Hourly peaks.
  const peak = new Map<number, number>();
  for (const p of pts) {
    const h = Math.floor(p.t / HOUR);
    const prev = peak.get(h);
    if (prev === undefined || p.v > prev) peak.set(h, p.v);
  }
  const lastHour = Math.floor(last / HOUR);
  /** Day-over-day differences of the 24 hours ending `hoursBack` before the last one. */
  const dayDiffs = (hoursBack: number): number[] => {
    const out: number[] = [];
    for (let h = lastHour - hoursBack - 23; h <= lastHour - hoursBack; h++) {
      const a = peak.get(h);
      const b = peak.get(h - 24);
      if (a !== undefined && b !== undefined) out.push(a - b);
    }
    return out;
  };
  const recent = dayDiffs(0);
  if (recent.length < MIN_PAIRS) {
    return {
      kind: 'not-enough-data',
      reason: `only ${recent.length} of the last 24 hours can be compared with the day before`,
    };
  }
  const rate = median(recent);
  const agree = recent.filter((d) => Math.sign(d) === Math.sign(rate)).length / recent.length;
  if (rate <= 0) return { kind: 'not-filling', ratePerDay: rate };
  if (agree < MIN_AGREEMENT) {
    return {
      kind: 'poor-fit',
      reason: `usage goes up and down (${Math.round(agree * 100)} % of the last day's changes agree)`,
    };
  }

  let level = -Infinity;
  for (let h = lastHour - 23; h <= lastHour; h++) level = Math.max(level, peak.get(h) ?? -Infinity);
  const elapsed = (at - last) / DAY;

  // Acceleration: the daily rates of the last days, if they rise steadily.
  const days: number[] = [];
  const rates: number[] = [];
  for (let k = 0; k < ACCEL_DAYS; k++) {
    const d = dayDiffs(24 * k);
    if (d.length < MIN_PAIRS) break;
    days.push(-k);
    rates.push(median(d));
  }
  const trend = rates.length >= 3 ? theilSen(days, rates) : { slope: 0, tau: 0 };
  const accelerating = trend.slope > 0 && trend.tau >= 0.8 && rates.every((r) => r > 0);
  const remaining = capacity - level;
  let untilFull: number;
  if (remaining <= 0) {
    untilFull = 0;
  } else if (accelerating) {
    // level(τ) = level + r0·τ + accel·τ²/2; the last day's day-over-day difference is
    // the slope a day back (its pairs are centred there), so r0 = rate + accel.
    const a = trend.slope;
    const r0 = rate + a;
    untilFull = (-r0 + Math.sqrt(r0 * r0 + 2 * a * remaining)) / a;
  } else {
    untilFull = remaining / rate;
  }
  const days0 = untilFull - elapsed;
  if (untilFull > HORIZON_DAYS) return { kind: 'not-filling', ratePerDay: rate };
  return {
    kind: 'full',
    at: last + untilFull * DAY,
    days: Math.max(0, days0),
    ratePerDay: rate,
    level,
    accelerating,
  };
}
