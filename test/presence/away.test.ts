import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Notification } from '../../shared/notification';
import { Monitor } from '../../electron/main/core/monitor';
import { ManualClock } from '../helpers/manual-clock';
import { makeTmpDir, removeDir } from '../helpers/tmp-dir';

const MIN = 60_000;
const HOUR = 60 * MIN;
let dir = '';
let server: net.Server | null = null;
let port = 0;

beforeEach(async () => {
  dir = await makeTmpDir('opspulse-away-');
  server = net.createServer((s) => s.end());
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  port = (server.address() as net.AddressInfo).port;
  await fs.writeFile(
    path.join(dir, 'config.json'),
    JSON.stringify({
      interval: 300,
      system: { enabled: false },
      targets: [{ id: 'api', name: 'API', kind: 'tcp', host: '127.0.0.1', port, timeoutMs: 500 }],
      reports: { schedule: { weekly: { enabled: false }, monthly: { enabled: false } } },
    }),
  );
});
afterEach(async () => {
  if (server) await new Promise<void>((r) => server!.close(() => r()));
  server = null;
  await removeDir(dir);
});

async function run(clock: ManualClock, desktop: boolean, ms: number, step = 5 * MIN) {
  const sent: Notification[] = [];
  const m = await Monitor.open({
    dataDir: dir,
    clock,
    systemMetrics: false,
    awaySummary: desktop,
    notifier: { notify: (n) => sent.push(n) },
  });
  m.start();
  const end = clock.t + ms;
  while (clock.t < end) {
    await new Promise((r) => setTimeout(r, 5));
    clock.jump(step);
    await m.tick(clock.t);
  }
  await new Promise((r) => setTimeout(r, 20));
  await m.close();
  return sent.filter((n) => n.kind === 'summary');
}

describe('while you were away', () => {
  it("sums up a daemon's data when the desktop app comes back after more than 8 h", async () => {
    const clock = new ManualClock(Date.UTC(2026, 3, 6, 8));
    expect(await run(clock, true, 30 * MIN)).toEqual([]);
    // The daemon watches while the desktop app is closed; the API goes down for an hour.
    clock.jump(HOUR);
    await run(clock, false, 3 * HOUR);
    await new Promise<void>((r) => server!.close(() => r()));
    server = null;
    await run(clock, false, HOUR);
    server = net.createServer((s) => s.end());
    await new Promise<void>((r) => server!.listen(port, '127.0.0.1', r));
    await run(clock, false, 5 * HOUR);
    const [summary, ...more] = await run(clock, true, 10 * MIN);
    expect(more).toEqual([]);
    expect(summary.title).toMatch(/^While you were away \(10h\d*m?\): 2 changes$/);
    expect(summary.body).toMatch(/API is down/);
    expect(summary.body).toMatch(/API is back up/);
    expect(summary.body).toMatch(/Now: /);
    expect(summary.targets).toEqual(['api']);
  }, 60_000);

  it('says nothing was observed when nothing ran, and stays silent after a short absence', async () => {
    const clock = new ManualClock(Date.UTC(2026, 3, 6, 8));
    await run(clock, true, 10 * MIN);
    clock.jump(2 * HOUR);
    expect(await run(clock, true, 10 * MIN)).toEqual([]);
    clock.jump(9 * HOUR);
    const [s] = await run(clock, true, 10 * MIN);
    expect(s.title).toBe('Nothing was observed for 9h');
    expect(s.body).toMatch(/OpsPulse was not running and no daemon collected/);
  }, 60_000);

  it('notices the machine waking from a long sleep', async () => {
    const clock = new ManualClock(Date.UTC(2026, 3, 6, 8));
    // One tick, ten hours after the start: the machine slept in between.
    const sent = await run(clock, true, 20 * MIN, 10 * HOUR);
    expect(sent.map((n) => n.title)).toEqual(['Nothing was observed for 10h']);
    expect(sent[0].body).toMatch(/The machine was asleep/);
  }, 60_000);
});
