import fs from 'node:fs/promises';
import { listSegments, type RollupTier } from './layout';
import { readLines } from './lines';

const HEAD = /^\{"v":[12],"t":(-?\d+),"d":(\d+),/;

/**
 * The end of the newest bucket written to a rollup tier, or -Infinity when the tier is
 * empty: everything from there on is rebuilt from the finer tier at open.
 */
export async function rollupEnd(dataDir: string, tier: RollupTier): Promise<number> {
  const segs = await listSegments(dataDir, tier);
  for (let i = segs.length - 1; i >= 0; i--) {
    let end = -Infinity;
    for await (const line of readLines(segs[i].file, segs[i].gz)) {
      const m = HEAD.exec(line);
      if (m && line.endsWith('}}')) end = Math.max(end, Number(m[1]) + Number(m[2]));
    }
    if (end > -Infinity) return end;
  }
  return -Infinity;
}

/**
 * Removes the lines of a rollup tier whose bucket starts at or after `from`, so they can be
 * rebuilt from the finer tier without counting anything twice. Returns the lines removed.
 */
export async function rewindTier(dataDir: string, tier: RollupTier, from: number): Promise<number> {
  let removed = 0;
  for (const seg of await listSegments(dataDir, tier)) {
    if (seg.end <= from) continue;
    const kept: string[] = [];
    let dropped = 0;
    for await (const line of readLines(seg.file, seg.gz)) {
      const m = HEAD.exec(line);
      if (m && Number(m[1]) >= from) dropped++;
      else if (line.length > 0) kept.push(line + '\n');
    }
    if (dropped === 0) continue;
    removed += dropped;
    const plain = seg.gz ? seg.file.slice(0, -'.gz'.length) : seg.file;
    const tmp = plain + '.tmp';
    await fs.writeFile(tmp, kept.join(''));
    if (seg.gz) {
      // The kept lines of a compressed period go back to plain text; the next maintain() compresses them.
      await fs.appendFile(tmp, await fs.readFile(plain).catch(() => Buffer.alloc(0)));
      await fs.rm(seg.file);
    }
    await fs.rename(tmp, plain);
  }
  return removed;
}
