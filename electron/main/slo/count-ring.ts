/**
 * Probe counts in fixed time buckets (a minute, an hour), kept in a ring: a slot remembers
 * which bucket it holds, so a stale slot from an earlier lap reads as empty. The four
 * counts per bucket are probes, failed probes, probes with a latency, and slow ones.
 */
export class CountRing {
  private readonly bucket: Float64Array;
  /** [n, bad, latencyN, latencyBad] per slot. */
  private readonly counts: Float64Array;

  constructor(
    readonly bucketMs: number,
    private readonly size: number,
  ) {
    this.bucket = new Float64Array(size).fill(-1);
    this.counts = new Float64Array(size * 4);
  }

  add(t: number, n: number, bad: number, latencyN: number, latencyBad: number): void {
    const b = Math.floor(t / this.bucketMs);
    const s = b % this.size;
    if (this.bucket[s] !== b) {
      this.bucket[s] = b;
      this.counts.fill(0, s * 4, s * 4 + 4);
    }
    this.counts[s * 4] += n;
    this.counts[s * 4 + 1] += bad;
    this.counts[s * 4 + 2] += latencyN;
    this.counts[s * 4 + 3] += latencyBad;
  }

  /**
   * For nested windows ending at `to` (starts in descending order), the counts of the
   * buckets starting in [starts[i], to), in one pass from the newest bucket back.
   */
  sumNested(starts: readonly number[], to: number): Float64Array[] {
    const out = starts.map(() => new Float64Array(4));
    const firsts = starts.map((s) => Math.ceil(s / this.bucketMs));
    const acc = new Float64Array(4);
    const last = Math.ceil(to / this.bucketMs) - 1;
    let w = 0;
    for (let b = last; w < starts.length && b > last - this.size; b--) {
      while (w < starts.length && b < firsts[w]) out[w++].set(acc);
      if (w >= starts.length) break;
      const s = b % this.size;
      if (this.bucket[s] !== b) continue;
      acc[0] += this.counts[s * 4];
      acc[1] += this.counts[s * 4 + 1];
      acc[2] += this.counts[s * 4 + 2];
      acc[3] += this.counts[s * 4 + 3];
    }
    while (w < starts.length) out[w++].set(acc);
    return out;
  }

  /** Adds the counts of buckets starting in [from, to) to `out`. */
  sumInto(from: number, to: number, out: Float64Array): void {
    const first = Math.ceil(from / this.bucketMs);
    const last = Math.ceil(to / this.bucketMs) - 1;
    for (let b = Math.max(first, last - this.size + 1); b <= last; b++) {
      const s = b % this.size;
      if (this.bucket[s] !== b) continue;
      out[0] += this.counts[s * 4];
      out[1] += this.counts[s * 4 + 1];
      out[2] += this.counts[s * 4 + 2];
      out[3] += this.counts[s * 4 + 3];
    }
  }
}
