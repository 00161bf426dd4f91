import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fsSync from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';

/**
 * The one lock of a data directory: `<dataDir>/opspulse.lock`, held by the process that
 * collects and writes there (the daemon, the app's core, `collect --once`, a store rebuild).
 *
 * The file names its owner: pid, the process's start time (so a pid reused by another
 * program is not mistaken for the owner) and a token. It is written whole to a temp file
 * and linked into place, so nobody ever reads a half-written lock. A lock whose owner is
 * dead is taken over at once; one whose owner lives is refused (LockHeldError).
 *
 * Within a process the collector and its store share the lock (the store does not lock
 * what its own process already holds for it), but each may hold it only once.
 */
export const LOCK_FILE = 'opspulse.lock';

export interface LockOwner {
  pid: number;
  /** The owner's process start time as the OS reports it, or null where it cannot be read. */
  start: string | null;
  token: string;
}

export class LockHeldError extends Error {
  constructor(
    readonly dataDir: string,
    readonly owner: LockOwner,
  ) {
    super(`the data directory ${dataDir} is in use by another OpsPulse process (pid ${owner.pid})`);
    this.name = 'LockHeldError';
  }
}

export type LockHolder = 'collector' | 'store';

export interface DataDirLock {
  readonly file: string;
  readonly owner: LockOwner;
  /** Called once if another process takes the lock away (the holder should stop cleanly). */
  onLost(cb: (why: string) => void): void;
  release(): Promise<void>;
}

interface Held {
  owner: LockOwner;
  holders: Set<LockHolder>;
  lost: Set<(why: string) => void>;
  watch: NodeJS.Timeout;
}

const heldHere = new Map<string, Held>();
/** How often a holder checks that its lock file is still its own. */
const WATCH_MS = 5_000;

export function lockFileOf(dataDir: string): string {
  return path.resolve(dataDir, LOCK_FILE);
}

export async function lockDataDir(dataDir: string, holder: LockHolder): Promise<DataDirLock> {
  const file = lockFileOf(dataDir);
  let held = heldHere.get(file);
  if (held) {
    if (held.holders.has(holder))
      throw new Error(
        holder === 'store'
          ? `the sample store in ${dataDir} is already open in this process`
          : `a collector is already running on ${dataDir} in this process`,
      );
    held.holders.add(holder);
    return handle(file, held, holder);
  }
  await fs.mkdir(path.dirname(file), { recursive: true });
  const owner: LockOwner = {
    pid: process.pid,
    start: processStart(process.pid),
    token: randomUUID(),
  };
  await takeFile(dataDir, file, owner);
  // Another caller in this process may have taken it meanwhile (two opens at once).
  held = heldHere.get(file);
  if (held) throw new Error(`the data directory ${dataDir} was locked twice in this process`);
  held = { owner, holders: new Set([holder]), lost: new Set(), watch: watchLock(file, owner) };
  heldHere.set(file, held);
  return handle(file, held, holder);
}

/** The owner named in a data directory's lock file, or null when there is none (or it is unreadable). */
export async function readLockOwner(dataDir: string): Promise<LockOwner | null> {
  return parseOwner(await fs.readFile(lockFileOf(dataDir), 'utf8').catch(() => ''));
}

