import fs from 'node:fs/promises';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { forEachValue, seriesKind } from '../../../shared/series';
import type { Segment } from './layout';
import { parseRollup } from './rollup';
import { parseSample } from './sample-line';

const gunzipAsync = promisify(gunzip);

/**
 * Every series of one segment as columns, rows in file order: what a column sidecar holds.
 * Raw segments have one column per series (the value); rollup segments four (count, sum,
 * min, max). A row without the series holds NaN (count 0).
 */
export interface SegmentTable {
  raw: boolean;
  t: number[];
  series: Map<string, number[][]>;
  /** Lines skipped as corrupt, and a trailing line without newline (compressed files only). */
  corrupt: number;
  partial: number;
}

/** A segment's table and what of the file it covers: bytes [0, covered) of the file as read. */
export interface ScannedSegment {
  table: SegmentTable;
  /** The inode and mtime of the file read. */
  ino: number;
  mtime: number;
  covered: number;
  /** The bytes just before `covered`, to recognise the same file later. */
  tail: Buffer;
  /** The lines scanned, for the details files, which parse them in full. */
  text: string;
}

export const TAIL_BYTES = 32;

/**
 * Reads a whole segment into a table. A plain file is taken up to its last newline (a
 * writer may be appending); a compressed one entirely.
 */
export async function scanSegment(seg: Segment): Promise<ScannedSegment> {
  const fh = await fs.open(seg.file, 'r');
  let disk: Buffer;
  let ino: number;
  let mtime: number;
  try {
    ({ ino, mtimeMs: mtime } = await fh.stat());
    disk = await fh.readFile();
  } finally {
    await fh.close();
  }
  const raw = seg.tier === 'raw';
  const b = new TableBuilder(raw);
  let covered = disk.length;
  let text: string;
  if (seg.gz) {
    const plain = await gunzipAsync(disk);
    const last = plain.lastIndexOf(0x0a);
    if (last + 1 < plain.length) b.partial++;
    text = plain.toString('utf8', 0, last + 1);
  } else {
    covered = disk.lastIndexOf(0x0a) + 1;
    text = disk.toString('utf8', 0, covered);
  }
  let start = 0;
  for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
    b.add(text.slice(start, nl));
    start = nl + 1;
  }
  return {
    table: b.finish(),
    ino,
    mtime,
    covered,
    tail: Buffer.from(disk.subarray(Math.max(0, covered - TAIL_BYTES), covered)),
    text,
  };
}

export class TableBuilder {
  private readonly t: number[] = [];
  private readonly series = new Map<string, number[][]>();
  private corrupt = 0;
  partial = 0;

  constructor(private readonly raw: boolean) {}

  add(line: string): void {
    if (line.length === 0) return;
    if (this.raw) {
      const s = parseSample(line);
      if (s === null) {
        this.corrupt++;
        return;
      }
      this.t.push(s.t);
      forEachValue(s, (name, v) => {
        if (typeof v !== 'number' || !Number.isFinite(v)) return;
        // Latency of successful probes only, as the analyses and the rollups count it.
        if (
          name.endsWith('.ms') &&
          seriesKind(name) === 'latency' &&
          s.tg[name.slice(3, -3)]?.up !== 1
        )
          return;
        this.set(name, [v]);
      });
      return;
    }
    const row = this.t.length;
    this.t.push(0);
    const t = scanRollup(line, (name, agg) => this.set(name, agg));
    if (t !== null) {
      this.t[row] = t;
      return;
    }
    // The quick scan met something unusual: let the full parser decide, from a clean row.
    this.t.pop();
    for (const cols of this.series.values())
      for (const c of cols) c.length = Math.min(c.length, row);
    const line2 = parseRollup(line);
    if (line2 === null) {
      this.corrupt++;
      return;
    }
    this.t.push(line2.t);
    for (const [name, a] of line2.series) this.set(name, [a.count, a.sum, a.min, a.max]);
  }

