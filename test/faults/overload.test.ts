import type { AddressInfo } from 'node:net';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTmpDir, removeDir } from '../helpers/tmp-dir';
import { startHttp, type TestServer } from '../probes/helpers';
import { LONG, rawSamples, report, startDaemon, waitFor, writeConfig } from './helpers';

/**
 * 300 targets, 100 of them hanging (the server accepts and never answers), 5 s interval,
 * default concurrency 10. CI runs 25 s (five ticks after the first); OPSPULSE_FAULT_LONG=1
 * runs the 2 minutes.
 */
const RUN_MS = LONG ? 120_000 : 25_000;
const INTERVAL_MS = 5_000;
const HEALTHY = 200;
const HANGING = 100;

let healthy: TestServer;
let hanging: net.Server;
let hangingPort: number;
const sockets = new Set<net.Socket>();
let dir: string;

beforeAll(async () => {
  healthy = await startHttp((_req, res) => res.end('{"ok":true}'));
  // Accepts connections, reads the request, never answers.
  hanging = net.createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined);
  });
  await new Promise<void>((r) => hanging.listen(0, '127.0.0.1', r));
  hangingPort = (hanging.address() as AddressInfo).port;
  dir = await makeTmpDir('opspulse-overload-');
  const targets = [];
  // Interleaved, so the first tick (before the collector has learnt who is slow) is not easy.
  for (let i = 0; i < HEALTHY + HANGING; i++) {
    const hang = i % 3 === 0 && i / 3 < HANGING;
    targets.push({
      id: hang ? `hang${i}` : `ok${i}`,
      name: hang ? `hang${i}` : `ok${i}`,
      kind: 'http',
      url: hang ? `http://127.0.0.1:${hangingPort}/x` : `${healthy.url}/t${i}`,
    });
  }
  writeConfig(dir, { interval: INTERVAL_MS / 1000, system: { enabled: false }, targets });
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise<void>((r) => hanging.close(() => r()));
  await healthy.close();
  await removeDir(dir);
});

/** From the daemon's "stopping" to its "stopped" log line: the shutdown's own work. */
function closeMs(log: string): number {
  const time = (msg: string) =>
    log
      .split('\n')
      .filter((l) => l.includes(`"msg":"${msg}"`))
      .map((l) => (JSON.parse(l) as { time: number }).time)[0];
  return time('stopped') - time('stopping');
}

describe('fault suite: hanging targets', () => {
  it('samples every healthy target every interval while 100 hang, and stops within 2 s', async () => {
    const d = startDaemon(['--data', dir, 'run']);
    await waitFor('the first sample', () => rawSamples(dir).length > 0, 60_000);
    await new Promise((r) => setTimeout(r, RUN_MS));
    const t0 = performance.now();
    d.child.kill('SIGTERM');
    const exit = await d.exited;
    const stopMs = exit.at - t0;

    const samples = rawSamples(dir);
    const okIds = Object.keys(samples[0].tg).filter((id) => id.startsWith('ok'));
    const hangIds = Object.keys(samples[0].tg).filter((id) => id.startsWith('hang'));
    // The start-up tick is off the boundaries; judge the regular ticks after it.
    const regular = samples.slice(1);
    let missing = 0;
    let worstGapMs = 0;
    const last = new Map<string, number>();
    for (const s of regular) {
      for (const id of okIds) {
        if (s.tg[id]?.up !== 1) {
          missing++;
          continue;
        }
        const prev = last.get(id);
        if (prev !== undefined)
          worstGapMs = Math.max(worstGapMs, Math.abs(s.t - prev - INTERVAL_MS));
        last.set(id, s.t);
      }
    }
    // The tick SIGTERM cut short keeps what had completed; its cancelled checks are left out.
    const hangResults = regular.slice(0, -1).flatMap((s) => hangIds.map((id) => s.tg[id]));
    const timedOut = hangResults.filter(
      (r) => r && r.up === 0 && /timed out/.test(r.err ?? ''),
    ).length;
    const errors = new Map<string, number>();
    for (const r of hangResults) {
      const key = (r?.err ?? 'missing').replace(/\d+/g, 'N');
      errors.set(key, (errors.get(key) ?? 0) + 1);
    }
    const ticksExpected = Math.floor(RUN_MS / INTERVAL_MS);
    report('300 targets, 100 hanging', {
      run_s: RUN_MS / 1000,
      ticks: regular.length,
      ticks_expected_min: ticksExpected - 1,
      healthy: okIds.length,
      healthy_checks_missed: missing,
      worst_interval_deviation_ms: worstGapMs,
      hanging_checks_timed_out: `${timedOut}/${hangResults.length}`,
      sigterm_to_exit_ms: stopMs,
      close_ms: closeMs(d.stderr()),
      hanging_results: JSON.stringify(Object.fromEntries(errors)),
    });
    expect(okIds).toHaveLength(HEALTHY);
    expect(hangIds).toHaveLength(HANGING);
    expect(regular.length).toBeGreaterThanOrEqual(ticksExpected - 1);
    expect(missing).toBe(0);
    expect(worstGapMs).toBeLessThanOrEqual(1_000);
    // Each hanging target is checked in its own slot and reported down, not left out.
    expect(timedOut).toBe(hangResults.length);
    expect(exit.code).toBe(0);
    expect(stopMs).toBeLessThan(2_000);
  }, 300_000);
});
