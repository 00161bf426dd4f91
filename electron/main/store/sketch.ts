/**
 * A DDSketch-style quantile sketch: values go into logarithmic buckets of ratio
 * gamma = (1 + a) / (1 - a), so any quantile is answered within a relative error a
 * (1 %) of the true value at that rank, and two sketches merge by adding bucket counts.
 *
 * JSON form (compact, readable): [zeroCount, firstIndex, c0, c1, ...] where ci counts the
 * bucket firstIndex + i and a negative entry -k stands for k empty buckets in a row.
 * Values at or below MIN_VALUE (a latency of 0 ms) are counted in zeroCount.
 */
export const SKETCH_RELATIVE_ERROR = 0.01;
const GAMMA = (1 + SKETCH_RELATIVE_ERROR) / (1 - SKETCH_RELATIVE_ERROR);
const LN_GAMMA = Math.log(GAMMA);
const MIN_VALUE = 1e-6;

export type SketchJson = number[];

export class QuantileSketch {
  private zero = 0;
  /** Index of counts[0]. */
  private offset = 0;
  private counts: number[] = [];
  private total = 0;

  get count(): number {
    return this.total;
  }

  add(x: number, n = 1): void {
    this.total += n;
    if (!(x > MIN_VALUE)) {
      this.zero += n;
      return;
    }
    const k = Math.ceil(Math.log(x) / LN_GAMMA);
    this.bump(k, n);
  }

  merge(other: QuantileSketch): void {
    this.total += other.total;
    this.zero += other.zero;
    for (let i = 0; i < other.counts.length; i++) {
      if (other.counts[i] > 0) this.bump(other.offset + i, other.counts[i]);
    }
  }

  /** The value at quantile q (0..1) within the relative error; null when empty. */
  quantile(q: number): number | null {
    if (this.total === 0) return null;
    const rank = Math.max(0, Math.min(1, q)) * (this.total - 1);
    let seen = this.zero;
    if (seen > rank) return 0;
    for (let i = 0; i < this.counts.length; i++) {
      seen += this.counts[i];
      if (seen > rank) return (2 * Math.pow(GAMMA, this.offset + i)) / (GAMMA + 1);
    }
    return (2 * Math.pow(GAMMA, this.offset + this.counts.length - 1)) / (GAMMA + 1);
  }

  /** How many values are at or below x, within the relative error (SLO latency counts). */
  countAtMost(x: number): number {
    let n = this.zero;
    for (let i = 0; i < this.counts.length; i++) {
      if ((2 * Math.pow(GAMMA, this.offset + i)) / (GAMMA + 1) > x) break;
      n += this.counts[i];
    }
    return n;
  }

  toJSON(): SketchJson {
    const out: number[] = [this.zero, this.offset];
    let gap = 0;
    for (const c of this.counts) {
      if (c === 0) {
        gap++;
        continue;
      }
      if (gap > 0) out.push(-gap);
      gap = 0;
      out.push(c);
    }
    return out;
  }

  clone(): QuantileSketch {
    const s = new QuantileSketch();
    s.merge(this);
    return s;
  }

  /** Parses the JSON form; throws on anything else (the caller counts the line as corrupt). */
  static fromJSON(json: unknown): QuantileSketch {
    if (!Array.isArray(json) || json.length < 2 || !json.every((x) => Number.isFinite(x)))
      throw new Error('not a sketch');
    const s = new QuantileSketch();
    const [zero, offset] = json as number[];
    if (zero < 0 || !Number.isInteger(offset)) throw new Error('not a sketch');
    s.zero = zero;
    s.total = zero;
    s.offset = offset;
    for (let i = 2; i < json.length; i++) {
      const c = json[i] as number;
      if (c < 0) for (let j = 0; j < -c; j++) s.counts.push(0);
      else {
        s.counts.push(c);
        s.total += c;
      }
    }
    return s;
  }

  private bump(k: number, n: number): void {
    if (this.counts.length === 0) {
      this.offset = k;
      this.counts.push(n);
      return;
    }
    if (k < this.offset) {
      const grow = this.offset - k;
      this.counts.unshift(...new Array<number>(grow).fill(0));
      this.offset = k;
    }
    const i = k - this.offset;
    while (this.counts.length <= i) this.counts.push(0);
    this.counts[i] += n;
  }
}
