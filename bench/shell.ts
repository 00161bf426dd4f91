import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import type { MonitorApi } from '../shared/api';
import { createLogger } from '../electron/main/core/logger';
import { Monitor } from '../electron/main/core/monitor';
import { startMonitorWorker } from '../electron/main/shell/monitor-host';
import { startLoopbackServer } from './loopback-server';
import { quantile } from './stats';

/**
 * Issue 7: "the collector runs off the main thread so the tray and window never stall".
 * The same core load — 40 HTTP targets and system metrics every second, plus an HTML report
 * and a query every second as the window would ask — runs once inside the main thread
 * (baseline) and once in the shell's worker thread behind the RPC. Measured on the main
 * thread: event-loop delay (what a tray click or an IPC reply would wait) and the round
 * trip of health() (what the tray pays per call through the worker).
 */

const TARGETS = 40;
const SECONDS = 20;

const SERVER = `
const http = require('node:http');
http.createServer((req, res) => {
  const body = JSON.stringify({ status: 'healthy', confidence: Math.random() });
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(body);
}).listen(0, '127.0.0.1', function () { console.log(this.address().port); });
`;

async function dataDir(url: string): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'opspulse-bench-shell-'));
  const targets = Array.from({ length: TARGETS }, (_, i) => ({
    id: `svc-${i}`,
    name: `Service ${i}`,
    kind: 'http',
    url: `${url}/health?i=${i}`,
    conditions: [{ path: '$.status', op: '==', value: 'healthy' }],
    metrics: { confidence: '$.confidence' },
  }));
  await fs.writeFile(
    path.join(dir, 'config.json'),
    JSON.stringify({ version: 1, interval: 1, targets }),
  );
  return dir;
}

interface Figures {
  loopP50: number;
  loopP99: number;
  loopMax: number;
  healthP50: number;
  healthP99: number;
  /** A full round trip through the worker, queued behind whatever the core is doing. */
  configP50: number;
  configP99: number;
  reports: number;
  /** Share of wall time the main thread's loop was busy (not waiting for the OS). */
  elu: number;
  reportBytes: number;
}

/** Drives the window-like load against `api` for SECONDS while sampling the main loop. */
async function measure(api: MonitorApi): Promise<Figures> {
  // Let the first ticks (and systeminformation's slow first call) pass before measuring.
  await new Promise((r) => setTimeout(r, 3_000));
  const loop = monitorEventLoopDelay({ resolution: 1 });
  const rtt: number[] = [];
  const cfgRtt: number[] = [];
  let reports = 0;
  let reportBytes = 0;
  const end = Date.now() + SECONDS * 1000;
  const elu0 = performance.eventLoopUtilization();
  loop.enable();
  const ui = (async () => {
    while (Date.now() < end) {
      const t0 = performance.now();
      await api.health();
      rtt.push(performance.now() - t0);
      const t1 = performance.now();
      await api.getConfig();
      cfgRtt.push(performance.now() - t1);
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  const window = (async () => {
    while (Date.now() < end) {
      const now = Date.now();
      const file = await api.exportReport({ from: now - 3_600_000, to: now, format: 'html' });
      reportBytes = file.content.length;
      await api.query({
        from: now - 3_600_000,
        to: now,
        series: ['tg.svc-1.ms', 'sys.cpu'],
        maxPoints: 800,
      });
      reports++;
      await new Promise((r) => setTimeout(r, 1_000));
    }
  })();
  await Promise.all([ui, window]);
  loop.disable();
  const elu = performance.eventLoopUtilization(elu0).utilization;
  return {
    elu,
    reportBytes,
    loopP50: loop.percentile(50) / 1e6,
    loopP99: loop.percentile(99) / 1e6,
    loopMax: loop.max / 1e6,
    healthP50: quantile(rtt, 0.5),
    healthP99: quantile(rtt, 0.99),
    configP50: quantile(cfgRtt, 0.5),
    configP99: quantile(cfgRtt, 0.99),
    reports,
  };
}

/** The machine's own noise: the same loop sampling with no core at all. */
async function idle(): Promise<Figures> {
  const loop = monitorEventLoopDelay({ resolution: 1 });
  const elu0 = performance.eventLoopUtilization();
  loop.enable();
  await new Promise((r) => setTimeout(r, SECONDS * 1000));
  loop.disable();
  return {
    elu: performance.eventLoopUtilization(elu0).utilization,
    reportBytes: 0,
    loopP50: loop.percentile(50) / 1e6,
    loopP99: loop.percentile(99) / 1e6,
    loopMax: loop.max / 1e6,
    healthP50: NaN,
    healthP99: NaN,
    configP50: NaN,
    configP99: NaN,
    reports: 0,
  };
}

function row(name: string, f: Figures): string {
  const n = (x: number) => x.toFixed(2).padStart(8);
  return `${name.padEnd(24)}${n(f.loopP50)}${n(f.loopP99)}${n(f.loopMax)}${n(f.healthP50)}${n(f.healthP99)}${n(f.configP50)}${n(f.configP99)}${String(f.reports).padStart(9)}${(f.elu * 100).toFixed(1).padStart(8)}%`;
}

export async function benchShell(): Promise<{ idle: Figures; inThread: Figures; worker: Figures }> {
  console.log('== shell: main-thread stall, core in-thread vs in the worker ==');
  const server = await startLoopbackServer(SERVER);
  const dirs: string[] = [];
  try {
    const baseline = await idle();
    dirs.push(await dataDir(server.url));
    const monitor = await Monitor.open({ dataDir: dirs[0], log: createLogger('silent') });
    monitor.start();
    const inThread = await measure(monitor);
    await monitor.close();

    dirs.push(await dataDir(server.url));
    const previous = process.env.OPSPULSE_LOG;
    process.env.OPSPULSE_LOG = 'silent';
    const remote = startMonitorWorker({ dataDir: dirs[1] });
    if (previous === undefined) delete process.env.OPSPULSE_LOG;
    else process.env.OPSPULSE_LOG = previous;
    await remote.health();
    const worker = await measure(remote);
    await remote.close();

    console.log(
      `${TARGETS} http targets + system at 1 s; html report + query every 1 s; ${SECONDS} s each`,
    );
    console.log(
      'main thread (ms)         loop p50 loop p99 loop max  hth p50  hth p99  cfg p50  cfg p99  reports  loop busy',
    );
    console.log(row('no core (machine noise)', baseline));
    console.log(row('core in main thread', inThread));
    console.log(row('core in worker (shell)', worker));
    console.log(
      `loop p99 ratio worker/in-thread: ${(worker.loopP99 / inThread.loopP99).toFixed(2)}; ` +
        `loop max ratio: ${(worker.loopMax / inThread.loopMax).toFixed(2)}`,
    );
    console.log(`html report size: ${(worker.reportBytes / 1024).toFixed(0)} KiB`);
    console.log(`main-loop busy ratio worker/in-thread: ${(worker.elu / inThread.elu).toFixed(2)}`);
    return { idle: baseline, inThread, worker };
  } finally {
    server.stop();
    for (const d of dirs) await fs.rm(d, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await benchShell();
}
