import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spillFile } from '../../electron/main/store/spill';
import { makeTmpDir, removeDir } from '../helpers/tmp-dir';
import { startHttp, type TestServer } from '../probes/helpers';
import { rawSamples, report, startDaemon, waitFor, writeConfig } from './helpers';

/**
 * A real full disk: the data directory on a small tmpfs this test mounts (needs root; the
 * test says so and skips where mounting is not allowed). Fill it, free it, stop while full.
 */
const INTERVAL_MS = 1_000;
let server: TestServer;
let root: string;
let mounted = false;
let why = '';

beforeAll(async () => {
  server = await startHttp((_req, res) => res.end('{"ok":true}'));
  root = await makeTmpDir('opspulse-diskfull-');
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', root], { stdio: 'pipe' });
    mounted = true;
  } catch (err) {
    why = String((err as { stderr?: Buffer }).stderr ?? err).trim();
  }
});
afterAll(async () => {
  await server.close();
  if (mounted) execFileSync('umount', ['-l', root]);
  await removeDir(root);
});

/** Fills the file system with one file until it refuses a byte. */
function fill(dir: string): string {
  const file = path.join(dir, 'filler');
  const fd = fs.openSync(file, 'w');
  const chunk = Buffer.alloc(64 * 1024, 1);
  try {
    for (;;) fs.writeSync(fd, chunk);
  } catch {
    // ENOSPC: full. Smaller writes take the last bytes too.
    try {
      for (;;) fs.writeSync(fd, Buffer.alloc(512, 1));
    } catch {
      // Full to the last block.
    }
  } finally {
    fs.closeSync(fd);
  }
  return file;
}

/** Sample times that are more than 1.5 intervals apart: ticks that never reached the disk. */
function gaps(ts: number[]): number {
  const sorted = [...ts].sort((a, b) => a - b);
  let n = 0;
  for (let i = 1; i < sorted.length; i++) if (sorted[i] - sorted[i - 1] > 1.5 * INTERVAL_MS) n++;
  return n;
}

describe('fault suite: disk full', () => {
  it('holds samples while the disk is full, writes them on recovery and keeps them at shutdown', async (ctx) => {
    if (!mounted) {
      console.log(`[fault-suite] disk full: skipped, cannot mount a tmpfs here (${why})`);
      ctx.skip();
    }
    const dir = path.join(root, 'data');
    writeConfig(dir, {
      interval: INTERVAL_MS / 1000,
      system: { enabled: false },
      // Twenty targets make a sample line of about 1.5 KB, so a full tmpfs refuses the
      // raw segment within a tick or two (it takes what fits in its last allocated page).
      targets: Array.from({ length: 20 }, (_, i) => ({
        id: `api${i}`,
        name: `API ${i}`,
        kind: 'http',
        url: `${server.url}/h${i}`,
      })),
    });
    fs.rmSync(spillFile(dir), { force: true });
    let d = startDaemon(['--data', dir, 'run']);
    await waitFor('samples', () => rawSamples(dir).length >= 3, 60_000);

    // Phase 1: full, then freed while running.
    let filler = fill(root);
    const beforeFull = rawSamples(dir).length;
    await new Promise((r) => setTimeout(r, 3_500));
    const duringFull = rawSamples(dir).length;
    await waitFor('storage failing', () => /Samples cannot be stored/.test(d.stderr()), 10_000);
    fs.rmSync(filler);
    const freedAt = performance.now();
    await waitFor(
      'storage writable',
      () => /Storage is writable again/.test(d.stderr()),
      10_000,
      10,
    );
    const recoveryMs = performance.now() - freedAt;

    // Phase 2: full again, then SIGTERM while full.
    filler = fill(root);
    await new Promise((r) => setTimeout(r, 3_000));
    const t0 = performance.now();
    d.child.kill('SIGTERM');
    const exit = await d.exited;
    const stopMs = exit.at - t0;
    const spill = spillFile(dir);
    const spilled = fs.existsSync(spill)
      ? fs.readFileSync(spill, 'utf8').split('\n').filter(Boolean).length
      : 0;
    const tmpLeft = fs
      .readdirSync(dir, { recursive: true })
      .map(String)
      .filter((f) => f.endsWith('.tmp') && fs.statSync(path.join(dir, f)).size === 0);
    fs.rmSync(filler);

    // Restart with space: the spilled samples go into the store.
    d = startDaemon(['--data', dir, 'run']);
    await waitFor(
      'a sample after restart',
      () => rawSamples(dir).length > 0 && !fs.existsSync(spill),
      60_000,
    );
    const n = rawSamples(dir).length;
    await waitFor('one more sample', () => rawSamples(dir).length > n, 10_000);
    d.child.kill('SIGTERM');
    await d.exited;
    const all = rawSamples(dir);
    // Gaps only where no process ran: the restart (one), none while the disk was full.
    const missing = gaps(all.map((s) => s.t));

    report('disk full', {
      samples_on_disk_before_full: beforeFull,
      while_full_on_disk: duringFull,
      recovery_after_free_ms: recoveryMs,
      sigterm_while_full_to_exit_ms: stopMs,
      samples_kept_at_shutdown: spilled,
      restored_on_restart: d.stderr().match(/(\d+) sample\(s\) a full disk refused/)?.[1] ?? 0,
      gaps_in_series: missing,
      empty_tmp_files_left: tmpLeft.length,
    });
    expect(duringFull - beforeFull).toBeLessThanOrEqual(3);
    expect(recoveryMs).toBeLessThanOrEqual(INTERVAL_MS + 1_000);
    expect(exit.code).toBe(0);
    expect(stopMs).toBeLessThan(2_000);
    expect(spilled).toBeGreaterThanOrEqual(2);
    expect(d.stderr()).toMatch(new RegExp(`${spilled} sample\\(s\\) a full disk refused`));
    expect(missing).toBeLessThanOrEqual(1);
    expect(tmpLeft).toEqual([]);
  }, 180_000);
});
