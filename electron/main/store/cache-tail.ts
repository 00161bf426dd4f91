import fs from 'node:fs/promises';
import type { Segment } from './layout';
import { readLineBlocks, type ReadCounters } from './lines';

/**
 * A segment still being written gets its derived caches rebuilt once the lines appended
 * past them reach this many bytes and a quarter of what they cover; up to that the new
 * lines are parsed. A day's segment is thus rescanned a bounded number of times however
 * often it is read, and a read parses at most a fifth of it.
 */
const REFRESH_BYTES = 256 * 1024;

/** Whether caches covering `covered` bytes of a segment now `size` long should be rebuilt. */
export function cachesBehind(seg: Segment, size: number, covered: number): boolean {
  return !seg.gz && size - covered >= Math.max(REFRESH_BYTES, covered / 4);
}

/**
 * Records in [from, to) from the whole lines after byte `start` (0: the whole segment,
 * compressed or not), parsed by `parse` (null: corrupt).
 */
export async function linesAfter<T extends { t: number }>(
  seg: Segment,
  start: number,
  range: { from: number; to: number },
  parse: (line: string) => T | null,
  counters?: ReadCounters,
): Promise<T[]> {
  const out: T[] = [];
  const take = (line: string): void => {
    if (line.length === 0) return;
    const x = parse(line);
    if (x === null) {
      if (counters) counters.corrupt++;
    } else if (x.t >= range.from && x.t < range.to) out.push(x);
  };
  if (start === 0) {
    for await (const block of readLineBlocks(seg.file, seg.gz, counters)) block.forEach(take);
    return out;
  }
  const fh = await fs.open(seg.file, 'r').catch(() => null);
  if (fh === null) return out;
  try {
    const size = (await fh.stat()).size;
    if (size <= start) return out;
    const buf = Buffer.alloc(size - start);
    const { bytesRead } = await fh.read(buf, 0, buf.length, start);
    const last = buf.lastIndexOf(0x0a, bytesRead - 1);
    if (last + 1 < bytesRead && counters) counters.partial++;
    if (last >= 0) buf.toString('utf8', 0, last).split('\n').forEach(take);
  } finally {
    await fh.close();
  }
  return out;
}
