import fsSync from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { ByteReader, ByteWriter, decodeColumns, encodeColumns } from './column-codec';
import { TIERS, samplesDir, type Segment, type TierName } from './layout';
import { FIXED_BYTES, readCheckedFile, writeDerivedFile } from './derived-file';
import { TAIL_BYTES, type ScannedSegment } from './segment-table';

/**
 * Column sidecars: a derived, binary copy of a segment's series as columns, so a cold
 * query reads a few columns instead of gunzipping and parsing every JSONL line. Never the
 * source of truth: they live apart in <samples>/.columns/<tier>/<segment name>.col, can be
 * deleted at any time, and one that is missing, corrupt or no longer matches its segment
 * is ignored (the segment is read from its JSONL and the sidecar written again).
 *
 *   "OPSCOL2\n"  header length:u32le  header crc32:u32le  header (JSON)  column blocks
 *
 * The header names the segment bytes it was built from (inode, the length covered and
 * the last bytes of that length: a plain segment that only grew since still matches, and
 * the lines after `covered` are read from the JSONL) and where each series' columns are.
 */
/**
 * Version 2: a raw segment's tg.<id>.ms column holds successful probes' latency only (one
 * latency definition at every tier); version 1 files, which held every timing, are rebuilt.
 */
const MAGIC = Buffer.from('OPSCOL2\n');
const FIXED = FIXED_BYTES;

interface Header extends DerivedFrom {
  raw: boolean;
  rows: number;
  corrupt: number;
  partial: number;
  t: Block;
  series: Record<string, Block>;
}

/** Where a column group lies in the body: offset, length, CRC-32 of its bytes. */
type Block = [number, number, number];

/** Columns of the asked series as the sidecar has them (a series it lacks: all NaN). */
export interface SidecarColumns {
  covered: number;
  t: Float64Array;
  cols: Map<string, Float64Array[]>;
  corrupt: number;
  partial: number;
}

/** Files derived from a segment, named after it: its column sidecar and its details. */
const DERIVED = /\.(col|det)$/;

/** The files derived from a segment: the store removes them with it. */
export function derivedFiles(seg: Segment): string[] {
  return [sidecarFile(seg), detailsFile(seg)];
}

export function sidecarFile(seg: Segment): string {
  const tierDir = path.dirname(seg.file);
  return path.join(path.dirname(tierDir), '.columns', seg.tier, path.basename(seg.file) + '.col');
}

/** Beside the segment's column sidecar, so the store sweeps, counts and trims both alike. */
export function detailsFile(seg: Segment): string {
  return sidecarFile(seg).replace(/\.col$/, '.det');
}

/** Writes a segment's sidecar atomically (readers see the old one or the new one). */
export async function writeSidecar(seg: Segment, scan: ScannedSegment): Promise<void> {
  const { table } = scan;
  const w = new ByteWriter();
  const put = (cols: number[][]): Block => {
    const at = w.length;
    encodeColumns(w, cols);
    return [at, w.length - at, crc32(w.bytes().subarray(at))];
  };
  const t = put([table.t]);
  const series: Header['series'] = {};
  for (const [name, cols] of table.series) series[name] = put(cols);
  const header: Header = {
    ino: scan.ino,
    mtime: scan.mtime,
    covered: scan.covered,
    tail: scan.tail.toString('base64'),
    raw: table.raw,
    rows: table.t.length,
    corrupt: table.corrupt,
    partial: table.partial,
    t,
    series,
  };
  const head = Buffer.from(JSON.stringify(header));
  // The header's own CRC: each block carries its own, so a read checks only what it takes.
  await writeDerivedFile(sidecarFile(seg), MAGIC, head, w.bytes(), crc32(head));
}

/**
 * The asked series from a segment's sidecar, or null when there is none or it does not
 * match the segment as it is now (`st`: the segment file's inode and size). Reads the
 * header and the asked series' blocks only, each checked against its CRC. Synchronous on
 * purpose: a few small reads of a cached file take microseconds, while each asynchronous
 * step is a thread-pool round trip that, over the 30 segments of a month, cost more than
 * decoding the columns.
 */
