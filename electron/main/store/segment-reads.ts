import type { Sample } from '../../../shared/sample';
import { listSegments, overlapping, type RollupTier } from './layout';
import { readLineBlocks, type ReadCounters } from './lines';
import { parseRollup, type RollupLine } from './rollup';
import { lineTime, parseSample } from './sample-line';
import { linesFromEnd } from './tail';

export interface TimeRange {
  /** Unix ms, inclusive. */
  from: number;
  /** Unix ms, exclusive. */
  to: number;
}

/**
 * Raw samples in [from, to) straight from the files, for readers that do not own the store
 * (another process may be writing it: only whole lines are ever taken).
 */
export async function* readSamples(
  dataDir: string,
  range: TimeRange,
  counters?: ReadCounters,
): AsyncGenerator<Sample> {
  const segs = overlapping(await listSegments(dataDir, 'raw'), range.from, range.to);
  for (const seg of segs) {
    for await (const block of readLineBlocks(seg.file, seg.gz, counters)) {
      for (const line of block) {
        if (line.length === 0) continue;
        const t = lineTime(line);
        if (t !== null && (t < range.from || t >= range.to)) continue;
        const s = parseSample(line);
        if (s === null) {
          if (counters) counters.corrupt++;
          continue;
        }
        if (s.t >= range.from && s.t < range.to) yield s;
      }
    }
  }
}

/**
 * Written rollup lines whose bucket starts in [from, to), oldest segment first; the buckets
 * still open in memory are the store's to add.
 */
export async function* readRollupLines(
  dataDir: string,
  tier: RollupTier,
  range: TimeRange,
  counters?: ReadCounters,
): AsyncGenerator<RollupLine> {
  const segs = overlapping(await listSegments(dataDir, tier), range.from, range.to);
  for (const seg of segs) {
    for await (const block of readLineBlocks(seg.file, seg.gz, counters)) {
      for (const text of block) {
        if (text.length === 0) continue;
        // A month's hour segment mostly lies outside a short window: skip before parsing.
        const t = lineTime(text);
        if (t !== null && (t < range.from || t >= range.to)) continue;
        const line = parseRollup(text);
        if (line === null) {
          if (counters) counters.corrupt++;
          continue;
        }
        if (line.t >= range.from && line.t < range.to) yield line;
      }
    }
  }
}

/** The last valid sample of the newest raw segment that has one. */
export async function findNewest(dataDir: string): Promise<Sample | undefined> {
  const segs = await listSegments(dataDir, 'raw');
  for (let i = segs.length - 1; i >= 0; i--) {
    const seg = segs[i];
    let last: Sample | undefined;
    if (seg.gz) {
      for await (const block of readLineBlocks(seg.file, true)) {
        for (let j = block.length - 1; j >= 0; j--) {
          const s = parseSample(block[j]);
          if (s) {
            last = s;
            break;
          }
        }
      }
    } else {
      for await (const line of linesFromEnd(seg.file)) {
        last = parseSample(line) ?? undefined;
        if (last) break;
      }
    }
    if (last) return last;
  }
  return undefined;
}
