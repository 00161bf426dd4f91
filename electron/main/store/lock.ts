import fs from 'node:fs/promises';
import path from 'node:path';

const openHere = new Set<string>();

/**
 * One writer per store. The lock file holds the owner's pid, so a lock left by a crashed
 * process is taken over at once instead of after a staleness timeout.
 */
export async function lockStore(dir: string): Promise<() => Promise<void>> {
  const file = path.join(dir, '.lock');
  const key = path.resolve(file);
  if (openHere.has(key))
    throw new Error(`the sample store in ${dir} is already open in this process`);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await fs.writeFile(file, String(process.pid), { flag: 'wx' });
      openHere.add(key);
      return async () => {
        openHere.delete(key);
        await fs.rm(file, { force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const owner = Number((await fs.readFile(file, 'utf8').catch(() => '')).trim());
    if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isAlive(owner))
      throw new Error(
        `the sample store in ${dir} is in use by another OpsPulse process (pid ${owner})`,
      );
    await fs.rm(file, { force: true });
  }
  throw new Error(`cannot lock the sample store in ${dir}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
