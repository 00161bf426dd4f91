import { buildCaches, readCachedSegments, type CacheKind, type Caches } from './cached-segments';
import type { RollupTier, Segment } from './layout';
import type { ReadCounters } from './lines';
import { parseRollup, type RollupLine } from './rollup';
import {
  decodeRollupDetails,
  readRollupDetails,
  scanRollupDetails,
  writeRollupDetails,
  type RollupDetails,
} from './rollup-details';
import type { ScannedSegment } from './segment-table';
import type { SketchRows } from './sketch-rows';
import { parseExtras, type TargetExtras } from './target-runs';

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
  /** Row r's transition log, codes and errors per target; null for a version 1 line. */
  extras(r: number): Map<string, TargetExtras> | null;
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
  /** Each row's quantile sketch, for target latency and system series (rollup-details.ts). */
  sketches: SketchRows | null;
}

/**
 * Rollup segments of a tier overlapping [from, to), oldest first, from their column
 * sidecars and details files (cached-segments.ts).
 */
export function readRollupColumns(
  dataDir: string,
  tier: RollupTier,
  range: { from: number; to: number },
  counters?: ReadCounters,
): AsyncGenerator<RollupPart> {
  return readCachedSegments(dataDir, tier, range, ROLLUP, counters);
}

const ROLLUP: CacheKind<RollupDetails, RollupLine, RollupPart> = {
  readDetails: readRollupDetails,
  buildDetails,
  parse: parseRollup,
  toPart,
  linesPart,
};

/** Scans the segment and writes its sidecar and details; null if it is gone or changed. */
export function buildRollupCaches(seg: Segment): Promise<Caches<RollupDetails> | null> {
  return buildCaches(seg, buildDetails);
}

async function buildDetails(seg: Segment, scan: ScannedSegment): Promise<RollupDetails | null> {
  const enc = scanRollupDetails(scan);
  if (enc === null) return null;
  await writeRollupDetails(seg, enc).catch(() => undefined);
  // Decoded from what was written, so a fresh scan and a cached read give the same rows.
  return decodeRollupDetails(enc);
}

function toPart({ side, det }: Caches<RollupDetails>, rest: RollupLine[]): RollupPart {
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
  const ups = series.filter((s) => s.name.startsWith('tg.') && s.name.endsWith('.up'));
  const extras = (r: number): Map<string, TargetExtras> | null => {
    const text = det.extras[r];
    if (text === null || text === undefined) return null;
    const up = new Map<string, { count: number; sum: number; first: number; last: number }>();
    for (const s of ups)
      if (s.count[r] > 0)
        up.set(s.name.slice(3, -3), {
          count: s.count[r],
          sum: s.sum[r],
          first: s.first[r],
          last: s.last[r],
        });
    const out = new Map<string, TargetExtras>();
    // Checked when the file was built from parsed lines: cannot fail on a matching file.
    parseExtras(JSON.parse(text) as Record<string, unknown>, t[r], up, out);
    return out;
  };
  return { t, d: det.d, n: det.n, first, last, series, order: det.order, rest, extras };
}

/** A part of lines only: a segment read without caches, or buckets kept in memory. */
export function linesPart(rest: RollupLine[]): RollupPart {
  const none = new Float64Array(0);
  return {
    t: none,
    d: none,
    n: none,
    first: none,
    last: none,
    series: [],
    order: new Map(),
    rest,
    extras: () => null,
  };
}
