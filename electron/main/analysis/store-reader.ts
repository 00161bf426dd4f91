import fs from 'node:fs/promises';
import type { Sample } from '../../../shared/sample';
import { samplesDir, type RollupTier } from '../store/layout';
import { readRawColumns, type RawPart } from '../store/raw-columns';
import type { RollupLine } from '../store/rollup';
import { readRollupColumns, type RollupPart } from '../store/rollup-columns';
import { readRollupLines, readSamples } from '../store/segment-reads';
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

  readRollups(tier: RollupTier, range: Range): AsyncGenerator<RollupLine> {
    return readRollupLines(this.dataDir, tier, range);
  }
}
