import type { Sample } from '../../../shared/sample';
import { readCachedSegments, type CacheKind } from './cached-segments';
import type { ReadCounters } from './lines';
import { readDetails, scanDetails, writeDetails, type RawDetails } from './raw-details';
import { parseSample } from './sample-line';

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
 * details files (cached-segments.ts).
 */
export function readRawColumns(
  dataDir: string,
  range: { from: number; to: number },
  counters?: ReadCounters,
): AsyncGenerator<RawPart> {
  return readCachedSegments(dataDir, 'raw', range, RAW, counters);
}

const RAW: CacheKind<RawDetails, Sample, RawPart> = {
  readDetails,
  buildDetails: async (seg, scan) => {
    const det = scanDetails(scan);
    if (det !== null) await writeDetails(seg, scan, det).catch(() => undefined);
    return det;
  },
  parse: parseSample,
  toPart: ({ side, det }, rest) => ({
    t: side.t,
    series: det.names.map((name) => ({ name, values: side.cols.get(name)![0] })),
    probes: det.probes,
    texts: det.texts,
    rest,
  }),
  linesPart: (rest) => ({ t: new Float64Array(0), series: [], probes: new Map(), texts: [], rest }),
};
