import type { SystemMetricAnalysis } from '../../../shared/analysis';
import { SKETCH_RELATIVE_ERROR, type SketchJson } from '../store/sketch';
import type { BucketAgg } from './bucket-stream';
import { QuantileCollector } from './quantile-collector';
import { SeriesTracker } from './series-tracker';
import { clip, itemEnd, type Item, type WindowContext } from './window';

/**
 * A system metric: plain statistics, p95, and the covered time spent above a threshold. A
 * value holds until the series' next value unless a gap lies between (slow metrics such as
 * disk are sampled every few ticks, so their gap is wider). From rollups, p95 comes from the
 * buckets' quantile sketches (within their 1 % error, clamped to the window's min and max)
 * and the time above from the share of each bucket's sketch above the threshold; only a
 * version 1 line without a sketch falls back to its mean and its min/max spread.
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

  addBucket(t: number, d: number, a: BucketAgg): void {
    if (a.count <= 0) return;
    this.book(t);
    const p = (this.prev ??= { t, d, n: 0, above: 0 });
    p.t = t;
    p.d = d;
    p.n = a.count;
    const json = a.sketch
      ? a.sketch.toJSON()
      : a.sketchRow
        ? a.sketchRow.rows.row(a.sketchRow.r)
        : null;
    p.above = this.aboveShare(a, json);
    // The bucket's values sit between its first and last time; the middle stands for them.
    this.stats.addAggregate((a.first + a.last) / 2, a.count, a.sum, a.min, a.max);
    if (a.sketch) this.values.addSketch(0, a.sketch);
    else if (a.sketchRow) this.values.addSketchRow(0, a.sketchRow);
    else this.values.addWeighted(0, a.sum / a.count, a.count);
  }

  /**
   * Share of a bucket above the threshold: from its sketch where it has one, else assuming
   * values spread evenly from min to max.
   */
  private aboveShare(a: BucketAgg, sketch: SketchJson | null): number {
    const th = this.threshold;
    if (th === null || a.max <= th) return 0;
    if (a.min > th) return 1;
    if (sketch !== null) return sketchCountAbove(sketch, th) / a.count;
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
    const stats = this.stats.stats();
    const out: SystemMetricAnalysis = {
      ...stats,
      p95: clampTo(this.values.quantiles([0.95])[0], stats.min, stats.max),
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

const GAMMA = (1 + SKETCH_RELATIVE_ERROR) / (1 - SKETCH_RELATIVE_ERROR);

/**
 * Values of a sketch (in its JSON form, see sketch.ts) above x: a bucket counts when its
 * representative value is, so the count errs only in the one bucket around x.
 */
export function sketchCountAbove(json: SketchJson, x: number): number {
  let k = json[1];
  let above = 0;
  for (let i = 2; i < json.length; i++) {
    const c = json[i];
    if (c < 0) {
      k += -c;
      continue;
    }
    if ((2 * Math.pow(GAMMA, k)) / (GAMMA + 1) > x) above += c;
    k++;
  }
  return above;
}

/** A sketch's answer kept within the values really seen: never above max or below min. */
export function clampTo(q: number | null, min: number | null, max: number | null): number | null {
  if (q === null || min === null || max === null) return q;
  return Math.min(max, Math.max(min, q));
}
