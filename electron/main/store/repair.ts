import fs from 'node:fs/promises';
import { finishPending } from './compress';
import { listSegments, tierDir, TIERS } from './layout';

/** What a crash left unfinished on disk, as found and fixed at open. */
export interface SegmentRepairs {
  /** Plain segments whose torn last line was cut, with the bytes removed. */
  torn: { file: string; bytes: number }[];
  /** Compressions a crash interrupted, completed or rolled back. */
  pendingGzip: number;
}

/** Completes or rolls back interrupted compressions, then cuts every plain segment's torn tail. */
export async function repairSegments(dataDir: string): Promise<SegmentRepairs> {
  let pendingGzip = 0;
  for (const tier of TIERS) pendingGzip += await finishPending(tierDir(dataDir, tier));
  const torn: SegmentRepairs['torn'] = [];
  for (const tier of TIERS) {
    for (const seg of await listSegments(dataDir, tier)) {
      if (seg.gz) continue;
      const bytes = await repairTornTail(seg.file);
      if (bytes > 0) torn.push({ file: seg.file, bytes });
    }
  }
  return { torn, pendingGzip };
}

/**
 * Cuts a torn last line (no newline: a crash mid-write) back to the last complete line.
 * Returns the bytes removed.
 */
export async function repairTornTail(file: string): Promise<number> {
  let fh: fs.FileHandle;
  try {
    fh = await fs.open(file, 'r+');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw err;
  }
  try {
    const { size } = await fh.stat();
    if (size === 0) return 0;
    const one = Buffer.alloc(1);
    await fh.read(one, 0, 1, size - 1);
    if (one[0] === 0x0a) return 0;
    const chunk = Buffer.alloc(64 * 1024);
    let end = size;
    let keep = 0;
    while (end > 0) {
      const start = Math.max(0, end - chunk.length);
      const { bytesRead } = await fh.read(chunk, 0, end - start, start);
      const nl = chunk.subarray(0, bytesRead).lastIndexOf(0x0a);
      if (nl >= 0) {
        keep = start + nl + 1;
        break;
      }
      end = start;
    }
    await fh.truncate(keep);
    return size - keep;
  } finally {
    await fh.close();
  }
}
