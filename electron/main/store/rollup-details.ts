import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { parseTargetSeries } from '../../../shared/series';
import {
  ByteReader,
  ByteWriter,
  decodeColumns,
  encodeColumns,
  encodeRagged,
  Ragged,
} from './column-codec';
import { headAndBodyCrc, writeDerivedFile } from './derived-file';
import type { Segment } from './layout';
import { parseRollup, RUNS_VERSION, wantsSketchFor, type RollupLine } from './rollup';
import { serializeExtras } from './target-runs';
import type { ScannedSegment, SegmentTable } from './segment-table';
import type { SketchJson } from './sketch';
import { encodeSketchRows, SketchRows } from './sketch-rows';
import { detailsFile, readDetailsFile, type DerivedFrom } from './sidecar';

/**
 * What a rollup segment's column sidecar (count, sum, min and max per series) leaves out,
 * for the same rows, so that an analysis reads the segment without parsing a JSON line:
 * each bucket's length, sample count and first/last times; a series' own first/last times
 * where they differ from its bucket's; the sketches of target latency (tg.<id>.ms, the
 * only ones an analysis reads: all of them would double the file); and the order of the
 * series in a line where it is not the sidecar's (analyses meet series in line order). Derived
 * like the sidecar and kept beside it (<samples>/.columns/<tier>/<segment>.det, swept,
 * counted and trimmed with it); ignored unless it matches the segment's bytes
 * [0, covered) and the sidecar covers the same bytes. A file of another version (or a raw
 * segment's details) has another magic and is simply rebuilt.
 *
 *   "OPSRDT1\n"  header length:u32le  crc32 of header and body:u32le  header (JSON)  body
 *
 * Times are kept in ms after the bucket start. The body's blocks, in column-codec's
 * encoding unless said: the buckets' [d, n, first, last]; per series with times of its
 * own, [first, last] (NaN: the bucket's); per latency series, its sketches (sketch-rows.ts);
 * the exceptional rows' series order as ragged lists of sidecar column indexes; and each
 * row's transition log, status codes and errors (target-runs.ts) as the JSON text of its
 * line's "c", "e" and "r" members (null for a version 1 line, which has none). Version 2
 * added system sketches and that last block.
 */
const MAGIC = Buffer.from('OPSRDT2\n');

interface Header extends DerivedFrom {
  rows: number;
  /** The sidecar's series, in its order. */
  names: string[];
  bucket: Block;
  /** Index into names, and the block of that series' [first, last]. */
  times: [number, ...Block][];
  sketches: [number, ...Block][];
  order: Block;
  extras: Block;
}

/** Offset and length of a block in the body. */
type Block = [number, number];

export interface RollupDetails {
  covered: number;
  rows: number;
  names: string[];
  d: Float64Array;
  n: Float64Array;
  /** The bucket's first and last sample time, ms after its start. */
  first: Float64Array;
  last: Float64Array;
  /** Per series with times of its own: first and last, ms after the bucket start; NaN: the bucket's. */
  times: Map<string, [Float64Array, Float64Array]>;
  /** Per target latency and system series: each row's sketch. */
  sketches: Map<string, SketchRows>;
  /** Per row: the line's extras as JSON text `{"c":…,"e":…,"r":…}`, null for a version 1 line. */
  extras: (string | null)[];
  /**
   * Rows whose series are not simply those with a count above 0 in sidecar order: their
   * series as sidecar column indexes, in line order.
   */
  order: Map<number, number[]>;
}

/**
 * The details of the rows a fresh scan of the segment holds: its lines parsed in full,
 * each checked against the scanned row (a line the quick scan took but the full parser
 * does not, or one whose times do not survive the encoding, leaves the segment to the
 * line path). Null when that happens.
 */
export function scanRollupDetails(scan: ScannedSegment): EncodedDetails | null {
  const { text } = scan;
  const b = new DetailsBuilder(scan.table);
  let start = 0;
  for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
    const line = text.slice(start, nl);
    start = nl + 1;
    // Rows as the sidecar counts them: corrupt and empty lines have none.
    const parsed = line.length > 0 ? parseRollup(line) : null;
    if (parsed !== null && !b.add(parsed)) return null;
  }
  return b.finish(scan);
}

