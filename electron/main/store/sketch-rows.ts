import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { QuantileSketch, type SketchJson } from './sketch';

/**
 * One series' quantile sketches, a row per bucket, in their JSON form (see sketch.ts:
 * zero count, first index, then counts and negative gap runs, all integers). Each row is
 * written as zigzag varints, length first (0: no sketch), and the whole is deflated: the
 * counts are mostly tiny, so this takes about a third of a byte a count. A reader inflates
 * a series once and decodes a row only when asked, so a report holds these bytes rather
 * than a number per count.
 */
export function encodeSketchRows(rows: readonly (SketchJson | null)[]): Buffer | null {
  const out: number[] = [];
  const put = (x: number): void => {
    let z = x >= 0 ? 2 * x : -2 * x - 1;
    while (z >= 128) {
      out.push((z % 128) + 128);
      z = Math.floor(z / 128);
    }
    out.push(z);
  };
  for (const json of rows) {
    if (json === null) {
      put(0);
      continue;
    }
    // Counts of real sketches are integers; anything else is left to the JSONL.
    if (!json.every((x) => Number.isSafeInteger(x) && Math.abs(x) < 2 ** 40)) return null;
    put(json.length);
    for (const x of json) put(x);
  }
  return deflateRawSync(Uint8Array.from(out));
}

export class SketchRows {
  private readonly bytes: Buffer;
  /** Where each row starts in `bytes`. */
  private readonly starts: Uint32Array;
  private pos = 0;

  /** Throws when the bytes do not hold `rows` rows. */
  constructor(deflated: Uint8Array, rows: number) {
    this.bytes = inflateRawSync(deflated);
    this.starts = new Uint32Array(rows);
    for (let r = 0; r < rows; r++) {
      this.starts[r] = this.pos;
      const n = this.next();
      if (n < 0 || n === 1) throw new Error('sketch rows: bad row');
      for (let i = 0; i < n; i++) this.next();
    }
    if (this.pos !== this.bytes.length) throw new Error('sketch rows: bad length');
  }

  /** Row r's sketch in its JSON form, or null when the row has none. */
  row(r: number): SketchJson | null {
    const n = this.seek(r);
    if (n === 0) return null;
    const out = new Array<number>(n);
    for (let i = 0; i < n; i++) out[i] = this.next();
    return out;
  }

  /** Moves to row r; returns how many numbers its sketch has (0: none), for `next`. */
  seek(r: number): number {
    this.pos = this.starts[r];
    return this.next();
  }

  /** The next number of the row `seek` moved to. */
  next(): number {
    const b = this.bytes;
    let z = 0;
    let mul = 1;
    for (;;) {
      if (this.pos >= b.length || mul > 2 ** 42) throw new Error('sketch rows: truncated');
      const x = b[this.pos++];
      z += (x & 127) * mul;
      if (x < 128) break;
      mul *= 128;
    }
    // Small integers by bit operations: they stay unboxed, a division would not.
    if (z < 2 ** 31) return (z >>> 1) ^ -(z & 1);
    return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
  }
}

/**
 * Sketch rows added up by bucket index, without a sketch object per row: what a report
 * does with a year of hourly latency sketches. Holds the same counts merging each row's
 * sketch would (only counts decide a quantile), and gives them back as one sketch.
 */
export class SketchSum {
  private zero = 0;
  /** Index of counts[0]; counts grow both ways as rows reach past them. */
  private offset = 0;
  private counts = new Float64Array(0);
  private used = 0;

  /** Adds row r's sketch, if it has one. */
  add(rows: SketchRows, r: number): void {
    const n = rows.seek(r);
    if (n === 0) return;
    this.zero += rows.next();
    let k = rows.next();
    for (let i = 2; i < n; i++) {
      const c = rows.next();
      // As in the JSON form: -g skips g empty buckets, a count (even 0) takes one.
      if (c < 0) k -= c;
      else {
        if (c > 0) this.bump(k, c);
        k++;
      }
    }
  }

  /** Adds another sum's counts. */
  addSum(other: SketchSum): void {
    this.zero += other.zero;
    for (let i = 0; i < other.used; i++)
      if (other.counts[i] > 0) this.bump(other.offset + i, other.counts[i]);
  }

  toSketch(): QuantileSketch {
    const json: number[] = [this.zero, this.offset];
    let gap = 0;
    for (let i = 0; i < this.used; i++) {
      const c = this.counts[i];
      if (c === 0) gap++;
      else {
        if (gap > 0) json.push(-gap);
        gap = 0;
        json.push(c);
      }
    }
    return QuantileSketch.fromJSON(json);
  }

  private bump(k: number, c: number): void {
    if (this.used === 0) this.offset = k;
    if (k < this.offset) this.grow(this.offset - k, this.used + this.offset - k);
    else if (k - this.offset >= this.counts.length) this.grow(0, k - this.offset + 1);
    this.counts[k - this.offset] += c;
    this.used = Math.max(this.used, k - this.offset + 1);
  }

  /** Makes room for `need` counts, the present ones moved `shift` places up. */
  private grow(shift: number, need: number): void {
    const next = new Float64Array(Math.max(need, 2 * this.counts.length, 16));
    next.set(this.counts.subarray(0, this.used), shift);
    this.counts = next;
    this.offset -= shift;
    this.used += shift;
  }
}
