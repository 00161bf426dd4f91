import fs from 'node:fs/promises';
import path from 'node:path';

/** Bytes of every file under <dataDir>/samples but the lock: what the store keeps on disk. */
export async function duSamples(dataDir: string): Promise<number> {
  const entries = await fs.readdir(path.join(dataDir, 'samples'), {
    recursive: true,
    withFileTypes: true,
  });
  let bytes = 0;
  for (const e of entries) {
    if (!e.isFile() || e.name === '.lock') continue;
    bytes += (await fs.stat(path.join(e.parentPath, e.name))).size;
  }
  return bytes;
}
