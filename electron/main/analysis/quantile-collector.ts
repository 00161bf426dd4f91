import { QuantileSketch } from '../store/sketch';
import { SketchSum, type SketchRows } from '../store/sketch-rows';
import { F64Buffer } from './f64-buffer';
import { quantilesSelect } from './quantile';

/**
 * Values kept in time order with the index where each local day starts, so quantiles of
 * the whole window and of any one day come from the same buffer without a second copy.
 * Rollup parts of a window bring sketches instead of values; once any part is a sketch,
 * the exact values are folded into one too, and answers carry the sketch's error.
 */
export class QuantileCollector {
  private values = new F64Buffer();
  private dayStart: Int32Array;
  private filled = 0;
  private sketches: (QuantileSketch | undefined)[] | null = null;
  /** Sketches read as rows of columns, added up by bucket. */
  private sums: (SketchSum | undefined)[] | null = null;

  constructor(private readonly dayCount: number) {
    this.dayStart = new Int32Array(dayCount + 1);
  }

  /** Adds a value on day `day`; days must not go backwards. */
  add(day: number, v: number): void {
    while (this.filled <= day) this.dayStart[this.filled++] = this.values.length;
    this.values.push(v);
  }

  /** Adds n copies of v (a rollup bucket's mean, where there is no sketch). */
  addWeighted(day: number, v: number, n: number): void {
    this.sketchOf(day).add(v, n);
  }

  addSketch(day: number, sketch: QuantileSketch): void {
    this.sketchOf(day).merge(sketch);
  }

  /** Adds row r of a column of sketches, as addSketch would that row's sketch. */
  addSketchRow(day: number, { rows, r }: { rows: SketchRows; r: number }): void {
    // Answers carry the sketch's error from here on, as with addSketch.
    this.sketchOf(day);
    this.sums ??= new Array<SketchSum | undefined>(this.dayCount);
    (this.sums[day] ??= new SketchSum()).add(rows, r);
  }

  private sketchOf(day: number): QuantileSketch {
    this.sketches ??= new Array<QuantileSketch | undefined>(this.dayCount);
    let s = this.sketches[day];
    if (!s) {
      s = new QuantileSketch();
      this.sketches[day] = s;
    }
    return s;
  }

  /** Quantiles of the whole window (day omitted) or of one day. */
  quantiles(qs: readonly number[], day?: number): (number | null)[] {
    let start = 0;
    let end = this.values.length;
    if (day !== undefined) {
      start = day < this.filled ? this.dayStart[day] : this.values.length;
      end = day + 1 < this.filled ? this.dayStart[day + 1] : this.values.length;
    }
    const values = this.values.slice(start, end);
    if (!this.sketches) return quantilesSelect(values, qs);
    // Sketch rows are added up first and the rest merged into theirs: one sketch object, not
    // one per day (counts add up the same in any order).
    const sum = new SketchSum();
    for (const s of day === undefined ? (this.sums ?? []) : [this.sums?.[day]])
      if (s) sum.addSum(s);
    const merged = sum.toSketch();
    for (const s of day === undefined ? this.sketches : [this.sketches[day]])
      if (s) merged.merge(s);
    for (const v of values) merged.add(v);
    return qs.map((q) => interpolated(merged, q));
  }
}

/**
 * A sketch's quantile by the definition exact answers use (linear between the closest
 * ranks, see quantile.ts): each of the two ranks read from the sketch within its relative
 * error, so the answer is too, even where neighbouring values lie far apart (a sparse tail).
 */
function interpolated(sketch: QuantileSketch, q: number): number | null {
  const n = sketch.count;
  if (n <= 1) return sketch.quantile(q);
  const pos = Math.max(0, Math.min(1, q)) * (n - 1);
  const lo = Math.floor(pos);
  // Half a rank past k asks for the bucket holding the k-th value, free of rounding.
  const at = (k: number): number | null => sketch.quantile((k + 0.5) / (n - 1));
  const vlo = at(lo);
  if (pos === lo || vlo === null) return vlo;
  const vhi = at(lo + 1);
  return vhi === null ? vlo : vlo + (vhi - vlo) * (pos - lo);
}
