import fs from 'node:fs/promises';
import path from 'node:path';
import { listSegments, samplesDir, TIERS, type TierName } from './layout';
import { readLineBlocks } from './lines';

export interface TierStats {
  tier: TierName;
  files: number;
  /** Bytes on disk (compressed where the file is). */
  bytes: number;
  lines: number;
  /** Raw samples the tier holds or summarises (lines for raw, the sum of "n" for rollups). */
  samples: number;
  /** Bytes on disk per line (per sample for raw, per bucket for rollups). */
  bytesPerLine: number | null;
  bytesPerSample: number | null;
  /** Unix ms of the oldest and newest line (by the first line of the oldest file, the last of the newest). */
  oldest: number | null;
  newest: number | null;
}

/** Per-tier figures; reads every line (gzipped ones included), so it takes a moment on a big store. */
export async function storeStats(dataDir: string): Promise<TierStats[]> {
  const out: TierStats[] = [];
  for (const tier of TIERS) {
    const segs = await listSegments(dataDir, tier);
    let bytes = 0;
    let lines = 0;
    let samples = 0;
    let oldest: number | null = null;
    let newest: number | null = null;
    for (const seg of segs) {
      bytes += (await fs.stat(seg.file).catch(() => null))?.size ?? 0;
      for await (const block of readLineBlocks(seg.file, seg.gz)) {
        for (const line of block) {
          if (line.length === 0) continue;
          lines++;
          const m = HEAD.exec(line);
          if (m === null) continue;
          const t = Number(m[1]);
          samples += m[2] === undefined ? 1 : Number(m[2]);
          if (oldest === null || t < oldest) oldest = t;
          if (newest === null || t > newest) newest = t;
        }
      }
    }
    out.push({
      tier,
      files: segs.length,
      bytes,
      lines,
      samples,
      bytesPerLine: lines > 0 ? bytes / lines : null,
      bytesPerSample: samples > 0 ? bytes / samples : null,
      oldest,
      newest,
    });
  }
  return out;
}

/** Files and bytes on disk, apart from the tiers' segments. */
export interface FileStats {
  files: number;
  bytes: number;
}

/** The column sidecars of every tier and the raw details beside them (derived, deletable). */
export async function sidecarStats(dataDir: string): Promise<FileStats> {
  const out: FileStats = { files: 0, bytes: 0 };
  for (const tier of TIERS) {
    const dir = path.join(samplesDir(dataDir), '.columns', tier);
    for (const name of await fs.readdir(dir).catch(() => [] as string[])) {
      const st = await fs.stat(path.join(dir, name)).catch(() => null);
      if (st === null) continue;
      out.files++;
      out.bytes += st.size;
    }
  }
  return out;
}

/** The head every line written here starts with: time, and for rollups the sample count. */
const HEAD = /^\{"v":[12],"t":(\d+)(?:,"d":\d+,"n":(\d+))?/;

/** A table of the tiers, then the sidecars and the total on their own lines. */
export function formatStats(stats: TierStats[], sidecars: FileStats): string {
  const rows = [
    [
      'tier',
      'files',
      'bytes',
      'lines',
      'samples',
      'bytes/line',
      'bytes/sample',
      'oldest',
      'newest',
    ],
  ];
  for (const s of stats) {
    rows.push([
      s.tier,
      String(s.files),
      String(s.bytes),
      String(s.lines),
      String(s.samples),
      s.bytesPerLine === null ? '-' : s.bytesPerLine.toFixed(1),
      s.bytesPerSample === null ? '-' : s.bytesPerSample.toFixed(1),
      s.oldest === null ? '-' : new Date(s.oldest).toISOString(),
      s.newest === null ? '-' : new Date(s.newest).toISOString(),
    ]);
  }
  const other = (name: string, f: FileStats) =>
    rows.push([name, String(f.files), String(f.bytes), '-', '-', '-', '-', '-', '-']);
  other('sidecars', sidecars);
  other('total', totalBytes(stats, sidecars));
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i]))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** What the store holds on disk: the figure retention.maxBytes caps. */
export function totalBytes(stats: TierStats[], sidecars: FileStats): FileStats {
  return stats.reduce(
    (sum, s) => ({ files: sum.files + s.files, bytes: sum.bytes + s.bytes }),
    sidecars,
  );
}
