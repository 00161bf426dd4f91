import fs from 'node:fs';
import path from 'node:path';

/**
 * Writes a small JSON file so readers in other processes never see half of it: a
 * uniquely named temp file, then rename (atomic on one file system).
 */
export function writeJsonAtomic(file: string, data: unknown): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  try {
    fs.writeFileSync(tmp, `${JSON.stringify(data)}\n`);
    fs.renameSync(tmp, file);
  } catch (err) {
    // A full disk creates the temp file and then refuses its bytes: leave no empty file.
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}

/** The parsed file, or undefined when it is missing. Unreadable JSON throws with the path. */
export function readJsonFile(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new Error(`${file}: not valid JSON (${(err as Error).message})`);
  }
}
