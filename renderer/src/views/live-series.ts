import type { QueryResult } from '../../../shared/query';

/**
 * Small fixed-width series for sparklines, fed by one query and then by live samples: a
 * sample folds into the last bucket or opens a new one, the oldest sliding out, so the
 * picture moves as samples arrive instead of on the next range change.
 */
export class LiveSeries {
  private step = 0;
  private t: number[] = [];
  private cols = new Map<string, (number | null)[]>();
  private counts = new Map<string, number[]>();

  constructor(private readonly points: number) {}

  reset(r: QueryResult | null, range: { from: number; to: number }): void {
    this.step = Math.max(1, (range.to - range.from) / this.points);
    this.cols.clear();
    this.counts.clear();
    if (!r) {
      this.t = [];
      return;
    }
    this.t = [...r.t];
    for (const [name, s] of Object.entries(r.series)) {
      this.cols.set(name, [...s.avg]);
      this.counts.set(
        name,
        s.avg.map((v) => (v === null ? 0 : 1)),
      );
    }
  }

  /** One live sample: `value(key)` for each key. */
  add(t: number, value: (key: string) => number | null, keys: string[]): void {
    const last = this.t.length - 1;
    const fold = last >= 0 && t < this.t[last] + this.step;
    if (last >= 0 && t <= this.t[last] && !fold) return;
    if (!fold) {
      this.t.push(t);
      for (const col of this.cols.values()) col.push(null);
      for (const c of this.counts.values()) c.push(0);
      if (this.t.length > this.points) {
        this.t.shift();
        for (const col of this.cols.values()) col.shift();
        for (const c of this.counts.values()) c.shift();
      }
    }
    const i = this.t.length - 1;
    for (const key of keys) {
      const v = value(key);
      if (v === null) continue;
      const name = this.nameOf(key);
      let col = this.cols.get(name);
      let counts = this.counts.get(name);
      if (!col || !counts) {
        col = new Array<number | null>(this.t.length).fill(null);
        counts = new Array<number>(this.t.length).fill(0);
        this.cols.set(name, col);
        this.counts.set(name, counts);
      }
      const n = counts[i];
      const prev = col[i];
      col[i] = prev === null || n === 0 ? v : (prev * n + v) / (n + 1);
      counts[i] = n + 1;
    }
  }

  /** The column for a target id (its latency) or a full series name. */
  values(key: string): (number | null)[] | undefined {
    return this.cols.get(this.nameOf(key));
  }

  private nameOf(key: string): string {
    return key.includes('.') ? key : `tg.${key}.ms`;
  }
}
