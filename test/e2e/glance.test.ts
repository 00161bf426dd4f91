import fs from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Monitor } from '../../electron/main/core/monitor';
import type { ReportData } from '../../electron/main/reports/report-data';
import type { RunningServer } from '../../electron/main/server/server';
import { SampleStore } from '../../electron/main/store/sample-store';
import type { ConfigInput } from '../../shared/config-schema';
import { SAMPLE_VERSION, type Sample } from '../../shared/sample';
import { makeTmpDir, removeDir } from '../helpers/tmp-dir';
import { ensureRendererBuilt, REPO } from './build-renderer';
import { closeServer, servePage, type ServedPage } from './fixture';

/**
 * What a person sees at a glance, against the real `serve` stack: 30 days of history in
 * which only `api` was ever down, then live probing of a slow-able HTTP server (`api`,
 * with a "slow" latency rule) and a TCP listener (`db`) that the test stops, and last
 * the server itself going away.
 */
// Browser-side callbacks run in the page; the Node tsconfig has no DOM library.
declare const getComputedStyle: (el: unknown) => {
  fontSize: string;
  color: string;
  textAlign: string;
};
declare const document: { body: unknown };

const ARTIFACTS = path.join(REPO, 'test-artifacts');
const DAY = 86_400_000;
const HISTORY_STEP = 300_000;
const OUTAGE = { from: Date.now() - 10 * DAY, to: Date.now() - 10 * DAY + 2 * 3_600_000 };

let dir: string;
let monitor: Monitor;
let server: RunningServer;
let api: http.Server;
let db: net.Server;
let page: Page;
let served: ServedPage;
let delayMs = 0;
let pageErrors: string[] = [];

function listen<S extends http.Server | net.Server>(s: S): Promise<number> {
  return new Promise((resolve, reject) => {
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => resolve((s.address() as AddressInfo).port));
  });
}

async function seedHistory(): Promise<void> {
  const store = await SampleStore.open(dir);
  const end = Date.now() - 5_000;
  for (let t = end - 30 * DAY; t < end; t += HISTORY_STEP) {
    const down = t >= OUTAGE.from && t < OUTAGE.to;
    const s: Sample = {
      v: SAMPLE_VERSION,
      t,
      tg: {
        api: down ? { up: 0, err: 'connection refused (127.0.0.1)' } : { up: 1, ms: 20 + (t % 7) },
        db: { up: 1, ms: 2 + (t % 3) / 10 },
      },
    };
    store.append(s);
  }
  await store.close();
}

beforeAll(async () => {
  await fs.mkdir(ARTIFACTS, { recursive: true });
  const staticDir = await ensureRendererBuilt();
  dir = await makeTmpDir('opspulse-glance-');
  api = http.createServer((_req, res) => {
    setTimeout(() => {
      res.setHeader('content-type', 'application/json');
      res.end('{"status":"ok"}');
    }, delayMs);
  });
  db = net.createServer((s) => s.end());
  const [apiPort, dbPort] = await Promise.all([listen(api), listen(db)]);
  await seedHistory();
  const config: ConfigInput = {
    interval: 1,
    // The seeded history is one sample per HISTORY_STEP: its outage is one incident, its
    // spacing is not 300 gaps (the live part probes every second).
    incidentGapIntervals: (2 * HISTORY_STEP) / 1000,
    targets: [
      // Config order puts db last: "worst first" must move it up when it fails.
      {
        kind: 'http',
        id: 'api',
        name: 'API',
        url: `http://127.0.0.1:${apiPort}/`,
        timeoutMs: 3000,
      },
      { kind: 'tcp', id: 'db', name: 'Database', host: '127.0.0.1', port: dbPort, timeoutMs: 500 },
    ],
    rules: [
      {
        id: 'slow',
        name: 'slow',
        series: 'tg.api.ms',
        op: '>',
        crit: 300,
        forSamples: 1,
        recoverSamples: 1,
      },
    ],
  };
  await fs.writeFile(path.join(dir, 'config.json'), JSON.stringify(config, null, 2));
  served = await servePage(dir, staticDir, { viewport: { width: 1440, height: 900 } });
  ({ monitor, server, page, pageErrors } = served);
}, 300_000);

afterAll(async () => {
  await served?.close();
  await Promise.all([api && closeServer(api), db && closeServer(db)]);
  if (dir) await removeDir(dir);
});

async function open(hash: string, range = '24h'): Promise<void> {
  await page.goto(`${server.url}/?range=${range}#${hash}`);
  await page.waitForSelector('body[data-ready]', { timeout: 60_000 });
}

