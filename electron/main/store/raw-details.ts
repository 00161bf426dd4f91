import { ByteReader, ByteWriter, decodeColumns, encodeColumns } from './column-codec';
import { headAndBodyCrc, writeDerivedFile } from './derived-file';
import type { Segment } from './layout';
import { parseSample } from './sample-line';
import type { ScannedSegment } from './segment-table';
import { detailsFile, readDetailsFile } from './sidecar';

/**
 * What a raw segment's column sidecar (sidecar.ts) leaves out, for the same rows: each
 * target's HTTP status code and error text, and the sidecar's series names in the order
 * they first appear. Together they let an analysis read a segment without parsing a JSON
 * line. Derived like the sidecar and kept beside it (<samples>/.columns/raw/<segment>.det),
 * swept, counted and trimmed with it (sidecar.ts, maintain.ts); ignored unless it
 * matches the segment's bytes [0, covered) and the sidecar covers the same bytes.
 *
 *   "OPSDET1\n"  header length:u32le  crc32 of header and body:u32le  header (JSON)  body
 *
 * The body holds per target two columns (status code; index into `texts`), NaN where the
 * row has none, in column-codec's encoding.
 */
const MAGIC = Buffer.from('OPSDET1\n');

export interface ProbeDetails {
  /** HTTP status code per row; NaN when absent (or the target is absent). */
  st: Float64Array;
  /** Index into RawDetails.texts of the row's error text; NaN when none. */
  err: Float64Array;
}

export interface RawDetails {
  covered: number;
  rows: number;
  /** Every series of the segment's sidecar, in order of first appearance. */
  names: string[];
  texts: string[];
  probes: Map<string, ProbeDetails>;
}

interface Header {
  ino: number;
  mtime: number;
  covered: number;
  tail: string;
  rows: number;
  names: string[];
  texts: string[];
  /** Target id and where its two columns lie in the body: offset, length. */
  probes: [string, number, number][];
}

/**
 * The details of the rows a fresh scan of the segment holds, from its lines parsed in full.
 * Null when they do not give the scanned rows.
 */
export function scanDetails(scan: ScannedSegment): RawDetails | null {
  const { text } = scan;
  const rows = scan.table.t.length;
  const texts: string[] = [];
  const textIndex = new Map<string, number>();
  const probes = new Map<string, ProbeDetails>();
  let row = 0;
  let start = 0;
  for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
    const line = text.slice(start, nl);
    start = nl + 1;
    // Rows as the sidecar counts them: corrupt and empty lines have none.
    const s = line.length > 0 ? parseSample(line) : null;
    if (s === null) continue;
    if (row >= rows || s.t !== scan.table.t[row]) return null;
    for (const id in s.tg) {
      const x = s.tg[id];
      if (typeof x !== 'object' || x === null) continue;
      let p = probes.get(id);
      if (!p) {
        p = { st: new Float64Array(rows).fill(NaN), err: new Float64Array(rows).fill(NaN) };
        probes.set(id, p);
      }
      if (typeof x.st === 'number') p.st[row] = x.st;
      if (typeof x.err === 'string') {
        let i = textIndex.get(x.err);
        if (i === undefined) {
          i = texts.length;
          texts.push(x.err);
          textIndex.set(x.err, i);
        }
        p.err[row] = i;
      }
    }
    row++;
  }
  if (row !== rows) return null;
  return { covered: scan.covered, rows, names: [...scan.table.series.keys()], texts, probes };
}

/** Writes the details atomically, keyed to the scanned bytes of the segment. */
export async function writeDetails(
  seg: Segment,
  scan: ScannedSegment,
  d: RawDetails,
): Promise<void> {
  const w = new ByteWriter();
  const probes: Header['probes'] = [];
  for (const [id, p] of d.probes) {
    const at = w.length;
    encodeColumns(w, [p.st, p.err]);
    probes.push([id, at, w.length - at]);
  }
  const header: Header = {
    ino: scan.ino,
    mtime: scan.mtime,
    covered: scan.covered,
    tail: scan.tail.toString('base64'),
    rows: d.rows,
    names: d.names,
    texts: d.texts,
    probes,
  };
  const head = Buffer.from(JSON.stringify(header));
  const body = w.bytes();
  await writeDerivedFile(detailsFile(seg), MAGIC, head, body, headAndBodyCrc(head, body));
}

/**
 * The segment's details, or null when there are none matching the segment as it is now
 * (`st`: its inode, size and mtime).
 */
export function readDetails(
  seg: Segment,
  st: { ino: number; size: number; mtimeMs: number },
): RawDetails | null {
  return readDetailsFile(seg, st, MAGIC, (header, body) => {
    const h = header as Header;
    const probes = new Map<string, ProbeDetails>();
    for (const [id, at, n] of h.probes) {
      const [stCol, errCol] = decodeColumns(new ByteReader(body, at, at + n), 2, h.rows);
      probes.set(id, { st: stCol, err: errCol });
    }
    return { covered: h.covered, rows: h.rows, names: h.names, texts: h.texts, probes };
  });
}
