import fs from 'node:fs/promises';
import path from 'node:path';
import { makeDataDir } from '../config/make-data-dir';
import {
  isVerifiedOwner,
  lockDataDir,
  LockHeldError,
  readLockOwner,
  type DataDirLock,
} from '../store/lock';

export class AlreadyRunningError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number | null,
    why = 'stop it first or pass --replace',
  ) {
    super(
      `another OpsPulse collector${pid ? ` (pid ${pid})` : ''} is already running on ${dataDir}; ${why}`,
    );
    this.name = 'AlreadyRunningError';
  }
}

export interface InstanceLock {
  /** Called once if another process takes the data directory over: stop cleanly. */
  onLost(cb: (why: string) => void): void;
  release(): Promise<void>;
}

/** Files an older version kept beside the lock (proper-lockfile's directory, a pid file). */
const LEGACY = ['collector.lock', 'daemon.pid'];

/**
 * One collector per data directory, through the data directory's one lock (store/lock.ts):
 * a lock left by a dead process is taken over at once. With `replace`, a live owner is
 * sent SIGTERM, but only once the lock proves it is the OpsPulse process that wrote it
 * (its pid and start time): an unrelated process that reused the pid is never signalled.
 */
export async function acquireInstanceLock(
  dataDir: string,
  opts: { replace?: boolean; waitMs?: number } = {},
): Promise<InstanceLock> {
  // Not a recursive mkdir: on paths such as /proc/x/y it never settles (make-data-dir.ts).
  await makeDataDir(dataDir);
  let lock: DataDirLock;
  try {
    lock = await lockDataDir(dataDir, 'collector');
  } catch (err) {
    if (!(err instanceof LockHeldError)) throw err;
    if (!opts.replace) throw new AlreadyRunningError(dataDir, err.owner.pid);
    if (!isVerifiedOwner(err.owner))
      throw new AlreadyRunningError(
        dataDir,
        err.owner.pid,
        'it cannot be verified as the OpsPulse process that took the lock, so it was not signalled; stop it yourself',
      );
    try {
      process.kill(err.owner.pid, 'SIGTERM');
    } catch {
      // Gone already: the lock is stale now and taken over below.
    }
    lock = await waitForLock(dataDir, opts.waitMs ?? 10_000);
  }
  for (const name of LEGACY)
    await fs.rm(path.join(dataDir, name), { recursive: true, force: true }).catch(() => undefined);
  return { onLost: (cb) => lock.onLost(cb), release: () => lock.release() };
}

async function waitForLock(dataDir: string, waitMs: number): Promise<DataDirLock> {
  const until = Date.now() + waitMs;
  for (;;) {
    try {
      return await lockDataDir(dataDir, 'collector');
    } catch (err) {
      if (!(err instanceof LockHeldError)) throw err;
      if (Date.now() > until)
        throw new AlreadyRunningError(
          dataDir,
          (await readLockOwner(dataDir))?.pid ?? null,
          `it did not stop within ${Math.round(waitMs / 1000)} s of SIGTERM`,
        );
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}
