import fs from 'node:fs/promises';
import path from 'node:path';
import lockfile from 'proper-lockfile';

const PID_FILE = 'daemon.pid';

export class AlreadyRunningError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number | null,
  ) {
    super(
      `another OpsPulse collector${pid ? ` (pid ${pid})` : ''} is already running on ${dataDir}; ` +
        'stop it first or pass --replace',
    );
    this.name = 'AlreadyRunningError';
  }
}

export interface InstanceLock {
  release(): Promise<void>;
}

/**
 * One collector per data directory. proper-lockfile's lock survives a crash (stale after
 * its update period), unlike a bare pid file; the pid file beside it is only there so
 * `--replace` knows whom to stop.
 */
export async function acquireInstanceLock(
  dataDir: string,
  opts: { replace?: boolean; waitMs?: number } = {},
): Promise<InstanceLock> {
  await fs.mkdir(dataDir, { recursive: true });
  const target = path.join(dataDir, 'config.json');
  const pidFile = path.join(dataDir, PID_FILE);
  const tryLock = () =>
    lockfile.lock(target, {
      realpath: false,
      stale: 15_000,
      update: 5_000,
      lockfilePath: path.join(dataDir, 'collector.lock'),
    });
  let release: () => Promise<void>;
  try {
    release = await tryLock();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ELOCKED') throw err;
    const pid = await readPid(pidFile);
    if (!opts.replace) throw new AlreadyRunningError(dataDir, pid);
    if (pid !== null) signal(pid, 'SIGTERM');
    release = await waitForLock(tryLock, opts.waitMs ?? 15_000, dataDir, pid);
  }
  await fs.writeFile(pidFile, String(process.pid));
  return {
    async release() {
      await fs.rm(pidFile, { force: true });
      await release().catch(() => undefined);
    },
  };
}

async function waitForLock(
  tryLock: () => Promise<() => Promise<void>>,
  waitMs: number,
  dataDir: string,
  pid: number | null,
): Promise<() => Promise<void>> {
  const until = Date.now() + waitMs;
  for (;;) {
    try {
      return await tryLock();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ELOCKED' || Date.now() > until)
        throw new AlreadyRunningError(dataDir, pid);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

async function readPid(file: string): Promise<number | null> {
  const text = await fs.readFile(file, 'utf8').catch(() => '');
  const pid = Number.parseInt(text, 10);
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // Already gone: the stale lock will be taken over once proper-lockfile sees it stale.
  }
}
