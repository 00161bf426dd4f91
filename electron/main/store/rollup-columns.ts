import fs from 'node:fs/promises';
import { cachesBehind, linesAfter } from './cache-tail';
import { listSegments, overlapping, type RollupTier, type Segment } from './layout';
import type { ReadCounters } from './lines';
import { parseRollup, type RollupLine } from './rollup';
import {
  decodeRollupDetails,
  readRollupDetails,
  scanRollupDetails,
  writeRollupDetails,
  type RollupDetails,
} from './rollup-details';
import { scanSegment } from './segment-table';
import type { SketchRows } from './sketch-rows';
import {
  readSidecar,
  sidecarColumns,
  sweepSidecars,
  writeSidecar,
  type SidecarColumns,
} from './sidecar';

/**
 * One rollup segment as an analysis reads it: a row per line its column caches hold, with
 * what parseRollup would give for that line (of the sketches, target latency's), and as
 * parsed lines those written after them. Rows keep file order (lines sharing a bucket time are parts of one bucket) and are
 * not cut to the range: the reader filters them.
 */
export interface RollupPart {
  t: Float64Array;
  d: Float64Array;
  n: Float64Array;
  /** Unix ms of each bucket's first and last sample. */
  first: Float64Array;
  last: Float64Array;
  /** Every series of the segment, in order of first appearance. */
  series: RollupSeries[];
  /**
   * Rows whose series are not simply those with a count above 0 in `series` order: their
   * series as indexes into `series`, in the line's order.
   */
  order: Map<number, number[]>;
  /** Lines in the range past the caches (a segment still being written). */
  rest: RollupLine[];
}

/** One series' aggregates per row; a row without the series has count 0. */
export interface RollupSeries {
  name: string;
  count: Float64Array;
  sum: Float64Array;
  min: Float64Array;
  max: Float64Array;
  /** Unix ms of the series' first and last value in each bucket. */
  first: Float64Array;
  last: Float64Array;
  /** Each row's quantile sketch, for target latency (the only sketches kept: rollup-details.ts). */
  sketches: SketchRows | null;
}

/**
 * Rollup segments of a tier overlapping [from, to), oldest first, from their column
 * sidecars and details files. A segment without matching caches is scanned once and both
 * are written (derived files only), so a reader beside a collecting daemon may call it.
 */
export async function* readRollupColumns(
  dataDir: string,
  tier: RollupTier,
  range: { from: number; to: number },
  counters?: ReadCounters,
): AsyncGenerator<RollupPart> {
  const segs = overlapping(await listSegments(dataDir, tier), range.from, range.to);
  let built = false;
  try {
    for (const seg of segs) {
      const st = await fs.stat(seg.file).catch(() => null);
      if (!st) continue;
      let cached = cachedColumns(seg, st);
      if (cached === null) {
        built = true;
        cached = await buildRollupCaches(seg);
      }
      if (cached === null) {
        yield linesPart(await linesAfter(seg, 0, range, parseRollup, counters));
        continue;
      }
      const { side, det } = cached;
      if (counters) {
        counters.corrupt += side.corrupt;
        counters.partial += side.partial;
      }
      const rest = seg.gz ? [] : await linesAfter(seg, side.covered, range, parseRollup, counters);
      yield toPart(side, det, rest);
    }
  } finally {
    if (built) await sweepSidecars(dataDir).catch(() => undefined);
  }
}

interface Cached {
  side: SidecarColumns;
  det: RollupDetails;
}

function cachedColumns(
  seg: Segment,
  st: { ino: number; size: number; mtimeMs: number },
): Cached | null {
  const det = readRollupDetails(seg, st);
  if (det === null || cachesBehind(seg, st.size, det.covered)) return null;
  const side = readSidecar(seg, st, det.names);
  if (side === null || side.covered !== det.covered || side.t.length !== det.rows) return null;
  return { side, det };
}

/** Scans the segment and writes its sidecar and details; null if it changed meanwhile. */
export async function buildRollupCaches(seg: Segment): Promise<Cached | null> {
  const scan = await scanSegment(seg).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return null;
    throw err;
  });
  if (scan === null) return null;
  // A read-only or full disk only costs the next report its speed.
  await writeSidecar(seg, scan).catch(() => undefined);
  const enc = await scanRollupDetails(seg, scan);
  if (enc === null) return null;
  await writeRollupDetails(seg, enc).catch(() => undefined);
  // Decoded from what was written, so a fresh scan and a cached read give the same rows.
  const det = decodeRollupDetails(enc);
  return { side: sidecarColumns(scan, det.names), det };
}

function toPart(side: SidecarColumns, det: RollupDetails, rest: RollupLine[]): RollupPart {
  const t = side.t;
  const at = (offsets: Float64Array, fallback?: Float64Array): Float64Array =>
    offsets.map((x, r) => (fallback && Number.isNaN(x) ? fallback[r] : t[r] + x));
  const first = at(det.first);
  const last = at(det.last);
  const series = det.names.map((name): RollupSeries => {
    const [count, sum, min, max] = side.cols.get(name)!;
    const own = det.times.get(name);
    return {
      name,
      count,
      sum,
      min,
      max,
      first: own ? at(own[0], first) : first,
      last: own ? at(own[1], last) : last,
      sketches: det.sketches.get(name) ?? null,
    };
  });
  return { t, d: det.d, n: det.n, first, last, series, order: det.order, rest };
}

/** A part of lines only: a segment read without caches, or buckets kept in memory. */
export function linesPart(rest: RollupLine[]): RollupPart {
  const none = new Float64Array(0);
  return { t: none, d: none, n: none, first: none, last: none, series: [], order: new Map(), rest };
}
