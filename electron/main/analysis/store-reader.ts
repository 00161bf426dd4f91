import fs from 'node:fs/promises';
import type { Sample } from '../../../shared/sample';
import { listSegments, overlapping, samplesDir, type RollupTier } from '../store/layout';
import { readLines } from '../store/lines';
import { parseRollup, type RollupLine } from '../store/rollup';
import { readSamples } from '../store/sample-store';
import type { AnalysisSource } from './analyze';

type Range = { from: number; to: number };

/**
 * Reads a data directory's samples and rollups without opening the store: no lock, no
 * repair, no writes, so a report runs beside a collecting daemon. Lines the daemon is
 * still writing are never seen half-written (readLineBlocks yields whole lines only).
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

  async *readRollups(tier: RollupTier, range: Range): AsyncGenerator<RollupLine> {
    const segs = overlapping(await listSegments(this.dataDir, tier), range.from, range.to);
    for (const seg of segs)
      for await (const text of readLines(seg.file, seg.gz)) {
        const line = text.length > 0 ? parseRollup(text) : null;
        if (line !== null && line.t >= range.from && line.t < range.to) yield line;
      }
  }
}
