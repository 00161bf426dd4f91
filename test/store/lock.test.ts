import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireInstanceLock } from '../../electron/main/core/instance-lock';
import {
  isVerifiedOwner,
  lockDataDir,
  LockHeldError,
  processStart,
  readLockOwner,
} from '../../electron/main/store/lock';
import { SampleStore } from '../../electron/main/store/sample-store';
import { makeTmpDir, removeDir } from '../helpers/tmp-dir';

let dir: string;
const children: ChildProcess[] = [];

beforeEach(async () => {
  dir = await makeTmpDir();
});
afterEach(async () => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
  await removeDir(dir);
});

function sleeper(): ChildProcess {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
  children.push(child);
  return child;
}

async function writeLock(owner: object): Promise<void> {
  await fs.writeFile(path.join(dir, 'opspulse.lock'), JSON.stringify(owner));
}

describe('the data directory lock', () => {
  it('is taken over at once from a dead owner', async () => {
    const child = sleeper();
    const pid = child.pid!;
    await new Promise((r) => setTimeout(r, 50));
    const start = processStart(pid);
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    await writeLock({ pid, start, token: 'dead' });
    const t0 = Date.now();
    const lock = await lockDataDir(dir, 'collector');
    expect(Date.now() - t0).toBeLessThan(500);
    expect(await readLockOwner(dir)).toMatchObject({ pid: process.pid });
    await lock.release();
    await expect(fs.access(path.join(dir, 'opspulse.lock'))).rejects.toThrow();
  });

  it('is refused while its owner lives, and taken when the pid was reused by another program', async () => {
    const child = sleeper();
    await new Promise((r) => setTimeout(r, 50));
    const pid = child.pid!;
    await writeLock({ pid, start: processStart(pid), token: 'live' });
    await expect(lockDataDir(dir, 'collector')).rejects.toBeInstanceOf(LockHeldError);
    // Same pid, another start time: the owner died and the pid now names something else.
    await writeLock({ pid, start: 'not-its-start-time', token: 'old' });
    const lock = await lockDataDir(dir, 'collector');
    await lock.release();
  });

  it('--replace never signals a process it cannot prove is the lock owner', async () => {
    const child = sleeper();
    await new Promise((r) => setTimeout(r, 50));
    const pid = child.pid!;
    // A live pid, an unverifiable owner (no start time, as a bare pid file would give).
    await fs.writeFile(path.join(dir, 'opspulse.lock'), String(pid));
    expect(isVerifiedOwner({ pid, start: null, token: '' })).toBe(false);
    await expect(acquireInstanceLock(dir, { replace: true })).rejects.toThrow(
      /cannot be verified.*not signalled/,
    );
    expect(child.exitCode).toBeNull();
    expect(child.signalCode).toBeNull();
  });

  it('--replace stops a verified owner and takes the lock as soon as it is gone', async () => {
    // A child that holds the lock through the real code and exits on SIGTERM.
    const holder = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '-e',
        `import { lockDataDir } from './electron/main/store/lock.ts';
         const l = await lockDataDir(${JSON.stringify(dir)}, 'collector');
         process.on('SIGTERM', async () => { await l.release(); process.exit(0); });
         console.log('locked'); setInterval(() => {}, 1000);`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'], cwd: path.resolve(import.meta.dirname, '../..') },
    );
    children.push(holder);
    await new Promise<void>((r) => holder.stdout!.once('data', () => r()));
    const owner = await readLockOwner(dir);
    expect(owner?.pid).toBe(holder.pid);
    expect(isVerifiedOwner(owner!)).toBe(true);
    const t0 = Date.now();
    const lock = await acquireInstanceLock(dir, { replace: true });
    expect(Date.now() - t0).toBeLessThan(2_000);
    expect((await readLockOwner(dir))?.pid).toBe(process.pid);
    await lock.release();
  }, 30_000);

  it('is shared by a collector and its own store, once each', async () => {
    const lock = await acquireInstanceLock(dir);
    const store = await SampleStore.open(dir);
    await expect(SampleStore.open(dir)).rejects.toThrow(/already open/);
    await store.close();
    expect((await readLockOwner(dir))?.pid).toBe(process.pid);
    await lock.release();
    expect(await readLockOwner(dir)).toBeNull();
  });

  it('puts back a deleted lock file, and tells the holder once another process takes it', async () => {
    const lock = await lockDataDir(dir, 'collector');
    const file = path.join(dir, 'opspulse.lock');
    const lost: string[] = [];
    lock.onLost((why) => lost.push(why));
    await fs.rm(file);
    const until = Date.now() + 12_000;
    while (Date.now() < until && (await readLockOwner(dir)) === null)
      await new Promise((r) => setTimeout(r, 100));
    expect((await readLockOwner(dir))?.pid).toBe(process.pid);
    const other = sleeper();
    await writeLock({ pid: other.pid, start: processStart(other.pid!), token: 'thief' });
    while (Date.now() < until + 6_000 && lost.length === 0)
      await new Promise((r) => setTimeout(r, 100));
    expect(lost).toEqual([
      expect.stringMatching(`taken by another process \\(pid ${other.pid}\\)`),
    ]);
    await lock.release();
    // Released without removing the other process's lock.
    expect((await readLockOwner(dir))?.token).toBe('thief');
  }, 30_000);
});
