import type { SystemMetricAnalysis } from '../../../shared/analysis';
import { QuantileCollector } from './quantile-collector';
import { SeriesTracker } from './series-tracker';
import { clip, type WindowContext } from './window';

/**
 * A system metric: plain statistics, an exact p95, and the covered time spent above a
 * threshold. A value holds until the series' next value unless that is more than `gapMs`
 * away (slow metrics such as disk are sampled every few ticks, so theirs is wider).
 */
export class GaugeTracker {
  readonly stats: SeriesTracker;
  private values = new QuantileCollector(1);
  private prev: { t: number; v: number } | null = null;
  private aboveMs = 0;

  constructor(
    readonly series: string,
    private readonly ctx: WindowContext,
    private readonly gapMs: number,
    private readonly threshold: number | null,
  ) {
    this.stats = new SeriesTracker(series, ctx.from);
  }

  add(t: number, v: number): void {
    this.book(t);
    this.prev = { t, v };
    this.stats.add(t, v);
    this.values.add(0, v);
  }

  private book(nextT: number | null): void {
    const p = this.prev;
    if (!p || this.threshold === null || !(p.v > this.threshold)) return;
    const end = nextT !== null && nextT - p.t <= this.gapMs ? nextT : p.t + this.ctx.intervalMs;
    const span = clip(this.ctx, p.t, end);
    if (span) this.aboveMs += span[1] - span[0];
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

  /** When the fitted line reaches 100 %, if it rises; not before the window's end. */
  private projectFull(out: SystemMetricAnalysis): number | null {
    const slope = out.slopePerDay;
    const now = this.stats.fittedAt(this.ctx.to);
    if (slope === null || now === null || !(slope > 0)) return null;
    if (now >= 100) return this.ctx.to;
    return Math.round(this.ctx.to + ((100 - now) / slope) * 86_400_000);
  }
}

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
