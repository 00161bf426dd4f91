import fs from 'node:fs/promises';
import type { Sample } from '../../../shared/sample';
import { listSegments, overlapping, samplesDir, type RollupTier } from '../store/layout';
import { readLineBlocks, readLines } from '../store/lines';
import { newLine, ROLLUP_VERSION, type RollupLine, type SeriesAgg } from '../store/rollup';
import { QuantileSketch } from '../store/sketch';
import { lineTime, parseSample } from '../store/sample-line';
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

  async *read(range: Range): AsyncGenerator<Sample> {
    const segs = overlapping(await listSegments(this.dataDir, 'raw'), range.from, range.to);
    for (const seg of segs)
      for await (const block of readLineBlocks(seg.file, seg.gz))
        for (const line of block) {
          if (line.length === 0) continue;
          const t = lineTime(line);
          if (t !== null && (t < range.from || t >= range.to)) continue;
          const s = parseSample(line);
          if (s !== null && s.t >= range.from && s.t < range.to) yield s;
        }
  }

  async *readRollups(tier: RollupTier, range: Range): AsyncGenerator<RollupLine> {
    const segs = overlapping(await listSegments(this.dataDir, tier), range.from, range.to);
    for (const seg of segs)
      for await (const text of readLines(seg.file, seg.gz)) {
        const line = text.length > 0 ? parseForAnalysis(text) : null;
        if (line !== null && line.t >= range.from && line.t < range.to) yield line;
      }
  }
}

const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

/**
 * A rollup line (format: store/rollup.ts) as the analysis needs it: the same as the
 * store's parseRollup, except that only latency sketches (tg.<id>.ms) are decoded. A year
 * of hour lines holds ~175 000 sketches, half of them time-to-first-byte ones no report
 * reads; decoding them was a third of a 1-year report. Corrupt lines are null.
 */
function parseForAnalysis(text: string): RollupLine | null {
  let x: unknown;
  try {
    x = JSON.parse(text);
  } catch {
    return null;
  }
  const o = x as { v?: unknown; t?: unknown; d?: unknown; n?: unknown; s?: unknown } | null;
  if (typeof o !== 'object' || o === null || o.v !== ROLLUP_VERSION) return null;
  if (!isNum(o.t) || !isNum(o.d) || !isNum(o.n) || typeof o.s !== 'object' || o.s === null)
    return null;
  const line = newLine(o.t, o.d);
  line.n = o.n;
  const series = o.s as Record<string, unknown>;
  for (const name in series) {
    const v = series[name];
    if (!Array.isArray(v) || v.length < 6) return null;
    for (let i = 0; i < 6; i++) if (!isNum(v[i])) return null;
    const a: SeriesAgg = {
      count: v[0] as number,
      sum: v[1] as number,
      min: v[2] as number,
      max: v[3] as number,
      first: o.t + (v[4] as number),
      last: o.t + (v[5] as number),
    };
    if (v.length > 6 && name.endsWith('.ms')) {
      try {
        a.sketch = QuantileSketch.fromJSON(v[6]);
      } catch {
        return null;
      }
    }
    line.series.set(name, a);
  }
  return line;
}
