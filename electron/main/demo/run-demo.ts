import fsSync from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Config } from '../../../shared/config-schema';
import { ConfigStore } from '../config/config-store';
import { acquireInstanceLock } from '../core/instance-lock';
import type { Logger } from '../core/logger';
import { Monitor } from '../core/monitor';
import { createMonitorMetrics } from '../prometheus/monitor-metrics';
import { cpuPercent, readProcStat } from '../probes/system-counters';
import { startServer } from '../server/server';
import { SampleStore } from '../store/sample-store';
import { buildDemoConfig } from './demo-config';
import { demoHistory, type SystemAnchor } from './history';
import { startDemoStack, type DemoStack, type DemoStackOptions } from './stack';

/** Marks a data directory as the demo's, so the demo never overwrites a real config. */
export const DEMO_MARKER = 'opspulse-demo.json';

export interface DemoOptions {
  /** Where config and samples go; a fresh temp directory (removed on close) when absent. */
  dataDir?: string;
  /** Dashboard port; 0 picks a free one. */
  port: number;
  host?: string;
  /** The built renderer for the dashboard (see serve's findStaticDir). */
  staticDir: string;
  seed?: number;
  /** How much history to seed before the first live tick. */
  historyHours?: number;
  intervalSec?: number;
  /** Simulator ports; by default the preset's, or free ones if any of those is taken. */
  stack?: Pick<DemoStackOptions, 'ports' | 'anyPorts'>;
  /** Off in tests that do not want systeminformation's child processes. */
  systemMetrics?: boolean;
  log?: Logger;
}

export interface RunningDemo {
  /** The dashboard, e.g. http://127.0.0.1:7800 */
  url: string;
  dataDir: string;
  stack: DemoStack;
  monitor: Monitor;
  /** Samples written as seeded history. */
  seeded: number;
  close(): Promise<void>;
}

/**
 * `opspulse demo`: the simulated stack, the ai-ops preset pointed at it, a seeded history,
 * and the collector and dashboard running on top, all on loopback.
 */
export async function startDemo(opts: DemoOptions): Promise<RunningDemo> {
  const temp = opts.dataDir === undefined;
  const dataDir = opts.dataDir ?? (await fs.mkdtemp(path.join(os.tmpdir(), 'opspulse-demo-')));
  const cleanups: (() => Promise<void>)[] = [];
  const close = async (): Promise<void> => {
    for (const fn of cleanups.reverse()) await fn().catch(() => undefined);
    cleanups.length = 0;
  };
  try {
    if (temp) cleanups.push(() => fs.rm(dataDir, { recursive: true, force: true }));
    else await claimDataDir(dataDir);
    const stack = await startStack(opts);
    cleanups.push(() => stack.close());
    const lock = await acquireInstanceLock(dataDir);
    cleanups.push(() => lock.release());

    const config = buildDemoConfig(stack.urls, { intervalSec: opts.intervalSec });
    const configStore = await ConfigStore.open(dataDir);
    await configStore.update((draft) => Object.assign(draft, config));
    const anchor = opts.systemMetrics === false ? {} : await machineNow();
    const seeded = await seedHistory(dataDir, stack, config, opts.historyHours ?? 6, anchor);

    const monitor = await Monitor.open({
      dataDir,
      log: opts.log,
      systemMetrics: opts.systemMetrics,
    });
    cleanups.push(() => monitor.close());
    const metrics = createMonitorMetrics(monitor, {
      initialSample: monitor.store.latest() ?? null,
    });
    cleanups.push(async () => metrics.close());
    const server = await startServer({
      api: monitor,
      host: opts.host ?? '127.0.0.1',
      port: opts.port,
      staticDir: opts.staticDir,
      metrics: () => metrics.render(),
    }).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'EADDRINUSE') throw err;
      throw new Error(
        `--port ${opts.port} is in use (another opspulse serve or demo?); pass --port 0 for any free port`,
      );
    });
    cleanups.push(() => server.close());
    monitor.start();
    return { url: server.url, dataDir, stack, monitor, seeded, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/** A given directory must be empty, new, or an earlier demo's: never a real config. */
async function claimDataDir(dataDir: string): Promise<void> {
  const entries = await fs.readdir(dataDir).catch((err: NodeJS.ErrnoException): string[] => {
    if (err.code === 'ENOENT') return [];
    throw err;
  });
  if (entries.length > 0 && !entries.includes(DEMO_MARKER))
    throw new Error(
      `${dataDir} is not empty and not a demo directory; the demo would replace its config. ` +
        'Give an empty directory, or none for a temporary one',
    );
  await fs.mkdir(dataDir, { recursive: true });
  await fs.writeFile(
    path.join(dataDir, DEMO_MARKER),
    `${JSON.stringify({ demo: true, note: 'created by opspulse demo; safe to delete' })}\n`,
  );
}

/** The preset's ports when they are free; otherwise any, so a real service on 8080 is no obstacle. */
async function startStack(opts: DemoOptions): Promise<DemoStack> {
  const base = { seed: opts.seed ?? 1 };
  if (opts.stack) return startDemoStack({ ...base, ...opts.stack });
  try {
    return await startDemoStack(base);
  } catch (err) {
    opts.log?.warn({ err: String(err) }, 'preset ports busy; the simulator uses free ports');
    return startDemoStack({ ...base, anyPorts: true });
  }
}

/**
 * Fills the history up to now from the simulator model: the whole span for a new
 * directory, or the gap since the newest stored sample when the demo ran here before.
 */
async function seedHistory(
  dataDir: string,
  stack: DemoStack,
  config: Config,
  hours: number,
  anchor: SystemAnchor,
): Promise<number> {
  const store = await SampleStore.open(dataDir, { retention: config.retention });
  try {
    const to = Date.now();
    const from = Math.max(to - hours * 3_600_000, (store.latest()?.t ?? -Infinity) + 1);
    let n = 0;
    for (const s of demoHistory(stack.model, config, { from, to }, anchor)) {
      store.append(s);
      n++;
    }
    return n;
  } finally {
    await store.close();
  }
}

/**
 * This machine's CPU, memory and root-disk use, computed as the system probe does (memory:
 * (total - available) / total; disk: used of what a user may use), so the seeded history
 * ends where the live samples begin.
 */
async function machineNow(): Promise<SystemAnchor> {
  const anchor: SystemAnchor = { mem: (1 - os.freemem() / os.totalmem()) * 100 };
  // CPU over a quarter second, from /proc/stat as the probe reads it (Linux only).
  const before = readProcStat();
  await new Promise((r) => setTimeout(r, 250));
  const after = readProcStat();
  const cpu = before && after ? cpuPercent(before, after) : undefined;
  if (cpu !== undefined) anchor.cpu = cpu;
  try {
    const st = fsSync.statfsSync('/');
    const used = st.blocks - st.bfree;
    if (used + st.bavail > 0) anchor.disk = { '/': (used / (used + st.bavail)) * 100 };
  } catch {
    // No root file system figure (Windows): the disk history stays synthetic.
  }
  return anchor;
}
