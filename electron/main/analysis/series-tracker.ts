import type { SeriesStats } from '../../../shared/analysis';

const DAY = 86_400_000;

/**
 * Running statistics of one numeric series: count, mean, extremes, first and last, and a
 * least-squares line through (time, value). Values may come one by one (raw samples) or as
 * aggregates (a rollup bucket's count, sum, min and max at the bucket's time).
 */
export class SeriesTracker {
  count = 0;
  private sum = 0;
  private min = Infinity;
  private max = -Infinity;
  private first: number | null = null;
  private firstT: number | null = null;
  private last: number | null = null;
  private lastT: number | null = null;
  // Regression sums over x = days since `origin` (small numbers keep the sums precise).
  private w = 0;
  private sx = 0;
  private sy = 0;
  private sxx = 0;
  private sxy = 0;
  /** Sum of n * mean² per point: the values' own spread inside a bucket is not known. */
  private syy = 0;
  constructor(
    readonly series: string,
    private readonly origin: number,
  ) {}

  add(t: number, v: number): void {
    this.addAggregate(t, 1, v, v, v);
  }

  /** n values with this sum, min and max, all at time t. */
  addAggregate(t: number, n: number, sum: number, min: number, max: number): void {
    if (n <= 0) return;
    const mean = sum / n;
    this.count += n;
    this.sum += sum;
    if (min < this.min) this.min = min;
    if (max > this.max) this.max = max;
    if (this.firstT === null) {
      this.first = mean;
      this.firstT = t;
    }
    this.last = mean;
    this.lastT = t;
    const x = (t - this.origin) / DAY;
    this.w += n;
    this.sx += n * x;
    this.sy += sum;
    this.sxx += n * x * x;
    this.sxy += x * sum;
    this.syy += mean * sum;
  }

  /** R² of the least-squares line; null without a slope or when the values are all equal. */
  r2(): number | null {
    if (this.slopePerDay() === null) return null;
    const vx = this.w * this.sxx - this.sx * this.sx;
    const vy = this.w * this.syy - this.sy * this.sy;
    if (!(vy > 1e-12 * this.w * this.syy)) return null;
    const cov = this.w * this.sxy - this.sx * this.sy;
    return Math.min(1, Math.max(0, (cov * cov) / (vx * vy)));
  }

  /** Units per day; null unless values exist at two or more distinct times. */
  slopePerDay(): number | null {
    if (this.w === 0) return null;
    const den = this.w * this.sxx - this.sx * this.sx;
    // Relative test: identical times leave only rounding noise in the denominator.
    if (!(den > 1e-12 * this.w * this.sxx) || this.firstT === this.lastT) return null;
    return (this.w * this.sxy - this.sx * this.sy) / den;
  }

  /** The fitted line's value at time t. */
  fittedAt(t: number): number | null {
    const slope = this.slopePerDay();
    if (slope === null) return null;
    const intercept = (this.sy - slope * this.sx) / this.w;
    return intercept + slope * ((t - this.origin) / DAY);
  }

  stats(): SeriesStats {
    const has = this.count > 0;
    return {
      series: this.series,
      count: this.count,
      avg: has ? this.sum / this.count : null,
      min: has ? this.min : null,
      max: has ? this.max : null,
      first: this.first,
      last: this.last,
      firstT: this.firstT,
      lastT: this.lastT,
      slopePerDay: this.slopePerDay(),
      r2: this.r2(),
    };
  }
}
