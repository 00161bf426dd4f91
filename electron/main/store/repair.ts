import fs from 'node:fs/promises';

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