export function readSidecar(
  seg: Segment,
  st: { ino: number; size: number; mtimeMs: number },
  names: string[],
): SidecarColumns | null {
  let fd: number;
  try {
    fd = fsSync.openSync(sidecarFile(seg), 'r');
  } catch {
    return null;
  }
  try {
    const header = readHeader(fd);
    if (header === null || header.raw !== (seg.tier === 'raw')) return null;
    if (!segmentMatches(seg, st, header)) return null;
    const width = header.raw ? 1 : 4;
    const block = (b: Block, count: number): Float64Array[] | null => {
      const at = header.body + b[0];
      let buf: Buffer;
      if (at + b[1] <= header.first.length) buf = header.first.subarray(at, at + b[1]);
      else {
        buf = Buffer.allocUnsafe(b[1]);
        if (fsSync.readSync(fd, buf, 0, b[1], at) !== b[1]) return null;
      }
      if (crc32(buf) !== b[2]) return null;
      return decodeColumns(new ByteReader(buf, 0, buf.length), count, header.rows);
    };
    const t = block(header.t, 1);
    if (t === null) return null;
    const cols = new Map<string, Float64Array[]>();
    for (const name of names) {
      const at = header.series[name];
      const got = at === undefined ? absent(header.raw, width, header.rows) : block(at, width);
      if (got === null) return null;
      cols.set(name, got);
    }
    return {
      covered: header.covered,
      t: t[0],
      cols,
      corrupt: header.corrupt,
      partial: header.partial,
    };
  } catch {
    return null;
  } finally {
    fsSync.closeSync(fd);
  }
}

/** The asked series of a freshly scanned segment, in the form readSidecar returns. */
export function sidecarColumns(scan: ScannedSegment, names: string[]): SidecarColumns {
  const { table } = scan;
  const width = table.raw ? 1 : 4;
  const cols = new Map<string, Float64Array[]>();
  for (const name of names) {
    const c = table.series.get(name);
    cols.set(
      name,
      c ? c.map((x) => Float64Array.from(x)) : absent(table.raw, width, table.t.length),
    );
  }
  return {
    covered: scan.covered,
    t: Float64Array.from(table.t),
    cols,
    corrupt: table.corrupt,
    partial: table.partial,
  };
}

function absent(raw: boolean, width: number, rows: number): Float64Array[] {
  return Array.from({ length: width }, (_, i) =>
    new Float64Array(rows).fill(!raw && i === 0 ? 0 : NaN),
  );
}

/** The header, with `body` set to where the blocks start; null if it is not a valid one. */
function readHeader(fd: number): (Header & { body: number; first: Buffer }) | null {
  // Enough for the header and, usually, the time column right after it.
  const first = Buffer.alloc(16384);
  const bytesRead = fsSync.readSync(fd, first, 0, first.length, 0);
  if (bytesRead < FIXED || !first.subarray(0, MAGIC.length).equals(MAGIC)) return null;
  const len = first.readUInt32LE(MAGIC.length);
  let head = first.subarray(FIXED, Math.min(bytesRead, FIXED + len));
  if (head.length < len) {
    head = Buffer.alloc(len);
    if (fsSync.readSync(fd, head, 0, len, FIXED) !== len) return null;
  }
  if (crc32(head) !== first.readUInt32LE(MAGIC.length + 4)) return null;
  const h = JSON.parse(head.toString('utf8')) as Header;
  const isBlock = (b: unknown): boolean =>
    Array.isArray(b) && b.length === 3 && b.every((x) => Number.isInteger(x) && x >= 0);
  if (
    typeof h !== 'object' ||
    h === null ||
    !Number.isInteger(h.rows) ||
    h.rows < 0 ||
    !Number.isInteger(h.covered) ||
    typeof h.mtime !== 'number' ||
    typeof h.tail !== 'string' ||
    !isBlock(h.t) ||
    typeof h.series !== 'object' ||
    h.series === null ||
    !Object.values(h.series).every(isBlock)
  )
    return null;
  return { ...h, body: FIXED + len, first: first.subarray(0, bytesRead) };
}

