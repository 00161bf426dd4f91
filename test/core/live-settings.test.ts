import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Monitor } from '../../electron/main/core/monitor';
import { SystemProbe } from '../../electron/main/probes/system';
import { makeTmpDir, removeDir } from '../helpers/tmp-dir';

let dir: string;
let monitor: Monitor | undefined;
beforeEach(async () => {
  dir = await makeTmpDir('opspulse-live-');
});
afterEach(async () => {
  await monitor?.close();
  monitor = undefined;
  await removeDir(dir);
});

const DAY = 86_400_000;

describe('settings a running collector picks up', () => {
  it('a shorter retention applies at once, without a restart', async () => {
    const old = new Date(Date.now() - 10 * DAY).toISOString().slice(0, 10);
    const seg = path.join(dir, 'samples', 'raw', `${old}.jsonl`);
    await fs.mkdir(path.dirname(seg), { recursive: true });
    await fs.writeFile(seg, `${JSON.stringify({ v: 1, t: Date.parse(old), tg: {} })}\n`);
    monitor = await Monitor.open({ dataDir: dir, systemMetrics: false });
    monitor.start();
    // Kept (14 days by default), gzipped by the start-up maintenance as a closed segment.
    const exists = async () => (await fs.readdir(path.dirname(seg))).some((f) => f.startsWith(old));
    await new Promise((r) => setTimeout(r, 500));
    expect(await exists()).toBe(true);
    await monitor.config.update((c) => {
      c.retention.rawDays = 5;
    });
    const until = Date.now() + 5_000;
    while (
      Date.now() < until &&
      (await fs.access(seg).then(
        () => true,
        () => false,
      ))
    )
      await new Promise((r) => setTimeout(r, 50));
    await expect(fs.access(seg)).rejects.toThrow();
  });

  it('system.enabled switches system metrics on and off while running', async () => {
    await fs.writeFile(
      path.join(dir, 'config.json'),
      JSON.stringify({ interval: 10, system: { enabled: false } }),
    );
    monitor = await Monitor.open({ dataDir: dir });
    expect((await monitor.tick()).sys).toBeUndefined();
    await monitor.config.update((c) => {
      c.system.enabled = true;
    });
    const on = await monitor.tick();
    expect(on.sys?.mem).toBeGreaterThan(0);
    await monitor.config.update((c) => {
      c.system.enabled = false;
    });
    expect((await monitor.tick()).sys).toBeUndefined();
  }, 60_000);
});

describe('a system worker that cannot start', () => {
  it('fails fast while backing off, then is tried again', async () => {
    const probe = SystemProbe.launch({ startTimeoutMs: 1, retryMs: 300 });
    await expect(probe.collect({ slow: false })).rejects.toThrow(/did not start within 1 ms/);
    const t0 = Date.now();
    await expect(probe.collect({ slow: false })).rejects.toThrow(/next try in 1 s/);
    expect(Date.now() - t0).toBeLessThan(100);
    expect(probe.startError).toMatch(/did not start/);
    await new Promise((r) => setTimeout(r, 700));
    // Due again: a fresh start is attempted (and fails the same way here), not the cached error.
    await expect(probe.collect({ slow: false })).rejects.toThrow(/did not start within 1 ms$/);
    await probe.close();
  });
});
