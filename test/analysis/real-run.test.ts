import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeWindow, StoreReader } from '../../electron/main/analysis';
import { ConfigSchema, type Config } from '../../shared/config-schema';
import type { Incident } from '../../shared/analysis';
import { finished, startCli } from '../helpers/cli';
import { loadRaw, oracleTarget } from './oracle';

/**
 * The differential check on a real run, kept under a minute for CI (the issue asks for ten
 * minutes; the same test takes any length through RUN_SECONDS): `opspulse run` probes two
 * local HTTP servers every second while they play scripted outages, logging each answer
 * they give. The daemon is stopped and started again inside one outage. The incidents
 * from raw samples, from the minute rollups alone and from the oracle over the raw JSONL
 * must be the same, and each must sit on the servers' own outage log.
 */
const RUN_SECONDS = Number(process.env.OPSPULSE_REAL_RUN_SECONDS ?? 58);
/** Outages in seconds after the start: [from, to) per server. */
const OUTAGES: Record<string, [number, number][]> = {
  api: [
    [12, 17],
    [24, 44],
  ],
  flap: [[48, 50]],
};
/** The daemon is restarted inside api's second outage. */
const RESTART_AT = 30;
/** Seconds the collector stays stopped at the restart. */
const RESTART_PAUSE = 4;

let dir: string;
let start = 0;
const servers: http.Server[] = [];
/** Per server, the time and status of every answer it gave. */
const served: Record<string, { t: number; status: number }[]> = { api: [], flap: [] };

function serve(id: string): Promise<number> {
  const server = http.createServer((_req, res) => {
    const s = (Date.now() - start) / 1000;
    const down = start > 0 && OUTAGES[id].some(([a, b]) => s >= a && s < b);
    const status = down ? 503 : 200;
    served[id].push({ t: Date.now(), status });
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ status: down ? 'down' : 'ok' }));
  });
  servers.push(server);
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );
}

const sleepUntil = (s: number): Promise<void> =>
  new Promise((r) => setTimeout(r, Math.max(0, start + s * 1000 - Date.now())));

async function daemon(): Promise<() => Promise<void>> {
  const child = startCli(['--data', dir, 'run']);
  const done = finished(child, (RUN_SECONDS + 120) * 1000);
  return async () => {
    child.kill('SIGTERM');
    const r = await done;
    expect(r.code, r.stderr).toBe(0);
  };
}

let config: Config;

beforeAll(
  async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'opspulse-real-run-'));
    const ports = { api: await serve('api'), flap: await serve('flap') };
    config = ConfigSchema.parse({
      interval: 1,
      // A restart under a loaded CI machine can take a while: up to 30 s continues an outage.
      incidentGapIntervals: 30,
      system: { enabled: false },
      targets: Object.entries(ports).map(([id, port]) => ({
        id,
        name: id,
        kind: 'http',
        url: `http://127.0.0.1:${port}/`,
        timeoutMs: 800,
      })),
    });
    await fs.writeFile(path.join(dir, 'config.json'), JSON.stringify(config, null, 2));
    start = Date.now();
    let stop = await daemon();
    await sleepUntil(RESTART_AT);
    await stop();
    // The collector is down for a few intervals, as a real restart would be: a restart
    // faster than the gap rule (1.5 intervals) would leave nothing unobserved to check.
    await sleepUntil(RESTART_AT + RESTART_PAUSE);
    stop = await daemon();
    await sleepUntil(RUN_SECONDS);
    await stop();
  },
  (RUN_SECONDS + 180) * 1000,
);

afterAll(async () => {
  for (const s of servers) s.close();
  await fs.rm(dir, { recursive: true, force: true });
});

const shape = (i: Pick<Incident, 'start' | 'end' | 'durationMs'>) => ({
  start: i.start,
  end: i.end,
  durationMs: i.durationMs,
});

describe(`a real ${RUN_SECONDS} s run against local servers with scripted outages`, () => {
  it('gives the same incidents from raw, from minute rollups alone and from the oracle, on the servers’ own log', async () => {
    const reader = await StoreReader.open(dir);
    const MIN = 60_000;
    const window = {
      from: Math.floor(start / MIN) * MIN,
      to: Math.ceil((start + (RUN_SECONDS + 5) * 1000) / MIN) * MIN,
    };
    const now = window.to + 3 * 86_400_000;
    const fromRaw = await analyzeWindow(reader, config, window, undefined, {
      now: window.to,
      tier: 'raw',
    });
    const rollupOnly = { ...config, retention: { ...config.retention, rawDays: 1 } };
    const fromRollups = await analyzeWindow(reader, rollupOnly, window, undefined, { now });
    expect(fromRollups.tiers.map((s) => s.tier)).toEqual(['1m']);
    const raw = loadRaw(dir);
    for (const id of ['api', 'flap']) {
      const a = fromRaw.targets.find((t) => t.id === id)!;
      const b = fromRollups.targets.find((t) => t.id === id)!;
      expect(b.incidents.map(shape)).toEqual(a.incidents.map(shape));
      expect(b.incidents.map((i) => i.error)).toEqual(a.incidents.map((i) => i.error));
      expect([b.upMs, b.downMs, b.samples]).toEqual([a.upMs, a.downMs, a.samples]);
      expect(b.statusCodes).toEqual(a.statusCodes);
      const oracle = oracleTarget(raw.targets.get(id)!, {
        ...window,
        intervalMs: 1000,
        gapMs: 2500,
        incidentGapMs: 30_000,
      });
      expect(a.incidents.map(shape)).toEqual(oracle.incidents.map(shape));
      // One incident per scripted outage, the restart inside api's second one included.
      expect(a.incidents).toHaveLength(OUTAGES[id].length);
      for (const [k, [from, to]] of OUTAGES[id].entries()) {
        const inc = a.incidents[k];
        const failed = served[id].filter((x) => x.status === 503 && x.t >= start + from * 1000);
        // It starts with the first probe the server failed, and ends with the first it answered.
        expect(inc.error).toMatch(/503/);
        expect(inc.start).toBeGreaterThanOrEqual(start + from * 1000 - 1000);
        expect(inc.start).toBeLessThanOrEqual(failed[0].t);
        expect(inc.end).not.toBeNull();
        expect(inc.end!).toBeGreaterThanOrEqual(start + to * 1000 - 1000);
        expect(inc.end!).toBeLessThanOrEqual(start + to * 1000 + 3000);
      }
    }
    const api = fromRaw.targets.find((t) => t.id === 'api')!;
    expect(api.incidents[1].unobservedMs ?? 0).toBeGreaterThan(0);
  }, 120_000);
});