class DetailsBuilder {
  private row = 0;
  private readonly rows: number;
  private readonly names: string[];
  private readonly cols: number[][][];
  private readonly index = new Map<string, number>();
  private readonly d: Float64Array;
  private readonly n: Float64Array;
  private readonly first: Float64Array;
  private readonly last: Float64Array;
  private readonly times = new Map<number, [Float64Array, Float64Array]>();
  private readonly sketches = new Map<number, (SketchJson | null)[]>();
  private readonly order = new Map<number, number[]>();
  private readonly extras: (string | null)[] = [];

  constructor(private readonly table: SegmentTable) {
    this.rows = table.t.length;
    this.names = [...table.series.keys()];
    this.cols = [...table.series.values()];
    this.names.forEach((name, i) => this.index.set(name, i));
    const col = (): Float64Array => new Float64Array(this.rows).fill(NaN);
    this.d = col();
    this.n = col();
    this.first = col();
    this.last = col();
  }

  /** Records a parsed line as the next row; false when the row does not hold it exactly. */
  add(line: RollupLine): boolean {
    const r = this.row++;
    if (r >= this.rows || this.table.t[r] !== line.t) return false;
    const first = line.first - line.t;
    const last = line.last - line.t;
    if (line.t + first !== line.first || line.t + last !== line.last) return false;
    this.d[r] = line.d;
    this.n[r] = line.n;
    this.first[r] = first;
    this.last[r] = last;
    const order: number[] = [];
    let inOrder = true;
    for (const [name, a] of line.series) {
      const c = this.index.get(name);
      if (c === undefined) return false;
      const cols = this.cols[c];
      if (
        cols[0][r] !== a.count ||
        cols[1][r] !== a.sum ||
        cols[2][r] !== a.min ||
        cols[3][r] !== a.max
      )
        return false;
      // Rows list their series by count > 0, in sidecar order; any other row says so.
      if (a.count <= 0 || (order.length > 0 && c < order[order.length - 1])) inOrder = false;
      order.push(c);
      if (a.first !== line.first || a.last !== line.last) {
        const f = a.first - line.t;
        const l = a.last - line.t;
        if (line.t + f !== a.first || line.t + l !== a.last) return false;
        let times = this.times.get(c);
        if (times === undefined) {
          times = [new Float64Array(this.rows).fill(NaN), new Float64Array(this.rows).fill(NaN)];
          this.times.set(c, times);
        }
        times[0][r] = f;
        times[1][r] = l;
      }
      if (a.sketch && (parseTargetSeries(name)?.rest === 'ms' || wantsSketchFor(name))) {
        let sk = this.sketches.get(c);
        if (sk === undefined) {
          sk = new Array<SketchJson | null>(this.rows).fill(null);
          this.sketches.set(c, sk);
        }
        sk[r] = a.sketch.toJSON();
      }
    }
    if (line.v >= RUNS_VERSION) {
      const x = serializeExtras(line.targets, line.t);
      this.extras[r] = `{"c":{${x.c}},"e":{${x.e}},"r":{${x.r}}}`;
    } else this.extras[r] = null;
    let present = 0;
    for (const cols of this.cols) if (cols[0][r] > 0) present++;
    if (!inOrder || present !== order.length) this.order.set(r, order);
    return true;
  }