/** Whether the owner still runs: the pid is alive and, where the OS tells, started when the lock says. */
export function ownerAlive(owner: LockOwner): boolean {
  if (owner.pid === process.pid)
    return [...heldHere.values()].some((h) => h.owner.token === owner.token);
  try {
    process.kill(owner.pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (owner.start === null) return true;
  const now = processStart(owner.pid);
  return now === null || now === owner.start;
}

/**
 * Whether `owner` is provably the OpsPulse process that wrote the lock, so that signalling
 * it stops a collector and nothing else: alive, and its start time matches the lock's.
 */
export function isVerifiedOwner(owner: LockOwner): boolean {
  if (owner.start === null || owner.pid === process.pid) return false;
  return processStart(owner.pid) === owner.start;
}

async function takeFile(dataDir: string, file: string, owner: LockOwner): Promise<void> {
  const tmp = `${file}.${owner.pid}.${owner.token}.tmp`;
  await fs.writeFile(tmp, `${JSON.stringify(owner)}\n`);
  try {
    for (let attempt = 0; attempt < 20; attempt++) {
      try {
        await fs.link(tmp, file);
        return;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      const text = await fs.readFile(file, 'utf8').catch(() => null);
      if (text === null) continue; // released meanwhile: try again
      const other = parseOwner(text);
      if (other === null) {
        // Not ours to parse (an older version's bare pid is read by parseOwner): a file
        // being written by a version without link() may be empty for a moment.
        if (await youngerThan(file, 2_000)) {
          await sleep(100);
          continue;
        }
      } else if (ownerAlive(other)) {
        throw new LockHeldError(dataDir, other);
      }
      await removeStale(file, text);
    }
    throw new Error(`cannot lock ${dataDir}: its lock file ${file} keeps changing`);
  } finally {
    await fs.rm(tmp, { force: true });
  }
}

/**
 * Moves a stale lock aside, then checks that what was moved is the stale one: if a live
 * process replaced it in between, its lock is put back.
 */
async function removeStale(file: string, staleText: string): Promise<void> {
  const aside = `${file}.stale-${process.pid}-${randomUUID()}`;
  try {
    await fs.rename(file, aside);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  const moved = await fs.readFile(aside, 'utf8').catch(() => staleText);
  if (moved !== staleText) await fs.link(aside, file).catch(() => undefined);
  await fs.rm(aside, { force: true });
}

function handle(file: string, held: Held, holder: LockHolder): DataDirLock {
  let released = false;
  return {
    file,
    owner: held.owner,
    onLost: (cb) => void held.lost.add(cb),
    async release() {
      if (released) return;
      released = true;
      held.holders.delete(holder);
      if (held.holders.size > 0) return;
      clearInterval(held.watch);
      heldHere.delete(file);
      // Only our own lock is removed, never one another process took over meanwhile.
      const now = parseOwner(await fs.readFile(file, 'utf8').catch(() => ''));
      if (now?.token === held.owner.token) await fs.rm(file, { force: true });
    },
  };
}

/**
 * Checks now and then that the lock file is still ours. A file someone deleted is put back
 * (nobody else holds it); one another process wrote means two collectors: the holders are
 * told, once, so they stop cleanly instead of writing beside it.
 */
function watchLock(file: string, owner: LockOwner): NodeJS.Timeout {
  const timer = setInterval(() => {
    const held = heldHere.get(file);
    if (!held) return;
    let text: string;
    try {
      text = fsSync.readFileSync(file, 'utf8');
    } catch {
      try {
        fsSync.writeFileSync(file, `${JSON.stringify(owner)}\n`, { flag: 'wx' });
        return;
      } catch {
        text = fsSync.existsSync(file) ? '' : 'gone';
      }
    }
    const now = parseOwner(text);
    if (now?.token === owner.token) return;
    const why = now
      ? `the lock ${file} was taken by another process (pid ${now.pid})`
      : `the lock ${file} can no longer be read or written`;
    const callbacks = [...held.lost];
    held.lost.clear();
    for (const cb of callbacks) cb(why);
  }, WATCH_MS);
  timer.unref();
  return timer;
}

function parseOwner(text: string): LockOwner | null {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return { pid: Number(trimmed), start: null, token: '' };
  try {
    const o = JSON.parse(trimmed) as Partial<LockOwner>;
    if (typeof o.pid === 'number' && Number.isInteger(o.pid) && o.pid > 0)
      return {
        pid: o.pid,
        start: typeof o.start === 'string' ? o.start : null,
        token: typeof o.token === 'string' ? o.token : '',
      };
  } catch {
    // Not JSON: no owner can be read from it, which the caller handles.
  }
  return null;
}

/**
 * When a process started, as an opaque string: field 22 of /proc/<pid>/stat on Linux,
 * `ps -o lstart=` elsewhere on Unix. Null where neither works (Windows), or the pid is gone.
 */
export function processStart(pid: number): string | null {
  if (process.platform === 'linux') {
    try {
      const stat = fsSync.readFileSync(`/proc/${pid}/stat`, 'utf8');
      // The command name (field 2) may hold spaces and parentheses: count after the last ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return fields[19] ?? null;
    } catch {
      return null;
    }
  }
  if (process.platform === 'win32') return null;
  try {
    const out = execFileSync('ps', ['-o', 'lstart=', '-p', String(pid)], {
      encoding: 'utf8',
      timeout: 2_000,
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    return out === '' ? null : out;
  } catch {
    return null;
  }
}

async function youngerThan(file: string, ms: number): Promise<boolean> {
  const st = await fs.stat(file).catch(() => null);
  return st !== null && Date.now() - st.mtimeMs < ms;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
