import type { SystemMetricAnalysis } from '../../../shared/analysis';
import type { SeriesAgg } from '../store/rollup';
import { QuantileCollector } from './quantile-collector';
import { SeriesTracker } from './series-tracker';
import { clip, itemEnd, type Item, type WindowContext } from './window';

/**
 * A system metric: plain statistics, p95, and the covered time spent above a threshold. A
 * value holds until the series' next value unless a gap lies between (slow metrics such as
 * disk are sampled every few ticks, so their gap is wider). From rollups, p95 is taken over
 * bucket means and the time above is estimated from each bucket's min, max and mean.
 */
export class GaugeTracker {
  readonly stats: SeriesTracker;
  private values = new QuantileCollector(1);
  private prev: (Item & { above: number }) | null = null;
  private readonly gapCtx: WindowContext;
  private aboveMs = 0;

  constructor(
    readonly series: string,
    private readonly ctx: WindowContext,
    /** Ticks between values: 1, or the config's slowEvery for disk and temperature. */
    every: number,
    private readonly threshold: number | null,
  ) {
    this.stats = new SeriesTracker(series, ctx.from);
    this.gapCtx = { ...ctx, intervalMs: ctx.intervalMs * every, gapMs: ctx.gapMs * every };
  }

  add(t: number, v: number): void {
    this.book(t);
    // Updated in place: one object per series rather than one per value.
    const p = (this.prev ??= { t, d: 0, n: 1, above: 0 });
    p.t = t;
    p.d = 0;
    p.n = 1;
    p.above = this.threshold !== null && v > this.threshold ? 1 : 0;
    this.stats.add(t, v);
    this.values.add(0, v);
  }

  addBucket(t: number, d: number, a: SeriesAgg): void {
    if (a.count <= 0) return;
    this.book(t);
    const p = (this.prev ??= { t, d, n: 0, above: 0 });
    p.t = t;
    p.d = d;
    p.n = a.count;
    p.above = this.aboveShare(a);
    // The bucket's values sit between its first and last time; the middle stands for them.
    this.stats.addAggregate((a.first + a.last) / 2, a.count, a.sum, a.min, a.max);
    this.values.addWeighted(0, a.sum / a.count, a.count);
  }

  /** Share of a bucket above the threshold, assuming values spread evenly from min to max. */
  private aboveShare(a: SeriesAgg): number {
    const th = this.threshold;
    if (th === null || a.max <= th) return 0;
    if (a.min > th) return 1;
    return (a.max - th) / (a.max - a.min);
  }

  private book(nextT: number | null): void {
    const p = this.prev;
    if (!p || p.above === 0) return;
    const span = clip(this.ctx, p.t, itemEnd(this.gapCtx, p, nextT));
    if (span) this.aboveMs += (span[1] - span[0]) * p.above;
  }

  finish(): SystemMetricAnalysis {
    this.book(null);
    this.prev = null;
    const out: SystemMetricAnalysis = {
      ...this.stats.stats(),
      p95: this.values.quantiles([0.95])[0],
      threshold: this.threshold,
      aboveMs: this.aboveMs,
    };
    if (this.series.startsWith('sys.disk.')) out.projectedFullAt = this.projectFull(out);
    return out;
  }

  /**
   * When the fitted line reaches 100 %, if it rises; not before the window's end, and
   * null beyond a horizon where a straight-line projection means nothing.
   */
  private projectFull(out: SystemMetricAnalysis): number | null {
    const slope = out.slopePerDay;
    const now = this.stats.fittedAt(this.ctx.to);
    if (slope === null || now === null || !(slope > 0)) return null;
    if (now >= 100) return this.ctx.to;
    const at = Math.round(this.ctx.to + ((100 - now) / slope) * 86_400_000);
    return at - this.ctx.to <= PROJECTION_HORIZON_MS ? at : null;
  }
}

const PROJECTION_HORIZON_MS = 5 * 365 * 86_400_000;

/** Default "time above" thresholds, percent unless stated. */
export const DEFAULT_THRESHOLDS: Readonly<Record<string, number>> = {
  'sys.cpu': 90,
  'sys.mem': 90,
  'sys.swap': 50,
  /** Degrees Celsius. */
  'sys.temp': 80,
  'sys.disk.*': 90,
};

export function thresholdFor(
  series: string,
  overrides: Record<string, number> = {},
): number | null {
  const table = { ...DEFAULT_THRESHOLDS, ...overrides };
  if (series in table) return table[series];
  if (series.startsWith('sys.disk.') && 'sys.disk.*' in table) return table['sys.disk.*'];
  return null;
}