  /** The file's header and body; null unless every row was added. */
  finish(scan: ScannedSegment): EncodedDetails | null {
    if (this.row !== this.rows) return null;
    const w = new ByteWriter();
    const block = (write: () => void): Block => {
      const at = w.length;
      write();
      return [at, w.length - at];
    };
    const bucket = block(() => encodeColumns(w, [this.d, this.n, this.first, this.last]));
    const times: Header['times'] = [];
    for (const [c, cols] of this.times) times.push([c, ...block(() => encodeColumns(w, cols))]);
    const sketches: Header['sketches'] = [];
    for (const [c, rows] of this.sketches) {
      const bytes = encodeSketchRows(rows);
      if (bytes === null) return null;
      sketches.push([c, ...block(() => w.raw(bytes))]);
    }
    const orderRows = Array.from({ length: this.rows }, (_, r) => this.order.get(r) ?? null);
    const order = block(() => encodeRagged(w, orderRows));
    // Deflated: the same few codes and targets repeat on every row.
    const extras = block(() => w.raw(deflateRawSync(JSON.stringify(this.extras))));
    const header: Header = {
      ino: scan.ino,
      mtime: scan.mtime,
      covered: scan.covered,
      tail: scan.tail.toString('base64'),
      rows: this.rows,
      names: this.names,
      bucket,
      times,
      sketches,
      order,
      extras,
    };
    return { header, body: w.bytes() };
  }
}

/** A details file's content, before it is written or after it is read and checked. */
export interface EncodedDetails {
  header: Header;
  body: Uint8Array;
}

/** Writes the details atomically, keyed to the scanned bytes of the segment. */
export async function writeRollupDetails(seg: Segment, enc: EncodedDetails): Promise<void> {
  const head = Buffer.from(JSON.stringify(enc.header));
  const crc = headAndBodyCrc(head, enc.body);
  await writeDerivedFile(detailsFile(seg), MAGIC, head, enc.body, crc);
}

/**
 * The segment's details, or null when there are none matching the segment as it is now
 * (`st`: its inode, size and mtime).
 */
export function readRollupDetails(
  seg: Segment,
  st: { ino: number; size: number; mtimeMs: number },
): RollupDetails | null {
  return readDetailsFile(seg, st, MAGIC, (header, body) =>
    decodeRollupDetails({ header: header as Header, body }),
  );
}

/** The details as columns; throws on a body that does not decode. */
export function decodeRollupDetails({ header: h, body }: EncodedDetails): RollupDetails {
  const rows = h.rows;
  if (!Number.isInteger(rows) || rows < 0 || !Array.isArray(h.names))
    throw new Error('rollup details: bad header');
  const bytes = (b: Block): Uint8Array => {
    const ok = b.length === 2 && b.every((x) => Number.isInteger(x) && x >= 0);
    if (!ok || b[0] + b[1] > body.length) throw new Error('rollup details: bad block');
    return body.subarray(b[0], b[0] + b[1]);
  };
  const at = (b: Block): ByteReader => {
    const buf = bytes(b);
    return new ByteReader(buf, 0, buf.length);
  };
  const name = (c: number): string => {
    if (!(c in h.names)) throw new Error('rollup details: bad series index');
    return h.names[c];
  };
  const [d, n, first, last] = decodeColumns(at(h.bucket), 4, rows);
  const times = new Map<string, [Float64Array, Float64Array]>();
  for (const [c, ...b] of h.times) {
    const [f, l] = decodeColumns(at(b), 2, rows);
    times.set(name(c), [f, l]);
  }
  const sketches = new Map<string, SketchRows>();
  for (const [c, ...b] of h.sketches) sketches.set(name(c), new SketchRows(bytes(b), rows));
  const lists = new Ragged(at(h.order), rows);
  const order = new Map<number, number[]>();
  for (let r = 0; r < rows; r++) {
    const cols = lists.row(r);
    if (cols === null) continue;
    for (const c of cols) name(c);
    order.set(r, cols);
  }
  const extras = JSON.parse(inflateRawSync(bytes(h.extras)).toString('utf8')) as unknown;
  if (
    !Array.isArray(extras) ||
    extras.length !== rows ||
    !extras.every((x) => x === null || typeof x === 'string')
  )
    throw new Error('rollup details: bad extras');
  return {
    covered: h.covered,
    rows,
    names: h.names,
    d,
    n,
    first,
    last,
    times,
    sketches,
    order,
    extras: extras as (string | null)[],
  };
}
