import fs from 'node:fs/promises';
import type { Config } from '../../../shared/config-schema';
import { compressSegment } from './compress';
import { DAY, listSegments, TIERS, type Segment, type TierName } from './layout';
import { buildRollupCaches } from './rollup-columns';
import { derivedFiles, sidecarBytes, sweepSidecars } from './sidecar';

export interface MaintainReport {
  /** Segments removed because they passed their tier's retention. */
  expired: string[];
  /** Closed segments gzipped. */
  compressed: string[];
  /** Segments removed (each with its sidecar) to stay under retention.maxBytes. */
  trimmed: string[];
}

const DAYS_KEY: Record<TierName, 'rawDays' | 'minuteDays' | 'hourDays'> = {
  raw: 'rawDays',
  '1m': 'minuteDays',
  '1h': 'hourDays',
};

/**
 * Retention, compression and the size cap. `busy` holds files open for writing, which are
 * never touched. A segment expires when its whole period is older than the tier's days; a
 * segment whose period ended more than a day ago is gzipped (every tier: rollup lines
 * shrink to about a sixth), a compressed rollup segment gets its column sidecar, and
 * sidecars whose segment is gone are removed.
 */
export async function maintainStore(
  dataDir: string,
  retention: Config['retention'],
  now: number,
  busy: Set<string>,
): Promise<MaintainReport> {
  const report: MaintainReport = { expired: [], compressed: [], trimmed: [] };
  for (const tier of TIERS) {
    const cutoff = now - retention[DAYS_KEY[tier]] * DAY;
    for (const seg of await listSegments(dataDir, tier)) {
      if (seg.end > cutoff || busy.has(seg.file)) continue;
      await fs.rm(seg.file, { force: true });
      report.expired.push(seg.file);
    }
  }
  for (const tier of TIERS) {
    for (const seg of await listSegments(dataDir, tier)) {
      if (seg.gz || seg.end > now - DAY || busy.has(seg.file)) continue;
      await compressSegment(seg);
      report.compressed.push(seg.file);
      // Charts and reports of weeks and months read rollups: their first view should not
      // wait for a scan. The caches are an optimisation: the next reader builds any missed.
      if (tier !== 'raw')
        await buildRollupCaches({ ...seg, file: seg.file + '.gz', gz: true }).catch(() => null);
    }
  }
  // Before the cap, so that sidecars of segments just expired or compressed are not counted.
  await sweepSidecars(dataDir);
  if (retention.maxBytes !== undefined) await trimToCap(dataDir, retention.maxBytes, busy, report);
  return report;
}

/**
 * Oldest raw first, then the oldest minute rollups, then hours; the newest segment of each
 * tier stays. The cap is on everything the store keeps: segments, plain or gzipped, and
 * their column sidecars (which go with their segment), so a sidecar being written counts too.
 */
async function trimToCap(
  dataDir: string,
  maxBytes: number,
  busy: Set<string>,
  report: MaintainReport,
): Promise<void> {
  const size = async (file: string) => (await fs.stat(file).catch(() => null))?.size ?? 0;
  const sized: { seg: Segment; bytes: number }[][] = [];
  let total = await sidecarBytes(dataDir);
  for (const tier of TIERS) {
    const list: { seg: Segment; bytes: number }[] = [];
    for (const seg of await listSegments(dataDir, tier)) {
      const bytes = await size(seg.file);
      total += bytes;
      list.push({ seg, bytes });
    }
    sized.push(list);
  }
  for (const list of sized) {
    const newestKey = list.at(-1)?.seg.key;
    for (const { seg, bytes } of list) {
      if (total <= maxBytes) return;
      if (seg.key === newestKey || busy.has(seg.file)) continue;
      // Derived files first: a crash between leaves a segment, never an orphan sidecar.
      for (const derived of derivedFiles(seg)) {
        total -= await size(derived);
        await fs.rm(derived, { force: true });
      }
      await fs.rm(seg.file, { force: true });
      total -= bytes;
      report.trimmed.push(seg.file);
    }
  }
}
