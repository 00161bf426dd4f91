import fs from 'node:fs/promises';
import type { Segment } from './layout';
import type { ReadCounters } from './lines';
import { extractAgg, seriesKey } from './rollup';
import { parseSample } from './sample-line';
import { isRollupHead, scanSegment } from './segment-table';
import { seriesAccessor } from './series-access';
import { readSidecar, sidecarColumns, writeSidecar, type SidecarColumns } from './sidecar';

/**
 * Columns of one segment for the series queries asked for: times plus, per series,
 * count/sum/min/max (rollup tiers) or, for raw segments, the value alone in `sum`.
 * Rows keep file order; a missing value is NaN (count 0).
 */
export interface SegmentColumns {
  raw: boolean;
  t: Float64Array;
  cols: Map<string, SeriesCols>;
}

export interface SeriesCols {
  n: Float64Array;
  sum: Float64Array;
  min: Float64Array;
  max: Float64Array;
}

/** Below this a segment still being written is parsed for the asked series only. */
const LIVE_SIDECAR_BYTES = 1024 * 1024;

const NONE = new Float64Array(0);

/**
 * A segment's columns as loaded for some series, and how far into the file they reach.
 * The lines a writer adds later are appended by `catchUp`.
 */
export class LoadedSegment implements SegmentColumns {
  t: Float64Array = NONE;
  readonly cols = new Map<string, SeriesCols>();
  private readonly tCol: Growable;
  private readonly grow = new Map<string, Growable[]>();

  private constructor(
    readonly raw: boolean,
    readonly ino: number,
    /** Bytes of the file already turned into rows. */
    public parsed: number,
    side: SidecarColumns | null,
    names: string[],
  ) {
    const rows = side?.t.length ?? 0;
    this.tCol = new Growable(side?.t ?? NONE);
    const width = raw ? 1 : 4;
    for (const name of names) {
      const c = side?.cols.get(name);
      this.grow.set(
        name,
        Array.from(
          { length: width },
          (_, i) => new Growable(c?.[i] ?? new Float64Array(rows).fill(!raw && i === 0 ? 0 : NaN)),
        ),
      );
    }
    this.refresh();
  }

  /**
   * Loads the series from the segment's sidecar when it matches, else from a full scan of
   * the JSONL, which writes the sidecar for the next cold query. A segment still being
   * written keeps its sidecar for the part it covers (catchUp reads the rest) until the
   * uncovered part outweighs it: a day-long segment is rescanned a handful of times.
   */
  static async load(
    seg: Segment,
    st: { ino: number; size: number; mtimeMs: number },
    names: string[],
    counters: ReadCounters,
    live: boolean,
  ): Promise<LoadedSegment> {
    const raw = seg.tier === 'raw';
    let side = readSidecar(seg, st, names);
    let ino = st.ino;
    const behind = st.size - (side?.covered ?? 0);
    const rescan =
      side === null
        ? !live || behind >= LIVE_SIDECAR_BYTES
        : behind >= Math.max(LIVE_SIDECAR_BYTES, side.covered);
    if (rescan) {
      const scan = await scanSegment(seg).catch((err: NodeJS.ErrnoException) => {
        if (err.code === 'ENOENT') return null;
        throw err;
      });
      if (scan === null) return new LoadedSegment(raw, ino, 0, null, names);
      // A read-only or full disk only costs the next cold query its speed.
      await writeSidecar(seg, scan).catch(() => undefined);
      side = sidecarColumns(scan, names);
      ino = scan.ino;
    }
    if (side === null) return new LoadedSegment(raw, ino, 0, null, names);
    counters.corrupt += side.corrupt;
    counters.partial += side.partial;
    return new LoadedSegment(raw, ino, side.covered, side, names);
  }

  get cells(): number {
    return this.t.length * (1 + this.cols.size * (this.raw ? 1 : 4));
  }

  /** Parses the whole lines a plain file gained beyond `parsed` (up to `size`). */
  async catchUp(file: string, size: number, counters: ReadCounters): Promise<void> {
    const onLine = this.rowParser(counters);
    const fh = await fs.open(file, 'r');
    try {
      const block = Buffer.alloc(1024 * 1024);
      let pos = this.parsed;
      let carry: Buffer | null = null;
      while (pos < size) {
        const { bytesRead } = await fh.read(block, 0, Math.min(block.length, size - pos), pos);
        if (bytesRead === 0) break;
        pos += bytesRead;
        const buf: Buffer = carry
          ? Buffer.concat([carry, block.subarray(0, bytesRead)])
          : block.subarray(0, bytesRead);
        const last = buf.lastIndexOf(0x0a);
        if (last < 0) {
          carry = Buffer.from(buf);
          continue;
        }
        for (const line of buf.toString('utf8', 0, last).split('\n')) onLine(line);
        this.parsed += last + 1;
        carry = last + 1 < buf.length ? Buffer.from(buf.subarray(last + 1)) : null;
      }
    } finally {
      await fh.close();
      this.refresh();
    }
  }

  private refresh(): void {
    this.t = this.tCol.view();
    for (const [name, g] of this.grow) {
      const v = g.map((x) => x.view());
      this.cols.set(
        name,
        this.raw
          ? { n: NONE, sum: v[0], min: NONE, max: NONE }
          : { n: v[0], sum: v[1], min: v[2], max: v[3] },
      );
    }
  }

  private rowParser(counters: ReadCounters): (line: string) => void {
    const names = [...this.grow.keys()];
    const cols = names.map((n) => this.grow.get(n) as Growable[]);
    const t = this.tCol;
    if (this.raw) {
      const access = names.map(seriesAccessor);
      return (line) => {
        if (line.length === 0) return;
        const s = parseSample(line);
        if (!s) {
          counters.corrupt++;
          return;
        }
        t.push(s.t);
        for (let i = 0; i < cols.length; i++) {
          const v = access[i](s);
          cols[i][0].push(v === undefined ? NaN : v);
        }
      };
    }
    const keys = names.map(seriesKey);
    const agg = new Float64Array(4);
    return (line) => {
      if (line.length === 0) return;
      const bucket = rollupTime(line);
      if (bucket === null) {
        counters.corrupt++;
        return;
      }
      t.push(bucket);
      for (let i = 0; i < cols.length; i++) {
        const c = cols[i];
        const found = extractAgg(line, keys[i], agg);
        c[0].push(found ? agg[0] : 0);
        for (let k = 1; k < 4; k++) c[k].push(found ? agg[k] : NaN);
      }
    };
  }
}

/** A column that grows by doubling; queries read a view of its rows. */
class Growable {
  private length: number;

  constructor(private buf: Float64Array) {
    this.length = buf.length;
  }

  push(v: number): void {
    if (this.length === this.buf.length) {
      const next = new Float64Array(Math.max(64, this.buf.length * 2));
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.length++] = v;
  }

  view(): Float64Array {
    return this.buf.subarray(0, this.length);
  }
}

const ROLLUP_PREFIX_LENGTH = '{"v":1,"t":'.length;

/** Rollup lines are written by this module with a fixed prefix; anything else is corrupt. */
function rollupTime(line: string): number | null {
  if (!isRollupHead(line) || !line.endsWith('}}')) return null;
  const end = line.indexOf(',', ROLLUP_PREFIX_LENGTH);
  const t = Number(line.slice(ROLLUP_PREFIX_LENGTH, end));
  return end > 0 && Number.isFinite(t) ? t : null;
}
