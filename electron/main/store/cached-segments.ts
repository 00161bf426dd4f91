import fs from 'node:fs/promises';
import { cachesBehind, linesAfter } from './cache-tail';
import { listSegments, overlapping, type Segment, type TierName } from './layout';
import type { ReadCounters } from './lines';
import { scanSegment, type ScannedSegment } from './segment-table';
import {
  readSidecar,
  sidecarColumns,
  sweepSidecars,
  writeSidecar,
  type SidecarColumns,
} from './sidecar';

type SegmentStat = { ino: number; size: number; mtimeMs: number };

/** A segment's column sidecar and details file, read or built together: the same rows. */
export interface Caches<D> {
  side: SidecarColumns;
  det: D;
}

/** What a details file says of the rows its sidecar must hold. */
interface DetailsBase {
  covered: number;
  rows: number;
  /** The series to take from the sidecar. */
  names: string[];
}

/** The details file of a segment, when it matches the segment as it is now (`st`). */
type ReadDetails<D> = (seg: Segment, st: SegmentStat) => D | null;

/** Details of a freshly scanned segment, also written; null leaves the segment to its lines. */
type BuildDetails<D> = (seg: Segment, scan: ScannedSegment) => Promise<D | null>;

/** What raw and rollup segments differ in when read through their caches. */
export interface CacheKind<D extends DetailsBase, L, P> {
  readDetails: ReadDetails<D>;
  buildDetails: BuildDetails<D>;
  parse(line: string): L | null;
  toPart(caches: Caches<D>, rest: L[]): P;
  linesPart(rest: L[]): P;
}

/**
 * The segments of a tier overlapping [from, to), oldest first, from their column sidecars
 * and details files. A segment without matching caches is scanned once and both are
 * written (derived files only: the segments are never touched), so a reader beside a
 * collecting daemon may call it.
 */
export async function* readCachedSegments<D extends DetailsBase, L extends { t: number }, P>(
  dataDir: string,
  tier: TierName,
  range: { from: number; to: number },
  kind: CacheKind<D, L, P>,
  counters?: ReadCounters,
): AsyncGenerator<P> {
  const segs = overlapping(await listSegments(dataDir, tier), range.from, range.to);
  let built = false;
  try {
    for (const seg of segs) {
      const st = await fs.stat(seg.file).catch(() => null);
      if (!st) continue;
      let caches = readCaches(seg, st, kind.readDetails);
      if (caches === null) {
        built = true;
        caches = await buildCaches(seg, kind.buildDetails);
      }
      if (caches === null) {
        yield kind.linesPart(await linesAfter(seg, 0, range, kind.parse, counters));
        continue;
      }
      const { side } = caches;
      if (counters) {
        counters.corrupt += side.corrupt;
        counters.partial += side.partial;
      }
      const rest = seg.gz ? [] : await linesAfter(seg, side.covered, range, kind.parse, counters);
      yield kind.toPart(caches, rest);
    }
  } finally {
    // Caches written while maintenance compressed or removed their segment are orphans.
    if (built) await sweepSidecars(dataDir).catch(() => undefined);
  }
}

function readCaches<D extends DetailsBase>(
  seg: Segment,
  st: SegmentStat,
  readDetails: ReadDetails<D>,
): Caches<D> | null {
  const det = readDetails(seg, st);
  if (det === null || cachesBehind(seg, st.size, det.covered)) return null;
  const side = readSidecar(seg, st, det.names);
  if (side === null || side.covered !== det.covered || side.t.length !== det.rows) return null;
  return { side, det };
}

/** Scans the segment and writes its sidecar and details; null if it is gone or changed. */
export async function buildCaches<D extends DetailsBase>(
  seg: Segment,
  buildDetails: BuildDetails<D>,
): Promise<Caches<D> | null> {
  const scan = await scanSegment(seg).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return null;
    throw err;
  });
  if (scan === null) return null;
  // A read-only or full disk only costs the next report its speed.
  await writeSidecar(seg, scan).catch(() => undefined);
  const det = await buildDetails(seg, scan);
  return det === null ? null : { side: sidecarColumns(scan, det.names), det };
}
