import fs from 'node:fs/promises';

/**
 * The last complete lines of a plain file, newest first, read from its end in blocks so
 * opening a large segment costs one small read.
 */
export async function* linesFromEnd(file: string): AsyncGenerator<string> {
  let fh: fs.FileHandle;
  try {
    fh = await fs.open(file, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  try {
    const { size } = await fh.stat();
    const block = 64 * 1024;
    let end = size;
    let carry = Buffer.alloc(0);
    // A trailing fragment without newline is not a line yet.
    let first = true;
    while (end > 0) {
      const start = Math.max(0, end - block);
      const buf = Buffer.alloc(end - start);
      await fh.read(buf, 0, buf.length, start);
      let data = Buffer.concat([buf, carry]);
      if (first) {
        const lastNl = data.lastIndexOf(0x0a);
        data = data.subarray(0, lastNl + 1);
        first = lastNl < 0;
      }
      let nl = data.lastIndexOf(0x0a, data.length - 2);
      let stop = data.length;
      while (nl >= 0) {
        const line = data.toString('utf8', nl + 1, stop - 1);
        if (line.length > 0) yield line;
        stop = nl + 1;
        nl = nl === 0 ? -1 : data.lastIndexOf(0x0a, nl - 1);
      }
      carry = data.subarray(0, stop);
      end = start;
    }
    if (carry.length > 1) yield carry.toString('utf8', 0, carry.length - 1);
  } finally {
    await fh.close();
  }
}
