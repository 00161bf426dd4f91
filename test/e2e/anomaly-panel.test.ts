import fs from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../electron/main/server/server';
import { SampleStore } from '../../electron/main/store/sample-store';
import type { ConfigInput } from '../../shared/config-schema';
import { SAMPLE_VERSION } from '../../shared/sample';
import { makeTmpDir, removeDir } from '../helpers/tmp-dir';
import { ensureRendererBuilt, REPO } from './build-renderer';
import { closeServer, servePage, type ServedPage } from './fixture';

/**
 * A target's page against the real `serve` stack: nine days in which the API's latency
 * creeps up 5 ms a day and, an hour ago, spiked once. The page must say the spike was
 * unusual for this series and that the daily p95 is creeping up.
 */
const ARTIFACTS = path.join(REPO, 'test-artifacts');
const DAY = 86_400_000;
const STEP = 300_000;

let dir: string;
let server: RunningServer;
let api: http.Server;
let page: Page;
let served: ServedPage;
let pageErrors: string[] = [];
/** What the latency chart's canvas shows: its y range, and the rows its line's colour is in. */
interface LineSample {
  ymin: number;
  ymax: number;
  log: string;
  height: number;
  /** First and last row (from the plot's top) holding the line's colour; -1 if none. */
  first: number;
  last: number;
  /** Pixels of the line's colour in the plot box. */
  count: number;
}

/** Runs in the page (a string: the Node tsconfig has no DOM types). */
const SAMPLE_LATENCY_LINE = `(() => {
  const el = document.querySelector('[data-chart="latency"]');
  const d = el.dataset;
  const [left, top, width, height] = d.box.split(',').map(Number);
  const marker = el.querySelector('.u-legend .u-series:nth-child(2) .u-marker');
  const rgb = getComputedStyle(marker).borderColor.match(/\\d+/g).map(Number);
  const img = el.querySelector('canvas').getContext('2d').getImageData(left, top, width, height).data;
  let first = -1, last = -1, count = 0;
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      if (img[i + 3] > 200 && rgb.every((c, k) => Math.abs(img[i + k] - c) < 40)) {
        count++;
        if (first < 0) first = y;
        last = y;
      }
    }
  return { ymin: Number(d.ymin), ymax: Number(d.ymax), log: d.ylog, height, first, last, count };
})()`;

/** The latency samples written, to know the lowest and highest value in a window. */
const samples: { t: number; ms: number }[] = [];

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
    samples.push({ t, ms });
  }
  await store.close();
  const config: ConfigInput = {
    interval: 300,
    targets: [{ kind: 'http', id: 'api', name: 'API', url: `http://127.0.0.1:${port}/` }],
  };
  await fs.writeFile(path.join(dir, 'config.json'), JSON.stringify(config, null, 2));
  served = await servePage(dir, staticDir, {
    viewport: { width: 1440, height: 1400 },
    collect: false,
  });
  ({ server, page, pageErrors } = served);
}, 300_000);

afterAll(async () => {
  await served?.close();
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

  // The reported bug: at 24 h the 5-minute samples left most buckets empty and no line was
  // drawn; at 30 d the log axis ended at 1000 ms, under the 2.5 s spike in a bucket's max.
  it.each(['24h', '7d', '30d'])(
    'the log latency chart at %s draws its line and a y range that covers the data',
    async (range) => {
      await page.goto(`${server.url}/?range=${range}#target=api`);
      await page.locator('.target-page[data-loading="false"]').waitFor({ timeout: 30_000 });
      const chart = page.locator('[data-chart="latency"][data-drawn="true"]');
      await chart.waitFor({ timeout: 30_000 });
      const span = { '24h': DAY, '7d': 7 * DAY, '30d': 30 * DAY }[range]!;
      const from = Date.now() - span;
      const inView = samples.filter((s) => s.t >= from).map((s) => s.ms);
      const [lo, hi] = [Math.min(...inView), Math.max(...inView)];
      expect(hi).toBe(2500);
      const drawn = (await page.evaluate(SAMPLE_LATENCY_LINE)) as LineSample;
      expect(drawn.log).toBe('true');
      expect(drawn.ymin).toBeGreaterThan(0);
      expect(drawn.ymin).toBeLessThanOrEqual(lo);
      expect(drawn.ymax).toBeGreaterThanOrEqual(hi);
      // A line across the plot, not a scatter of invisible single points.
      expect(drawn.count).toBeGreaterThan(100);
      const valueAt = (row: number) => {
        const [a, b] = [Math.log10(drawn.ymin), Math.log10(drawn.ymax)];
        return 10 ** (b - ((row + 0.5) / drawn.height) * (b - a));
      };
      // The lowest latency is on screen, not under the axis floor.
      expect(valueAt(drawn.last)).toBeLessThan(lo * 1.15);
      // At 24 h and 7 d the spike is a raw sample, drawn as a peak (its antialiased tip is
      // paler than the line, hence 1 s, not 2.5 s); at 30 d its bucket's mean (about
      // 500 ms) still stands well above the usual 60–100 ms.
      expect(valueAt(drawn.first)).toBeGreaterThan(range === '30d' ? 300 : 1000);
      expect(pageErrors).toEqual([]);
    },
  );
});