/** What a derived file records of the segment bytes it was built from. */
export interface DerivedFrom {
  ino: number;
  /** The segment's mtime when read: a compressed segment never changes after its rename. */
  mtime: number;
  covered: number;
  /** Base64 of the bytes just before `covered`. */
  tail: string;
}

/**
 * Whether the segment as it is now (`st`) still holds the bytes a derived file was built
 * from: a compressed segment unchanged, a plain one the same up to `covered` (it may have
 * grown since).
 */
export function segmentMatches(
  seg: Segment,
  st: { ino: number; size: number; mtimeMs: number },
  h: DerivedFrom,
): boolean {
  if (h.ino !== st.ino || h.covered > st.size) return false;
  return seg.gz ? h.covered === st.size && h.mtime === st.mtimeMs : sameTail(seg.file, h);
}

/**
 * A segment's details file (raw-details.ts, rollup-details.ts) as `decode` reads its
 * header and body; null when it is missing, damaged, of another kind or version, does not
 * match the segment as it is now (`st`) or does not decode. Synchronous for the reason
 * readSidecar is.
 */
export function readDetailsFile<D>(
  seg: Segment,
  st: { ino: number; size: number; mtimeMs: number },
  magic: Buffer,
  decode: (header: unknown, body: Buffer) => D,
): D | null {
  const file = readCheckedFile(detailsFile(seg), magic);
  if (file === null) return null;
  try {
    if (!segmentMatches(seg, st, file.header as DerivedFrom)) return null;
    return decode(file.header, file.body);
  } catch {
    return null;
  }
}

function sameTail(file: string, h: DerivedFrom): boolean {
  const want = Buffer.from(h.tail, 'base64');
  if (want.length !== Math.min(TAIL_BYTES, h.covered)) return false;
  let fd: number;
  try {
    fd = fsSync.openSync(file, 'r');
  } catch {
    return false;
  }
  try {
    const got = Buffer.alloc(want.length);
    const bytesRead = fsSync.readSync(fd, got, 0, got.length, h.covered - want.length);
    return bytesRead === want.length && got.equals(want);
  } finally {
    fsSync.closeSync(fd);
  }
}

/** Removes sidecars whose segment is gone (expired, or compressed into a .gz). */
export async function sweepSidecars(dataDir: string): Promise<number> {
  let removed = 0;
  for (const tier of TIERS) removed += await sweepTier(dataDir, tier);
  return removed;
}

async function sweepTier(dataDir: string, tier: TierName): Promise<number> {
  const dir = path.join(samplesDir(dataDir), '.columns', tier);
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  const segments = new Set(await fs.readdir(path.join(samplesDir(dataDir), tier)).catch(() => []));
  let removed = 0;
  for (const name of names) {
    const file = path.join(dir, name);
    if (name.endsWith('.tmp')) {
      // Another query may be writing it right now; one left over an hour is a crash's.
      const st = await fs.stat(file).catch(() => null);
      if (st === null || Date.now() - st.mtimeMs < 3_600_000) continue;
    } else if (DERIVED.test(name) && segments.has(name.slice(0, -'.col'.length))) continue;
    await fs.rm(file, { force: true });
    removed++;
  }
  return removed;
}

/** Bytes the sidecars take on disk. */
export async function sidecarBytes(dataDir: string): Promise<number> {
  let bytes = 0;
  for (const tier of TIERS) {
    const dir = path.join(samplesDir(dataDir), '.columns', tier);
    for (const name of await fs.readdir(dir).catch(() => [] as string[]))
      bytes += (await fs.stat(path.join(dir, name)).catch(() => null))?.size ?? 0;
  }
  return bytes;
}
