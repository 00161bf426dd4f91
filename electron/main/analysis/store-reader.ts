import fs from 'node:fs/promises';
import type { Sample } from '../../../shared/sample';
import { listSegments, overlapping, samplesDir, type RollupTier } from '../store/layout';
import { readLineBlocks } from '../store/lines';
import { readRawColumns, type RawPart } from '../store/raw-columns';
import { parseRollup, type RollupLine } from '../store/rollup';
import { readRollupColumns, type RollupPart } from '../store/rollup-columns';
import { readSamples } from '../store/sample-store';
import type { AnalysisSource } from './analyze';

type Range = { from: number; to: number };

/**
 * Reads a data directory's samples and rollups without opening the store: no lock, no
 * repair, no writes to the segments (only to their derived column caches, each replaced
 * atomically), so a report runs beside a collecting daemon. Lines the daemon is still
 * writing are never seen half-written (only whole lines are ever taken).
 */
export class StoreReader implements AnalysisSource {
  private constructor(readonly dataDir: string) {}

  /** Fails with a clear message when the directory holds no samples at all. */
  static async open(dataDir: string): Promise<StoreReader> {
    const dir = samplesDir(dataDir);
    const stat = await fs.stat(dir).catch(() => null);
    if (!stat?.isDirectory())
      throw new Error(
        `no OpsPulse data in ${dataDir} (no samples folder): start collecting with \`opspulse run\`, or pass --data DIR`,
      );
    return new StoreReader(dataDir);
  }

  read(range: Range): AsyncGenerator<Sample> {
    return readSamples(this.dataDir, range);
  }

  readRawColumns(range: Range): AsyncGenerator<RawPart> {
    return readRawColumns(this.dataDir, range);
  }

  readRollupColumns(tier: RollupTier, range: Range): AsyncGenerator<RollupPart> {
    return readRollupColumns(this.dataDir, tier, range);
  }

  async *readRollups(tier: RollupTier, range: Range): AsyncGenerator<RollupLine> {
    const segs = overlapping(await listSegments(this.dataDir, tier), range.from, range.to);
    for (const seg of segs)
      for await (const block of readLineBlocks(seg.file, seg.gz))
        for (const text of block) {
          // A month's hour segment mostly lies outside a short window: skip before parsing.
          const t = rollupTime(text);
          if (t !== null && (t < range.from || t >= range.to)) continue;
          const line = text.length > 0 ? parseRollup(text) : null;
          if (line !== null && line.t >= range.from && line.t < range.to) yield line;
        }
  }
}

const ROLLUP_PREFIX = '{"v":1,"t":';

/** A rollup line's bucket time from the prefix serializeRollup writes; null otherwise. */
function rollupTime(text: string): number | null {
  if (!text.startsWith(ROLLUP_PREFIX)) return null;
  const end = text.indexOf(',', ROLLUP_PREFIX.length);
  const t = end > 0 ? Number(text.slice(ROLLUP_PREFIX.length, end)) : NaN;
  return Number.isFinite(t) ? t : null;
}
