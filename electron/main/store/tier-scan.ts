import { listSegments, type RollupTier } from './layout';
import { readLines } from './lines';

const HEAD = /^\{"v":1,"t":(-?\d+),"d":(\d+),/;

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
