import fs from 'node:fs/promises';
import { createReadStream, createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type { Segment } from './layout';

const TMP = '.gz.tmp';

/**
 * Gzips a closed plain segment so that a crash at any point loses nothing and duplicates
 * nothing: (1) write <name>.gz.tmp (the existing .gz, if a late sample made a second plain
 * file, followed by a new gzip member), (2) delete the plain file, (3) rename the tmp into
 * place. finishPending() completes or undoes step 3 after a crash.
 */
export async function compressSegment(seg: Segment): Promise<void> {
  const gzFile = seg.file + '.gz';
  const tmp = seg.file + TMP;
  const existing = await fs.readFile(gzFile).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return null;
    throw err;
  });
  const out = createWriteStream(tmp);
  if (existing) out.write(existing);
  await pipeline(createReadStream(seg.file), createGzip({ level: 6 }), out);
  const fh = await fs.open(tmp, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
  await fs.rm(seg.file);
  await fs.rename(tmp, gzFile);
}

/** After a crash mid-compression: finish it if the plain file is gone, else start over. */
export async function finishPending(dir: string): Promise<number> {
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch {
    return 0;
  }
  let fixed = 0;
  for (const name of names) {
    if (!name.endsWith(TMP)) continue;
    const tmp = `${dir}/${name}`;
    const plain = tmp.slice(0, -TMP.length);
    const plainExists = await fs.stat(plain).then(
      () => true,
      () => false,
    );
    if (plainExists) await fs.rm(tmp);
    else await fs.rename(tmp, plain + '.gz');
    fixed++;
  }
  return fixed;
}