describe('the dashboard at a glance', () => {
  it('shades only the target that was down on the 30 d latency chart', async () => {
    await open('charts', '30d');
    await page.waitForSelector('.charts-view[data-loading="false"]', { timeout: 30_000 });
    await page.waitForSelector('.chart[data-chart="latency"][data-drawn="true"]');
    expect(await page.getAttribute('.chart[data-chart="latency"]', 'data-shaded')).toBe(
      'tg.api.up',
    );
    await page.screenshot({ path: path.join(ARTIFACTS, 'glance-charts-30d.png') });
    // The strip is drawn at the bottom of the plot, red, and not as a wall across it (a
    // line of an orange-red colour may cross the middle: a few pixels, not an area).
    const { strip, wall } = await page.$eval('.chart[data-chart="latency"] canvas', (canvas) => {
      const ctx = canvas.getContext('2d')!;
      const px = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
      let redBottom = 0;
      let redMiddle = 0;
      for (let y = 0; y < canvas.height; y++)
        for (let x = 0; x < canvas.width; x++) {
          const i = (y * canvas.width + x) * 4;
          const red = px[i] > 150 && px[i + 1] < 110 && px[i + 2] < 110 && px[i + 3] > 60;
          if (!red) continue;
          if (y > canvas.height * 0.6) redBottom++;
          else if (y > canvas.height * 0.2 && y < canvas.height * 0.5) redMiddle++;
        }
      return { strip: redBottom, wall: redMiddle / (canvas.width * canvas.height * 0.3) };
    });
    expect(strip).toBeGreaterThan(0);
    expect(wall).toBeLessThan(0.005);
  }, 90_000);

  it('shows the uptime table at body size, with a state column and sortable by keyboard', async () => {
    await open('uptime', '30d');
    await page.waitForSelector('.uptime-table tbody tr', { timeout: 30_000 });
    const sizes = await page.$eval('.uptime-table td[data-key="uptime"]', (td) => ({
      cell: getComputedStyle(td).fontSize,
      body: getComputedStyle(document.body).fontSize,
      cellColor: getComputedStyle(td).color,
      bodyColor: getComputedStyle(document.body).color,
    }));
    expect(sizes.cell).toBe(sizes.body);
    expect(sizes.cellColor).toBe(sizes.bodyColor);
    expect(
      await page.textContent('.uptime-table tr[data-target="api"] td[data-key="state"]'),
    ).toMatch(/OK|Critical|Down|No data/);
    expect(
      await page.$eval(
        '.uptime-table td[data-key="uptime"]',
        (td) => getComputedStyle(td).textAlign,
      ),
    ).toBe('right');
    // Tab to the Uptime heading and sort with the keyboard.
    await page.focus('.uptime-table th[data-key="uptime"] button');
    await page.keyboard.press('Enter');
    await page.waitForSelector('.uptime-table th[data-key="uptime"][aria-sort="ascending"]');
    const values = await page.$$eval('.uptime-table td[data-key="uptime"]', (tds) =>
      tds.map((td) => Number(td.dataset.value)),
    );
    expect(values).toEqual([...values].sort((a, b) => a - b));
  }, 60_000);

  it('lists the same incidents as the report for the window', async () => {
    await open('events', '30d');
    await page.waitForSelector('.event-list[data-loading="false"][data-count]', {
      timeout: 30_000,
    });
    const from = Number(await page.getAttribute('.event-list', 'data-from'));
    const to = Number(await page.getAttribute('.event-list', 'data-to'));
    const rows = await page.$$eval('.incident-table tbody tr', (trs) =>
      trs.map(
        (tr) =>
          `${tr.dataset.target}@${tr.dataset.start}+${tr.querySelector('td[data-ms]')?.getAttribute('data-ms')}`,
      ),
    );
    const report = JSON.parse(
      (await monitor.exportReport({ from, to, format: 'json' })).content,
    ) as ReportData;
    const expected = report.analysis.targets
      .flatMap((t) => t.incidents.map((i) => `${t.id}@${i.start}+${i.durationMs}`))
      .sort();
    expect(rows.length).toBeGreaterThan(0);
    expect([...rows].sort()).toEqual(expected);
    // The seeded outage, with its first error and its duration to the second.
    const seeded = await page.$$eval('.incident-table tbody tr[data-target="api"]', (trs) =>
      trs.map((tr) => ({ start: Number(tr.dataset.start), text: tr.textContent ?? '' })),
    );
    const outage = seeded.find((r) => Math.abs(r.start - OUTAGE.from) <= HISTORY_STEP);
    expect(outage?.text).toContain('connection refused');
    expect(outage?.text).toMatch(/\d+ min \d+ s/);
  }, 60_000);

  it('calls a slow target that answers Critical with its reason, not Down', async () => {
    await open('overview');
    await page.waitForSelector('.card[data-target="api"][data-verdict="ok"]', { timeout: 30_000 });
    await page.waitForSelector('.cards[data-loading="false"]');
    // Loaded without complaint, with the window's uptime on every card.
    expect(await page.locator('.load-error').count()).toBe(0);
    expect(await page.textContent('.card[data-target="api"] .card-uptime')).toMatch(
      /^uptime \d+\.\d+ %$/,
    );
    delayMs = 450;
    await page.waitForSelector('.card[data-target="api"][data-verdict="critical"]', {
      timeout: 30_000,
    });
    const card = (await page.textContent('.card[data-target="api"]')) ?? '';
    expect(card).toContain('Critical');
    expect(card).toMatch(/slow: \d+ ms > 300 ms/);
    expect(card).not.toMatch(/\bDown\b/);
    expect(await page.getAttribute('.health-pill', 'data-verdict')).toBe('critical');
    expect(await page.textContent('.banner')).toMatch(/1 critical: API/);
    expect(await page.textContent('.banner')).not.toMatch(/down/i);
  }, 60_000);

  it('says since when a stopped target is down, on its card, the banner and its page, worst first', async () => {
    const before = await page.$$eval('.cards .card', (cs) => cs.map((c) => c.dataset.target));
    expect(before).toEqual(['api', 'db']);
    await closeServer(db);
    await page.waitForSelector('.card[data-target="db"][data-verdict="down"]', { timeout: 30_000 });
    const order = await page.$$eval('.cards .card', (cs) => cs.map((c) => c.dataset.target));
    expect(order).toEqual(['db', 'api']);
    expect(await page.textContent('.card[data-target="db"] .since')).toMatch(
      /^down \d+ s · since \S+/,
    );
    expect(await page.textContent('.banner li[data-target="db"]')).toMatch(/down \d+ s · since/);
    expect(await page.textContent('.counts')).toMatch(/1 down.*1 critical/);
    await page.screenshot({
      path: path.join(ARTIFACTS, 'glance-overview-down.png'),
      fullPage: true,
    });
    // With counts in it, the header still fits one row at 1024 px.
    await page.setViewportSize({ width: 1024, height: 768 });
    const headerHeight = await page.$eval('header', (el) => el.getBoundingClientRect().height);
    expect(headerHeight).toBeLessThan(50);
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.click('.card[data-target="db"] a.card-link');
    await page.waitForSelector('.target-page[data-target="db"] .target-head[data-verdict="down"]');
    expect(await page.textContent('.target-head .since')).toMatch(/down \d+ s · since/);
    await page.waitForSelector('.target-page[data-loading="false"]', { timeout: 30_000 });
    await page.screenshot({ path: path.join(ARTIFACTS, 'glance-target-down.png'), fullPage: true });
  }, 60_000);

  it('says disconnected within 10 s of the server going away, and that a range cannot load', async () => {
    await open('overview');
    await page.waitForSelector('.connection[data-conn="live"]');
    await page.waitForSelector('.cards[data-loading="false"]');
    const stoppedAt = Date.now();
    await server.close();
    await page.waitForSelector('.connection[data-conn="disconnected"]', { timeout: 10_000 });
    expect(Date.now() - stoppedAt).toBeLessThan(10_000);
    expect(await page.textContent('.connection')).toMatch(/^disconnected since \S+/);
    expect(await page.textContent('.banner')).toContain('Not live');
    await page.click('button[data-range="7d"]');
    await page.waitForSelector('.cards-error .load-error', { timeout: 10_000 });
    expect(await page.textContent('.cards-error')).toMatch(
      /^Cannot load uptime and latency for 7d: The OpsPulse server is not answering/,
    );
    // No old 24 h figures under the 7 d button.
    const uptimes = await page.$$eval('.card .card-uptime', (els) => els.map((e) => e.textContent));
    expect(uptimes.every((u) => u === 'uptime –')).toBe(true);
    await page.screenshot({
      path: path.join(ARTIFACTS, 'glance-disconnected.png'),
      fullPage: true,
    });
  }, 60_000);

  it('raised no page errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
