import fs from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Monitor } from '../../electron/main/core/monitor';
import { startServer, type RunningServer } from '../../electron/main/server/server';
import { SampleStore } from '../../electron/main/store/sample-store';
import type { ConfigInput } from '../../shared/config-schema';
import { SAMPLE_VERSION, type SystemSample } from '../../shared/sample';
import { makeTmpDir, removeDir } from '../helpers/tmp-dir';
import { launchChromium } from './browser';
import { ensureRendererBuilt, REPO } from './build-renderer';
import { closeServer } from './fixture';

/**
 * Time to full on the overview's system tiles, against the real `serve` stack: one store
 * whose root disk fills 3 % a day for six days (full in about four), whose /data mount was
 * added six hours ago and whose memory only wobbles; and a fresh store with no history.
 */
const ARTIFACTS = path.join(REPO, 'test-artifacts');
const DAY = 86_400_000;
const STEP = 300_000;

interface Stack {
  dir: string;
  monitor: Monitor;
  server: RunningServer;
}

let api: http.Server;
let port: number;
let browser: Browser;
const stacks: Stack[] = [];

let staticDir: string;

async function openStack(history: (store: SampleStore) => void): Promise<Stack> {
  const dir = await makeTmpDir('opspulse-tile-forecasts-');
  const store = await SampleStore.open(dir);
  history(store);
  await store.close();
  const config: ConfigInput = {
    interval: 300,
    targets: [{ kind: 'http', id: 'api', name: 'API', url: `http://127.0.0.1:${port}/` }],
  };
  await fs.writeFile(path.join(dir, 'config.json'), JSON.stringify(config, null, 2));
  const monitor = await Monitor.open({ dataDir: dir, systemMetrics: false });
  const server = await startServer({ api: monitor, host: '127.0.0.1', port: 0, staticDir });
  const stack = { dir, monitor, server };
  stacks.push(stack);
  return stack;
}

/** The overview, once the system tiles show a settled forecast line (not "forecast …"). */
async function overview(stack: Stack): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${stack.server.url}/`);
  await page
    .locator('.glance[data-series="sys.mem"] .forecast:not([data-forecast="loading"])')
    .waitFor({ timeout: 60_000 });
  expect(errors).toEqual([]);
  return page;
}

function forecastOf(page: Page, series: string) {
  return page.locator(`.system-glance .glance[data-series="${series}"] .forecast`);
}

beforeAll(async () => {
  await fs.mkdir(ARTIFACTS, { recursive: true });
  staticDir = await ensureRendererBuilt();
  api = http.createServer((_req, res) => res.end('ok'));
  port = await new Promise<number>((resolve) =>
    api.listen(0, '127.0.0.1', () => resolve((api.address() as AddressInfo).port)),
  );
  browser = await launchChromium();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  for (const s of stacks) {
    await s.server.close();
    await s.monitor.close();
    await removeDir(s.dir);
  }
  if (api) await closeServer(api);
});

describe('time to full on the system tiles', () => {
  it('forecasts the filling disk and says "not enough data" for the new mount', async () => {
    const end = Date.now() - 60_000;
    const stack = await openStack((store) => {
      for (let t = end - 6 * DAY; t <= end; t += STEP) {
        const daysAgo = (end - t) / DAY;
        // 3 % a day with a small daily cycle (log rotation at night); 88 % now.
        const root = 88 - 3 * daysAgo + 0.5 * Math.sin((2 * Math.PI * t) / DAY);
        const sys: SystemSample = {
          cpu: 20 + ((t / STEP) % 7),
          // Memory wobbles around 50 %: nothing to forecast.
          mem: 50 + 4 * Math.sin((2 * Math.PI * t) / (3 * 3_600_000)),
          disk: { '/': root, ...(daysAgo < 0.25 ? { '/data': 10 + 20 * (0.25 - daysAgo) } : {}) },
        };
        store.append({ v: SAMPLE_VERSION, t, tg: { api: { up: 1, ms: 20 } }, sys });
      }
    });
    const page = await overview(stack);
    const root = forecastOf(page, 'sys.disk./');
    expect(await root.getAttribute('data-forecast')).toBe('ok');
    // (100 − 88) / 3 = 4 days.
    expect(await root.textContent()).toMatch(/^full in ~[34] days at the /);
    const data = forecastOf(page, 'sys.disk./data');
    expect(await data.getAttribute('data-forecast')).toBe('none');
    expect(await data.textContent()).toBe('not enough data');
    expect(await data.getAttribute('title')).toMatch(/^not enough data \(.+\)$/);
    const mem = forecastOf(page, 'sys.mem');
    expect(await mem.getAttribute('data-forecast')).not.toBe('ok');
    expect(await mem.textContent()).not.toMatch(/full in/);
    // CPU and network do not fill up: no forecast line on them.
    expect(await forecastOf(page, 'sys.cpu').count()).toBe(0);
    expect(await forecastOf(page, 'sys.net.rx').count()).toBe(0);
    await page.locator('.system-glance').screenshot({
      path: path.join(ARTIFACTS, 'tile-forecasts.png'),
    });
    await page.close();
  }, 120_000);

  it('says "not enough data" on memory and disk of a fresh store', async () => {
    const stack = await openStack(() => {});
    const page = await overview(stack);
    for (const series of ['sys.mem', 'sys.disk./']) {
      const f = forecastOf(page, series);
      expect(await f.textContent()).toBe('not enough data');
      expect(await f.getAttribute('data-forecast')).toBe('none');
    }
    await page.close();
  }, 60_000);
});
