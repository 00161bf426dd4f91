import fs from 'node:fs/promises';
import type { Sample } from '../../../shared/sample';
import { listSegments, overlapping, type Segment } from './layout';
import { cachesBehind, linesAfter } from './cache-tail';
import type { ReadCounters } from './lines';
import { readDetails, scanDetails, writeDetails, type RawDetails } from './raw-details';
import { parseSample } from './sample-line';
import { scanSegment } from './segment-table';
import {
  readSidecar,
  sidecarColumns,
  sweepSidecars,
  writeSidecar,
  type SidecarColumns,
} from './sidecar';

/**
 * One raw segment as an analysis reads it: the rows its column caches hold, every value
 * exact, and as samples the lines written after them. Rows keep file order (times step
 * back where the clock did) and are not cut to the range: the reader filters them.
 */
export interface RawPart {
  t: Float64Array;
  /** Each series' value per row (NaN: none), in the order series first appear. */
  series: { name: string; values: Float64Array }[];
  /** Per target id, status codes and error texts (as indexes into `texts`). */
  probes: RawDetails['probes'];
  texts: string[];
  /** Samples in the range from lines past the caches (a segment still being written). */
  rest: Sample[];
}

/**
 * Raw segments overlapping [from, to), oldest first, from their column sidecars and
 * details files. A segment without matching caches is scanned once and both are written
 * (derived files only: the segments are never touched), so a reader beside a collecting
 * daemon may call it.
 */
export async function* readRawColumns(
  dataDir: string,
  range: { from: number; to: number },
  counters?: ReadCounters,
): AsyncGenerator<RawPart> {
  const segs = overlapping(await listSegments(dataDir, 'raw'), range.from, range.to);
  let built = false;
  try {
    for (const seg of segs) {
      const st = await fs.stat(seg.file).catch(() => null);
      if (!st) continue;
      let cached = cachedColumns(seg, st);
      if (cached === null) {
        built = true;
        cached = await buildCaches(seg);
      }
      if (cached === null) {
        yield { ...EMPTY, rest: await linesAfter(seg, 0, range, parseSample, counters) };
        continue;
      }
      const { side, det } = cached;
      if (counters) {
        counters.corrupt += side.corrupt;
        counters.partial += side.partial;
      }
      yield {
        t: side.t,
        series: det.names.map((name) => ({ name, values: side.cols.get(name)![0] })),
        probes: det.probes,
        texts: det.texts,
        rest: seg.gz ? [] : await linesAfter(seg, side.covered, range, parseSample, counters),
      };
    }
  } finally {
    if (built) await sweepSidecars(dataDir).catch(() => undefined);
  }
}

const EMPTY: Omit<RawPart, 'rest'> = {
  t: new Float64Array(0),
  series: [],
  probes: new Map(),
  texts: [],
};

interface Cached {
  side: SidecarColumns;
  det: RawDetails;
}

function cachedColumns(
  seg: Segment,
  st: { ino: number; size: number; mtimeMs: number },
): Cached | null {
  const det = readDetails(seg, st);
  if (det === null || cachesBehind(seg, st.size, det.covered)) return null;
  const side = readSidecar(seg, st, det.names);
  if (side === null || side.covered !== det.covered || side.t.length !== det.rows) return null;
  return { side, det };
}

/** Scans the segment and writes its sidecar and details; null if it changed meanwhile. */
async function buildCaches(seg: Segment): Promise<Cached | null> {
  const scan = await scanSegment(seg).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return null;
    throw err;
  });
  if (scan === null) return null;
  const det = await scanDetails(seg, scan);
  if (det === null) return null;
  // A read-only or full disk only costs the next report its speed.
  await writeSidecar(seg, scan).catch(() => undefined);
  await writeDetails(seg, scan, det).catch(() => undefined);
  return { side: sidecarColumns(scan, det.names), det };
}
