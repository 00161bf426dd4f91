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
import { SAMPLE_VERSION } from '../../shared/sample';
import { makeTmpDir, removeDir } from '../helpers/tmp-dir';
import { launchChromium } from './browser';
import { ensureRendererBuilt, REPO } from './build-renderer';
import { closeServer } from './fixture';

/**
 * A target's page against the real `serve` stack: nine days in which the API's latency
 * creeps up 5 ms a day and, an hour ago, spiked once. The page must say the spike was
 * unusual for this series and that the daily p95 is creeping up.
 */
const ARTIFACTS = path.join(REPO, 'test-artifacts');
const DAY = 86_400_000;
const STEP = 300_000;

let dir: string;
let monitor: Monitor;
let server: RunningServer;
let api: http.Server;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  await fs.mkdir(ARTIFACTS, { recursive: true });
  const staticDir = await ensureRendererBuilt();
  dir = await makeTmpDir('opspulse-anomaly-page-');
  api = http.createServer((_req, res) => res.end('ok'));
  const port = await new Promise<number>((resolve) =>
    api.listen(0, '127.0.0.1', () => resolve((api.address() as AddressInfo).port)),
  );
  const store = await SampleStore.open(dir);
  const end = Date.now() - 60_000;
  const spike = end - 12 * STEP;
  for (let t = end - 9 * DAY; t <= end; t += STEP) {
    const day = (t - end) / DAY;
    const ms = t === spike ? 2500 : 100 + 5 * day + ((t / STEP) % 5);
    store.append({ v: SAMPLE_VERSION, t, tg: { api: { up: 1, ms } } });
  }
  await store.close();
  const config: ConfigInput = {
    interval: 300,
    targets: [{ kind: 'http', id: 'api', name: 'API', url: `http://127.0.0.1:${port}/` }],
  };
  await fs.writeFile(path.join(dir, 'config.json'), JSON.stringify(config, null, 2));
  monitor = await Monitor.open({ dataDir: dir, systemMetrics: false });
  server = await startServer({ api: monitor, host: '127.0.0.1', port: 0, staticDir });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1440, height: 1400 } });
  page.on('pageerror', (e) => pageErrors.push(e.message));
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await monitor?.close();
  if (api) await closeServer(api);
  if (dir) await removeDir(dir);
});

describe("a target's page: unusual this period and forecasts", () => {
  it('names the spike as unusual against the baseline, and the latency creep', async () => {
    await page.goto(`${server.url}/?range=24h#target=api`);
    const rate = page.locator('.anomaly-rates li[data-series="tg.api.ms"]');
    await rate.waitFor({ timeout: 60_000 });
    expect(Number(await rate.getAttribute('data-anomalies'))).toBeGreaterThanOrEqual(1);
    expect(await rate.textContent()).toMatch(
      /^latency: \d+ unusual of \d+ samples \(.+; usually .+\)$/,
    );
    expect(await page.locator('.anomaly-marks').textContent()).toMatch(
      /^Latest: latency 2[,.]?500 ms at /,
    );
    const creep = page.locator('.anomaly-panel .forecasts li[data-series="tg.api.ms"]');
    expect(await creep.getAttribute('data-ok')).toBe('true');
    expect(await creep.textContent()).toMatch(/^latency trend: daily p95 up 5\.\d ms\/day/);
    // The spike is ringed on the latency chart.
    await page.locator('.target-charts[data-anomaly-marks="1"]').waitFor({ timeout: 10_000 });
    await page.locator('.target-page[data-loading="false"]').waitFor({ timeout: 30_000 });
    await page.locator('.target-charts').screenshot({
      path: path.join(ARTIFACTS, 'anomaly-chart.png'),
    });
    await page.locator('.anomaly-panel').screenshot({
      path: path.join(ARTIFACTS, 'anomaly-panel.png'),
    });
    expect(pageErrors).toEqual([]);
  });
});