  finish(): SegmentTable {
    const rows = this.t.length;
    for (const cols of this.series.values()) this.pad(cols, rows);
    return {
      raw: this.raw,
      t: this.t,
      series: this.series,
      corrupt: this.corrupt,
      partial: this.partial,
    };
  }

  private set(name: string, values: number[]): void {
    const row = this.t.length - 1;
    let cols = this.series.get(name);
    if (cols === undefined) this.series.set(name, (cols = values.map(() => [])));
    this.pad(cols, row);
    // A key repeated within one line: the last one counts, as with JSON.parse.
    for (let i = 0; i < cols.length; i++) cols[i][row] = values[i];
  }

  private pad(cols: number[][], rows: number): void {
    for (let i = 0; i < cols.length; i++) {
      const c = cols[i];
      const fill = !this.raw && i === 0 ? 0 : NaN;
      while (c.length < rows) c.push(fill);
    }
  }
}

/** Every rollup line starts `{"v":<1 or 2>,"t":`; both versions' prefixes have this length. */
const PREFIX_LENGTH = '{"v":1,"t":'.length;
const QUOTE = 34;
const COMMA = 44;
const OPEN = 91;
const CLOSE = 93;
const BRACE_CLOSE = 125;

/**
 * Walks a rollup line as serializeRollup writes it, handing each series' count, sum, min
 * and max to `onSeries` and skipping first/last and sketches. Returns the bucket start, or
 * null at anything it does not expect (the caller then parses the line in full).
 */
export function scanRollup(
  text: string,
  onSeries: (name: string, agg: number[]) => void,
): number | null {
  // Escaped names are rare enough to leave to the full parser.
  if (!isRollupHead(text) || !text.endsWith('}}') || text.includes('\\')) return null;
  const tEnd = text.indexOf(',', PREFIX_LENGTH);
  const t = num(text, PREFIX_LENGTH, tEnd);
  const s = text.indexOf('"s":{', tEnd);
  if (t === null || s < 0) return null;
  let p = s + 5;
  const stop = text.length - 2;
  if (p === stop) return t;
  for (;;) {
    if (text.charCodeAt(p) !== QUOTE) return null;
    const nameEnd = text.indexOf('"', p + 1);
    if (nameEnd < 0) return null;
    if (text.charCodeAt(nameEnd + 1) !== 58 || text.charCodeAt(nameEnd + 2) !== OPEN) return null;
    const name = text.slice(p + 1, nameEnd);
    p = nameEnd + 3;
    const agg = [0, 0, 0, 0];
    for (let i = 0; i < 4; i++) {
      const e = numEnd(text, p);
      const v = num(text, p, e);
      if (v === null) return null;
      agg[i] = v;
      p = e + 1;
      if (i < 3 && text.charCodeAt(e) !== COMMA) return null;
    }
    // After max: "]" ends the entry, or first/last and/or a sketch follow.
    if (text.charCodeAt(p - 1) !== CLOSE) {
      const close = text.indexOf(']', p);
      const open = text.indexOf('[', p);
      if (close < 0) return null;
      p = open >= 0 && open < close ? text.indexOf(']', close + 1) + 1 : close + 1;
      if (p === 0) return null;
    }
    onSeries(name, agg);
    const c = text.charCodeAt(p);
    if (c === COMMA) p++;
    else return p === stop && c === BRACE_CLOSE ? t : null;
  }
}

function numEnd(text: string, p: number): number {
  let e = p;
  for (;;) {
    const c = text.charCodeAt(e);
    if (c === COMMA || c === CLOSE || c === BRACE_CLOSE || Number.isNaN(c)) return e;
    e++;
  }
}

function num(text: string, from: number, to: number): number | null {
  if (to <= from) return null;
  const v = Number(text.slice(from, to));
  return Number.isFinite(v) ? v : null;
}

/** Whether a line starts as serializeRollup writes it, in either version. */
export function isRollupHead(text: string): boolean {
  return (
    text.startsWith('{"v":') &&
    (text.charCodeAt(5) === 49 || text.charCodeAt(5) === 50) &&
    text.startsWith(',"t":', 6)
  );
}
