import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** A fresh temp directory; the returned function removes it. */
export async function makeTmpDir(prefix = 'opspulse-test-'): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), prefix));
}

export async function removeDir(dir: string): Promise<void> {
  await fs.rm(dir, { recursive: true, force: true });
}
