import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HealthSnapshot } from '../../shared/health';
import { runCli } from '../helpers/cli';
import { makeTmpDir, removeDir } from '../helpers/tmp-dir';
import { startHttp, type TestServer } from '../probes/helpers';
import {
  LONG,
  rawSamples,
  report,
  startDaemon,
  waitFor,
  writeConfig,
  type Daemon,
} from './helpers';

/**
 * One `serve` daemon at a 2 s interval with a healthy, a refused and a hanging target:
 * `status` (another process, reading the state file) agrees with the daemon's own health;
 * config.json edited badly during an API change, then deleted, and monitoring goes on.
 */
const TOKEN = 'fault-suite-token';
const CHECKS = LONG || process.env.OPSPULSE_TEST_CLI === 'built' ? 10 : 4;

let healthy: TestServer;
let hanging: net.Server;
const sockets = new Set<net.Socket>();
let dir: string;
let daemon: Daemon;
let base: string;

const cfgFile = () => path.join(dir, 'config.json');
const api = (p: string, init: RequestInit = {}) =>
  fetch(`${base}${p}`, {
    ...init,
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
  });

beforeAll(async () => {
  healthy = await startHttp((_req, res) => res.end('{"ok":true}'));
  hanging = net.createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined);
  });
  await new Promise<void>((r) => hanging.listen(0, '127.0.0.1', r));
  const hangPort = (hanging.address() as AddressInfo).port;
  dir = await makeTmpDir('opspulse-live-');
  writeConfig(dir, {
    interval: 2,
    system: { enabled: false },
    targets: [
      { id: 'up', name: 'Up', kind: 'http', url: `${healthy.url}/h` },
      { id: 'refused', name: 'Refused', kind: 'tcp', host: '127.0.0.1', port: 1 },
      {
        id: 'hang',
        name: 'Hang',
        kind: 'http',
        url: `http://127.0.0.1:${hangPort}/`,
        timeoutMs: 1000,
      },
    ],
  });
  daemon = startDaemon(['--data', dir, 'serve', '--port', '0', '--token', TOKEN]);
  const url = await waitFor(
    'the dashboard URL',
    () => /dashboard on (http:\/\/[^/\s]+)/.exec(daemon.stdout())?.[1],
    60_000,
  );
  base = url;
  await waitFor('two samples', () => rawSamples(dir).length >= 2, 30_000);
}, 120_000);
afterAll(async () => {
  const t0 = performance.now();
  daemon.child.kill('SIGTERM');
  const exit = await daemon.exited;
  report('serve SIGTERM', {
    sigterm_to_exit_ms: exit.at - t0,
    code: exit.code ?? exit.signal ?? '',
  });
  await healthy.close();
  for (const s of sockets) s.destroy();
  await new Promise<void>((r) => hanging.close(() => r()));
  await removeDir(dir);
});

function states(h: Pick<HealthSnapshot, 'overall' | 'targets'>): string {
  return JSON.stringify({
    overall: h.overall,
    targets: Object.fromEntries(h.targets.map((t) => [t.id, t.state])),
  });
}

describe('fault suite: live state and config faults', () => {
  it(`status equals the daemon's state (${CHECKS} checks at a 2 s interval)`, async () => {
    let equal = 0;
    let lag = 0;
    const seen: string[] = [];
    for (let i = 0; i < CHECKS; i++) {
      const snapBefore = (await (await api('/api/health')).json()) as HealthSnapshot;
      const r = await runCli(['--data', dir, 'status', '--json'], { timeoutMs: 60_000 });
      const after = states((await (await api('/api/health')).json()) as HealthSnapshot);
      const before = states(snapBefore);
      const json = JSON.parse(r.stdout) as HealthSnapshot & { lastSampleT: number };
      const status = states(json);
      if (status === before || status === after) equal++;
      else seen.push(`status ${status} daemon ${before} / ${after}`);
      // The state file is as fresh as the daemon's last tick, within one interval.
      const daemonLast = Math.max(...snapBefore.targets.map((t) => t.lastT ?? 0));
      lag = Math.max(lag, daemonLast - json.lastSampleT);
      expect(r.code).toBe(2); // a target is down
    }
    report('status vs daemon', { checks: CHECKS, equal, worst_state_file_lag_ms: lag });
    expect(seen).toEqual([]);
    expect(lag).toBeLessThanOrEqual(2_000);
  }, 300_000);

  it('refuses an API change while config.json holds a broken hand edit, overwriting nothing', async () => {
    const ok = await api('/api/targets', {
      method: 'PUT',
      body: JSON.stringify({ id: 'extra', name: 'Extra', kind: 'http', url: `${healthy.url}/e` }),
    });
    expect(ok.status).toBe(200);
    const bak = fs.readFileSync(`${cfgFile()}.bak`, 'utf8');
    const broken = fs.readFileSync(cfgFile(), 'utf8').replace('"interval": 2', '"interval": 2,,');
    fs.writeFileSync(cfgFile(), broken);
    await new Promise((r) => setTimeout(r, 500));
    const refused = await api('/api/targets', {
      method: 'PUT',
      body: JSON.stringify({ id: 'more', name: 'More', kind: 'http', url: `${healthy.url}/m` }),
    });
    const body = (await refused.json()) as { error: string };
    report('API change over a broken edit', { http_status: refused.status });
    expect(refused.status).toBe(409);
    expect(body.error).toMatch(/edited by hand/);
    expect(fs.readFileSync(cfgFile(), 'utf8')).toBe(broken);
    expect(fs.readFileSync(`${cfgFile()}.bak`, 'utf8')).toBe(bak);
    const n = rawSamples(dir).length;
    await waitFor('two more samples', () => rawSamples(dir).length >= n + 2, 15_000);
    const latest = rawSamples(dir).at(-1)!;
    expect(Object.keys(latest.tg).sort()).toEqual(['extra', 'hang', 'refused', 'up']);
  }, 60_000);

  it('keeps monitoring with the running config when config.json is deleted', async () => {
    fs.rmSync(cfgFile());
    const n = rawSamples(dir).length;
    await waitFor('three more samples', () => rawSamples(dir).length >= n + 3, 20_000);
    const latest = rawSamples(dir).at(-1)!;
    expect(Object.keys(latest.tg).sort()).toEqual(['extra', 'hang', 'refused', 'up']);
    expect(latest.tg.up.up).toBe(1);
    expect(daemon.stderr()).toMatch(/config\.json was deleted; the running config is kept/);
    report('config.json deleted', { samples_after: rawSamples(dir).length - n, targets: 4 });
  }, 60_000);
});
