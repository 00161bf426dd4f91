import { mergeLine, newLine, RUNS_VERSION, type RollupLine, type SeriesAgg } from '../store/rollup';
import type { RollupPart, RollupSeries } from '../store/rollup-columns';
import { QuantileSketch } from '../store/sketch';
import type { SketchRows } from '../store/sketch-rows';
import type { TargetExtras } from '../store/target-runs';

/**
 * A series' aggregates in a bucket. Read from columns, its sketch (if the row has one) is
 * a row of a column of sketches instead of an object of its own.
 */
export interface BucketAgg extends SeriesAgg {
  sketchRow?: { rows: SketchRows; r: number };
}

/**
 * A bucket [t, t + d) of n samples: its `count` series and their aggregates, side by side
 * in the order its line lists them (arrays reused from bucket to bucket, and maybe longer
 * than count: read, do not keep), and its transition log and codes per target (null for a
 * version 1 line).
 */
export type OnBucket = (
  t: number,
  d: number,
  n: number,
  count: number,
  names: readonly string[],
  aggs: readonly BucketAgg[],
  extras: Map<string, TargetExtras> | null,
) => void;

/**
 * Turns rollup lines, or rows of rollup columns, into buckets in read order. Lines sharing
 * a bucket time (written after a clock step back) are parts of one bucket and are merged
 * first. A row is handed over through objects reused from row to row, so a week of minute
 * buckets allocates little; only the sketches `wantsSketch` names are decoded (the rest are
 * left out, which only callers that ignore them may ask for). Columns keep the sketches of
 * target latency only (see rollup-details.ts): the only ones an analysis reads.
 */
export class BucketStream {
  private held: RollupLine | { rows: PartRows; r: number } | null = null;
  private heldT = NaN;

  constructor(
    private readonly onBucket: OnBucket,
    private readonly wantsSketch: (series: string) => boolean,
  ) {}

  line(line: RollupLine): void {
    if (this.held !== null && line.t === this.heldT) mergeLine(this.heldLine(), line);
    else this.hold(line, line.t);
  }

  /** The part's rows in [from, to), then its lines past the columns. */
  part(part: RollupPart, from: number, to: number): void {
    const rows = new PartRows(part, this.wantsSketch);
    const t = part.t;
    for (let r = 0; r < t.length; r++) {
      const tr = t[r];
      if (tr < from || tr >= to) continue;
      if (this.held !== null && tr === this.heldT) mergeLine(this.heldLine(), rows.line(r));
      else this.hold({ rows, r }, tr);
    }
    for (const line of part.rest) this.line(line);
  }

  /** Hands over the bucket still held. */
  end(): void {
    const h = this.held;
    if (h === null) return;
    this.held = null;
    if ('rows' in h) h.rows.emit(h.r, this.onBucket);
    else
      this.onBucket(
        h.t,
        h.d,
        h.n,
        h.series.size,
        [...h.series.keys()],
        [...h.series.values()],
        h.v >= RUNS_VERSION ? h.targets : null,
      );
  }

  private hold(next: RollupLine | { rows: PartRows; r: number }, t: number): void {
    this.end();
    this.held = next;
    this.heldT = t;
  }

  /** The held bucket as a line of its own, to merge another part into. */
  private heldLine(): RollupLine {
    const h = this.held!;
    if (!('rows' in h)) return h;
    const line = h.rows.line(h.r);
    this.held = line;
    return line;
  }
}

/** A part's rows as buckets. */
class PartRows {
  /** Per series, the object its aggregates are handed over in. */
  private readonly aggs: BucketAgg[];
  /** Per series whose sketches are asked for, the row handed over with its aggregates. */
  private readonly sketchRows: ({ rows: SketchRows; r: number } | null)[];
  private readonly rowNames: string[] = [];
  private readonly rowAggs: BucketAgg[] = [];

  constructor(
    private readonly part: RollupPart,
    wantsSketch: (series: string) => boolean,
  ) {
    this.aggs = part.series.map(() => ({ count: 0, sum: 0, min: 0, max: 0, first: 0, last: 0 }));
    this.sketchRows = part.series.map((s) =>
      s.sketches !== null && wantsSketch(s.name) ? { rows: s.sketches, r: 0 } : null,
    );
  }

  /** Hands row r to `onBucket`, its series in line order. */
  emit(r: number, onBucket: OnBucket): void {
    const { part, rowNames, rowAggs } = this;
    // Written over in place: emptying an array gives its storage up, and rows are many.
    let count = 0;
    this.forEachSeries(r, (c, s) => {
      const a = this.aggs[c];
      a.count = s.count[r];
      a.sum = s.sum[r];
      a.min = s.min[r];
      a.max = s.max[r];
      a.first = s.first[r];
      a.last = s.last[r];
      const sk = this.sketchRows[c];
      if (sk !== null && sk.rows.seek(r) > 0) {
        sk.r = r;
        a.sketchRow = sk;
      } else a.sketchRow = undefined;
      rowNames[count] = s.name;
      rowAggs[count] = a;
      count++;
    });
    onBucket(part.t[r], part.d[r], part.n[r], count, rowNames, rowAggs, part.extras(r));
  }

  /** Row r as a line of its own, with every sketch the part has. */
  line(r: number): RollupLine {
    const part = this.part;
    const line = newLine(part.t[r], part.d[r]);
    line.n = part.n[r];
    line.first = part.first[r];
    line.last = part.last[r];
    const extras = part.extras(r);
    if (extras === null) line.v = 1;
    else line.targets = extras;
    this.forEachSeries(r, (_, s) => {
      const a: SeriesAgg = {
        count: s.count[r],
        sum: s.sum[r],
        min: s.min[r],
        max: s.max[r],
        first: s.first[r],
        last: s.last[r],
      };
      const sketch = sketchAt(s, r);
      if (sketch) a.sketch = sketch;
      line.series.set(s.name, a);
    });
    return line;
  }

  private forEachSeries(r: number, fn: (c: number, s: RollupSeries) => void): void {
    const series = this.part.series;
    const order = this.part.order.get(r);
    if (order) for (const c of order) fn(c, series[c]);
    else for (let c = 0; c < series.length; c++) if (series[c].count[r] > 0) fn(c, series[c]);
  }
}

function sketchAt(s: RollupSeries, r: number): QuantileSketch | undefined {
  const json = s.sketches?.row(r);
  return json ? QuantileSketch.fromJSON(json) : undefined;
}
