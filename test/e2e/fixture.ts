import fs from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import type { ConfigInput } from '../../shared/config-schema';
import { generateHistory } from '../../scripts/gen';
import { Monitor } from '../../electron/main/core/monitor';
import { startServer, type RunningServer } from '../../electron/main/server/server';
import { makeTmpDir, removeDir } from '../helpers/tmp-dir';
import { launchChromium } from './browser';
import { ensureRendererBuilt } from './build-renderer';

export interface Dashboard {
  dir: string;
  monitor: Monitor;
  server: RunningServer;
  token: string;
  /** A live JSON health endpoint behind the `scheduler` target. */
  httpTarget: http.Server;
  httpPort: number;
  /** A live TCP listener behind the `task-queue` target. */
  tcpTarget: net.Server;
  tcpPort: number;
  close(): Promise<void>;
}

function listen<S extends http.Server | net.Server>(server: S): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

export function closeServer(server: http.Server | net.Server): Promise<void> {
  return new Promise((resolve) => {
    if ('closeAllConnections' in server) server.closeAllConnections();
    server.close(() => resolve());
  });
}

/**
 * `serve` on a temp data directory: generated history for two targets, then live probing
 * of the same two against real loopback servers, every `interval` seconds.
 */
export async function startDashboard(opts: {
  days: number;
  historyInterval: number;
  interval: number;
  targets?: number;
}): Promise<Dashboard> {
  const staticDir = await ensureRendererBuilt();
  const dir = await makeTmpDir('opspulse-e2e-');
  const gen = await generateHistory({
    out: dir,
    days: opts.days,
    interval: opts.historyInterval,
    targets: opts.targets ?? 2,
    end: Date.now() - opts.interval * 1000,
    config: false,
  });
  const httpTarget = http.createServer((_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ status: 'healthy', confidence: 0.91, quality: 0.82 }));
  });
  const tcpTarget = net.createServer((s) => s.end());
  const [httpPort, tcpPort] = await Promise.all([listen(httpTarget), listen(tcpTarget)]);
  const [first, second, ...rest] = gen.targetIds;
  const config: ConfigInput = {
    interval: opts.interval,
    targets: [
      {
        kind: 'http',
        id: first,
        name: 'Scheduler',
        url: `http://127.0.0.1:${httpPort}/health`,
        timeoutMs: 500,
        conditions: [{ path: '$.status', op: '==', value: 'healthy' }],
        metrics: { confidence: '$.confidence', quality: '$.quality' },
      },
      {
        kind: 'tcp',
        id: second,
        name: 'Task queue',
        host: '127.0.0.1',
        port: tcpPort,
        timeoutMs: 500,
      },
      // Further generated targets keep their history but are not probed live.
      ...rest.map((id) => ({
        kind: 'tcp' as const,
        id,
        name: id,
        host: '127.0.0.1',
        port: tcpPort,
        enabled: false,
      })),
    ],
  };
  await fs.writeFile(path.join(dir, 'config.json'), JSON.stringify(config, null, 2));
  const monitor = await Monitor.open({ dataDir: dir, systemMetrics: false });
  monitor.start();
  const token = 'e2e-token-0123456789';
  const server = await startServer({ api: monitor, host: '127.0.0.1', port: 0, token, staticDir });
  return {
    dir,
    monitor,
    server,
    token,
    httpTarget,
    httpPort,
    tcpTarget,
    tcpPort,
    async close() {
      await server.close();
      await monitor.close();
      await Promise.all([closeServer(httpTarget), closeServer(tcpTarget)]);
      await removeDir(dir);
    },
  };
}

/** A Monitor on a prepared data directory, served, and one Chromium page for it. */
export interface ServedPage {
  monitor: Monitor;
  server: RunningServer;
  browser: Browser;
  page: Page;
  /** Uncaught errors of the page, for a test to assert there were none. */
  pageErrors: string[];
  /** Closes the browser, the server and the monitor; the data directory is the caller's. */
  close(): Promise<void>;
}

export async function servePage(
  dir: string,
  staticDir: string,
  opts: {
    viewport: { width: number; height: number };
    /** Off where the test wants the stored history only, with no live tick. */
    collect?: boolean;
    /** Before collection starts, e.g. waiting for a service to load its state. */
    beforeStart?: (monitor: Monitor) => Promise<void>;
  },
): Promise<ServedPage> {
  const monitor = await Monitor.open({ dataDir: dir, systemMetrics: false });
  await opts.beforeStart?.(monitor);
  if (opts.collect !== false) monitor.start();
  const server = await startServer({ api: monitor, host: '127.0.0.1', port: 0, staticDir });
  const browser = await launchChromium();
  const page = await browser.newPage({ viewport: opts.viewport });
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  return {
    monitor,
    server,
    browser,
    page,
    pageErrors,
    async close() {
      await browser.close();
      await server.close().catch(() => undefined);
      await monitor.close();
    },
  };
}
