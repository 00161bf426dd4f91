import fs from 'node:fs/promises';
import path from 'node:path';

/**
 * Where the store keeps its files (all under <dataDir>/samples):
 *
 *   raw/YYYY-MM-DD.jsonl      one sample per line (shared/sample.ts), by the sample's UTC day
 *   1m/YYYY-MM-DD.jsonl       1-minute rollup lines, by the bucket's UTC day
 *   1h/YYYY-MM.jsonl          1-hour rollup lines, by the bucket's UTC month
 *   <any>.jsonl.gz            the same, gzipped once its period ended more than a day ago
 *
 * A segment holds exactly the lines whose time falls in its day (or month), in write order.
 * A line for a compressed period (a clock that went back) starts a plain file beside the
 * .gz; readers read both and the next compression appends it to the .gz.
 */
export type TierName = 'raw' | '1m' | '1h';
export const TIERS: readonly TierName[] = ['raw', '1m', '1h'];

export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

/** Bucket length of a rollup tier. */
export const BUCKET_MS = { '1m': MINUTE, '1h': HOUR } as const;
export type RollupTier = keyof typeof BUCKET_MS;

export interface Segment {
  tier: TierName;
  /** The day (YYYY-MM-DD) or month (YYYY-MM) in the name. */
  key: string;
  /** Unix ms range the segment covers: [start, end). */
  start: number;
  end: number;
  file: string;
  gz: boolean;
}

export function samplesDir(dataDir: string): string {
  return path.join(dataDir, 'samples');
}

export function tierDir(dataDir: string, tier: TierName): string {
  return path.join(samplesDir(dataDir), tier);
}

/** Monthly files for the hour tier keep it at 12 files a year; days for the finer tiers. */
export function segmentKey(tier: TierName, t: number): string {
  const iso = new Date(t).toISOString();
  return tier === '1h' ? iso.slice(0, 7) : iso.slice(0, 10);
}

export function segmentRange(tier: TierName, key: string): { start: number; end: number } {
  if (tier === '1h') {
    const [y, m] = key.split('-').map(Number);
    return { start: Date.UTC(y, m - 1, 1), end: Date.UTC(y, m, 1) };
  }
  const start = Date.parse(`${key}T00:00:00Z`);
  return { start, end: start + DAY };
}

export function segmentFile(dataDir: string, tier: TierName, key: string, gz = false): string {
  return path.join(tierDir(dataDir, tier), `${key}.jsonl${gz ? '.gz' : ''}`);
}

const NAME = /^(\d{4}-\d{2}(?:-\d{2})?)\.jsonl(\.gz)?$/;

/**
 * The tier's segments, oldest first. A day may have both a .gz and a plain file (a late
 * sample written after compression); both are listed, the .gz first.
 */
export async function listSegments(dataDir: string, tier: TierName): Promise<Segment[]> {
  let names: string[];
  try {
    names = await fs.readdir(tierDir(dataDir, tier));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const out: Segment[] = [];
  for (const name of names) {
    const m = NAME.exec(name);
    if (!m) continue;
    const key = m[1];
    if ((tier === '1h') !== (key.length === 7)) continue;
    const { start, end } = segmentRange(tier, key);
    if (!Number.isFinite(start)) continue;
    const gz = m[2] !== undefined;
    out.push({ tier, key, start, end, gz, file: path.join(tierDir(dataDir, tier), name) });
  }
  out.sort((a, b) => a.start - b.start || Number(b.gz) - Number(a.gz));
  return out;
}

/** Segments that may hold lines in [from, to). */
export function overlapping(segments: Segment[], from: number, to: number): Segment[] {
  return segments.filter((s) => s.end > from && s.start < to);
}
