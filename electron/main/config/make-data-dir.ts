import fs from 'node:fs/promises';
import path from 'node:path';
import { CONFIG_FILE } from './config-store';

/** A data directory that cannot be used, with what and where in the message. */
export class DataDirError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DataDirError';
  }
}

/**
 * Creates the data directory one level at a time. Node's `mkdir(..., { recursive: true })`
 * never settles on some paths (e.g. under /proc, where mkdir answers ENOENT for a parent
 * that exists); a plain mkdir per missing level fails at once with the real reason.
 */
export async function makeDataDir(dir: string): Promise<void> {
  const missing: string[] = [];
  let p = path.resolve(dir);
  for (;;) {
    const stat = await fs.stat(p).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return null;
      throw cannotCreate(dir, p, err);
    });
    if (stat) {
      if (!stat.isDirectory())
        throw new DataDirError(`data directory ${dir}: ${p} is not a directory`);
      break;
    }
    missing.unshift(p);
    const parent = path.dirname(p);
    if (parent === p) break;
    p = parent;
  }
  for (const level of missing) {
    await fs.mkdir(level).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'EEXIST') throw cannotCreate(dir, level, err);
    });
  }
}

/** For commands that only read: the directory must exist and hold OpsPulse's config. */
export async function checkDataDirExists(dir: string): Promise<void> {
  const stat = await fs.stat(dir).catch(() => null);
  if (!stat?.isDirectory())
    throw new DataDirError(
      `no data directory at ${dir} (check --data or $OPSPULSE_DATA; \`opspulse run\` creates one)`,
    );
  const config = await fs.stat(path.join(dir, CONFIG_FILE)).catch(() => null);
  if (!config)
    throw new DataDirError(
      `${dir} holds no OpsPulse data (no ${CONFIG_FILE}; check --data or $OPSPULSE_DATA)`,
    );
}

function cannotCreate(dir: string, at: string, err: NodeJS.ErrnoException): DataDirError {
  const reason = err.code ?? err.message;
  return new DataDirError(
    `cannot create the data directory ${dir}: mkdir ${at} failed (${reason})`,
  );
}
