import { F64Buffer } from './f64-buffer';
import { quantileSorted } from './quantile';

/**
 * Values kept in time order with the index where each local day starts, so quantiles of
 * the whole window and of any one day come from the same buffer without a second copy.
 */
export class QuantileCollector {
  private values = new F64Buffer();
  private dayStart: Int32Array;
  private filled = 0;

  constructor(private readonly dayCount: number) {
    this.dayStart = new Int32Array(dayCount + 1);
  }

  /** Adds a value on day `day`; days must not go backwards. */
  add(day: number, v: number): void {
    while (this.filled <= day) this.dayStart[this.filled++] = this.values.length;
    this.values.push(v);
  }

  get count(): number {
    return this.values.length;
  }

  /** Quantiles of the whole window (day omitted) or of one day. */
  quantiles(qs: readonly number[], day?: number): (number | null)[] {
    let start = 0;
    let end = this.values.length;
    if (day !== undefined) {
      start = day < this.filled ? this.dayStart[day] : this.values.length;
      end = day + 1 < this.filled ? this.dayStart[day + 1] : this.values.length;
      if (day >= this.dayCount) start = end;
    }
    const sorted = this.values.sortedSlice(start, end);
    return qs.map((q) => quantileSorted(sorted, q));
  }
}
