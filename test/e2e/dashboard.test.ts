import fs from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReportData } from '../../electron/main/reports/report-data';
import { TOKEN_HEADER } from '../../electron/main/server/auth';
import type { Config } from '../../shared/config-schema';
import { launchChromium } from './browser';
import { REPO } from './build-renderer';
import { closeServer, startDashboard, type Dashboard } from './fixture';

const ARTIFACTS = path.join(REPO, 'test-artifacts');
const INTERVAL_SEC = 1;

let d: Dashboard;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  await fs.mkdir(ARTIFACTS, { recursive: true });
  d = await startDashboard({ days: 3, historyInterval: 60, interval: INTERVAL_SEC });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(`${d.server.url}/#token=${d.token}`);
  // Ready, or a notice saying why not (which then fails here with its text).
  await page.waitForSelector('body[data-ready], .notice:not(:empty)', { timeout: 60_000 });
  expect(await page.textContent('.notice')).toBe('');
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await d?.close();
});

async function openView(view: string): Promise<void> {
  await page.click(`nav a[data-tab="${view}"]`);
  await page.waitForSelector(`body[data-view="${view}"]`, { timeout: 10_000 });
}

/** Polls from Node: the page's CSP (rightly) refuses the string evaluation waitForFunction needs. */
async function until(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function configOverHttp(): Promise<Config> {
  const r = await fetch(`${d.server.url}/api/config`, { headers: { [TOKEN_HEADER]: d.token } });
  return (await r.json()) as Config;
}

async function chartsLoaded(): Promise<void> {
  await page.waitForSelector('.charts-view[data-loading="false"]', { timeout: 30_000 });
}

/** Charts below the fold are drawn when scrolled into view: bring each one in. */
async function drawAll(): Promise<void> {
  const charts = page.locator('.chart');
  const n = await charts.count();
  for (let i = 0; i < n; i++) {
    await charts.nth(i).scrollIntoViewIfNeeded();
    await page.waitForSelector(`.chart:nth-child(${i + 1})[data-drawn="true"]`, {
      timeout: 10_000,
    });
  }
  await page.evaluate('window.scrollTo(0, 0)');
}

interface ChartFacts {
  key: string;
  points: number;
  inked: number;
  /** The data's time span and the x scale drawn, in Unix seconds (NaN when unset). */
  first: number;
  last: number;
  xmin: number;
  xmax: number;
}

/** Points each chart holds, how many of its canvas pixels are not background, its x span. */
function chartFacts(): Promise<ChartFacts[]> {
  return page.$$eval('.chart', (els) =>
    els.map((el) => {
      const e = el;
      const canvas = e.querySelector('canvas');
      let inked = 0;
      const ctx = canvas?.getContext('2d');
      if (canvas && ctx) {
        const px = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
        for (let i = 3; i < px.length; i += 4) if (px[i] !== 0) inked++;
      }
      const n = (v: string | undefined) => (v ? Number(v) : Number.NaN);
      return {
        key: e.dataset.chart ?? '',
        points: Number(e.dataset.points),
        inked,
        first: n(e.dataset.first),
        last: n(e.dataset.last),
        xmin: n(e.dataset.xmin),
        xmax: n(e.dataset.xmax),
      };
    }),
  );
}

describe('dashboard over opspulse serve', () => {
  it('takes the token from the link and keeps it out of the address bar', async () => {
    expect(page.url()).not.toContain('token');
    expect(await page.textContent('.health-pill')).not.toBe('…');
  });

  it('draws every chart with data, light and dark', async () => {
    await openView('charts');
    await chartsLoaded();
    await drawAll();
    const facts = await chartFacts();
    const keys = facts.map((f) => f.key);
    expect(keys).toEqual(
      expect.arrayContaining(['latency', 'cpu', 'mem', 'disk', 'net', 'm.confidence']),
    );
    for (const f of facts) {
      expect(f.points, `${f.key} points`).toBeGreaterThan(100);
      expect(f.inked, `${f.key} inked pixels`).toBeGreaterThan(500);
      // The whole range is in view, also for charts first drawn when scrolled in.
      expect(f.xmin, `${f.key} x from`).toBeLessThanOrEqual(f.first);
      expect(f.xmax, `${f.key} x to`).toBeGreaterThanOrEqual(f.last - 5);
    }
    // About two points per pixel column, whatever the range holds.
    const width = await page.$eval('.chart[data-chart="cpu"] .plot', (el) => el.clientWidth);
    const cpu = facts.find((f) => f.key === 'cpu')!;
    expect(cpu.points).toBeLessThanOrEqual(width * 2 + 10);
    await page.emulateMedia({ colorScheme: 'light' });
    await page.screenshot({ path: path.join(ARTIFACTS, 'charts-light.png'), fullPage: true });
    await page.emulateMedia({ colorScheme: 'dark' });
    // Canvases repaint with the dark palette on the next frame.
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(ARTIFACTS, 'charts-dark.png'), fullPage: true });
    const bg = await page.evaluate('getComputedStyle(document.body).backgroundColor');
    expect(bg).not.toBe('rgb(247, 248, 250)');
    await page.emulateMedia({ colorScheme: 'light' });
  }, 60_000);

  it('loads new data when the range changes, and appends live points keeping the zoom', async () => {
    await openView('charts');
    const span = () =>
      page.$eval('.chart[data-chart="latency"]', (el) => {
        const e = el;
        return {
          first: Number(e.dataset.first),
          last: Number(e.dataset.last),
          rows: Number(e.dataset.rows),
          xmin: Number(e.dataset.xmin),
          xmax: Number(e.dataset.xmax),
        };
      });
    await page.click('button[data-range="7d"]');
    await page.waitForSelector('button[data-range="7d"][aria-pressed="true"]');
    await chartsLoaded();
    const week = await span();
    const nowSec = Date.now() / 1000;
    // The generated history starts three days back.
    expect(week.first).toBeLessThan(nowSec - 2.5 * 86_400);

    await page.click('button[data-range="1h"]');
    await chartsLoaded();
    const hour = await span();
    expect(hour.first).toBeGreaterThan(nowSec - 1.1 * 3600);
    expect(hour.first).not.toBe(week.first);

    // Drag-zoom into the middle of the hour, then let live samples arrive.
    const over = (await page.$('.chart[data-chart="latency"] .u-over'))!;
    const box = (await over.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    const zoomed = await span();
    expect(zoomed.xmax - zoomed.xmin).toBeLessThan((hour.last - hour.first) * 0.5);
    await until(async () => (await span()).rows > zoomed.rows, 20_000);
    const after = await span();
    expect(after.last).toBeGreaterThan(zoomed.last);
    expect(after.xmin).toBeCloseTo(zoomed.xmin, 3);
    expect(after.xmax).toBeCloseTo(zoomed.xmax, 3);

    // Double-click resets the zoom to the whole range.
    await over.dblclick();
    const reset = await span();
    expect(reset.xmax - reset.xmin).toBeGreaterThan((hour.last - hour.first) * 0.9);
    await page.click('button[data-range="24h"]');
    await chartsLoaded();
  }, 60_000);

  it('keeps each chart and its canvas across range changes, only its data changes', async () => {
    await openView('charts');
    await chartsLoaded();
    await drawAll();
    const charts = () =>
      page.$$eval('.chart', (els) =>
        els.map((el) => ({
          key: el.dataset.chart ?? '',
          builds: Number(el.dataset.builds),
          first: Number(el.dataset.first),
          // Tagged below: a canvas that carries the tag is the same element.
          tagged: el.querySelector('canvas')?.dataset.e2eTag === 'kept',
        })),
      );
    await page.$$eval('.chart canvas', (els) => els.forEach((c) => (c.dataset.e2eTag = 'kept')));
    const before = await charts();
    expect(before.every((c) => c.builds === 1)).toBe(true);
    for (const range of ['7d', '1h', '30d', '24h']) {
      await page.click(`button[data-range="${range}"]`);
      await page.waitForSelector(`button[data-range="${range}"][aria-pressed="true"]`);
      await chartsLoaded();
    }
    await page.click('button[data-range="7d"]');
    await chartsLoaded();
    await drawAll();
    const after = await charts();
    expect(after.map((c) => c.key)).toEqual(before.map((c) => c.key));
    for (const [i, c] of after.entries()) {
      expect(c.builds, `${c.key} uPlot instances`).toBe(1);
      expect(c.tagged, `${c.key} canvas kept`).toBe(true);
      expect(c.first, `${c.key} new data`).toBeLessThan(before[i].first);
    }
    await page.click('button[data-range="24h"]');
    await chartsLoaded();
  }, 60_000);

  it('shows the uptime table with the figures of the JSON report', async () => {
    await openView('uptime');
    // A window that ended in the past: live samples cannot change it between the two reads.
    const minute = 60_000;
    const end = Math.floor((Date.now() - 3600_000) / minute) * minute;
    const local = (t: number) =>
      new Date(t - new Date(t).getTimezoneOffset() * minute).toISOString().slice(0, 16);
    await page.click('button[data-range="custom"]');
    await page.fill('.custom-range input[aria-label="from"]', local(end - 2 * 86_400_000));
    await page.fill('.custom-range input[aria-label="to"]', local(end));
    await page.click('.custom-range button');
    await page.waitForSelector(`.view.uptime-view[data-to="${end}"]`);
    await page.waitForSelector('.uptime-table tbody tr', { timeout: 20_000 });
    const from = Number(await page.getAttribute('.view.uptime-view', 'data-from'));
    const to = Number(await page.getAttribute('.view.uptime-view', 'data-to'));
    const rows = await page.$$eval('.uptime-table tbody tr', (trs) =>
      trs.map((tr) => {
        const cells: Record<string, string> = {};
        for (const td of tr.querySelectorAll('td'))
          cells[td.dataset.key ?? ''] = td.dataset.value ?? '';
        return { id: tr.dataset.target ?? '', cells };
      }),
    );
    const file = await d.monitor.exportReport({ from, to, format: 'json' });
    const report = JSON.parse(file.content) as ReportData;
    const num = (s: string) => (s === '' ? null : Number(s));
    expect(rows.map((r) => r.id).sort()).toEqual(report.analysis.targets.map((t) => t.id).sort());
    for (const t of report.analysis.targets) {
      const row = rows.find((r) => r.id === t.id)!;
      expect(num(row.cells.uptime)).toBe(t.uptimePct);
      expect(num(row.cells.p95)).toBe(t.latency.p95);
      expect(num(row.cells.avg)).toBe(t.latency.avg);
      expect(num(row.cells.incidents)).toBe(t.incidents.length);
      expect(num(row.cells.mttr)).toBe(t.mttrMs);
    }
    // Sortable: clicking a heading orders the rows by it.
    await page.click('.uptime-table th[data-key="uptime"]');
    const sorted = await page.$$eval('.uptime-table tbody td[data-key="uptime"]', (tds) =>
      tds.map((td) => Number(td.dataset.value)),
    );
    expect(sorted).toEqual([...sorted].sort((a, b) => a - b));
    await page.screenshot({ path: path.join(ARTIFACTS, 'uptime-light.png') });
    await page.click('button[data-range="24h"]');
  }, 60_000);

  it('shows the schema message next to the field for invalid input', async () => {
    await openView('targets');
    await page.click('button.add-target');
    await page.fill('#f-id', 'Bad.Id');
    await page.fill('#f-name', 'Bad');
    await page.fill('#f-url', 'ftp://example.com');
    await page.click('button.save');
    expect(await page.textContent('.field-error[data-for="url"]')).toContain(
      'an http:// or https:// URL',
    );
    expect(await page.textContent('.field-error[data-for="id"]')).toContain('lowercase');
    await page.fill('#f-timeoutMs', 'soon');
    await page.click('button.save');
    expect(await page.textContent('.field-error[data-for="timeoutMs"]')).toMatch(/number/i);
    await page.click('button.cancel');
  }, 30_000);

  it('adds a target through the form; it appears, tests and collects', async () => {
    await openView('targets');
    await page.click('button.add-target');
    await page.fill('#f-id', 'web2');
    await page.fill('#f-name', 'Second web');
    await page.fill('#f-url', `http://127.0.0.1:${d.httpPort}/health`);
    await page.fill('#f-metrics', 'confidence = $.confidence');
    await page.click('button.test-now');
    await page.waitForSelector('.test-result[data-up="true"]', { timeout: 15_000 });
    expect(await page.textContent('.test-result [data-metric="confidence"]')).toBe('0.91');
    await page.click('button.save');
    await page.waitForSelector('.targets-table tr[data-target="web2"]', { timeout: 10_000 });
    expect((await d.monitor.getConfig()).targets.some((t) => t.id === 'web2')).toBe(true);
    await openView('overview');
    await page.waitForSelector('.card[data-target="web2"][data-state="ok"]', { timeout: 30_000 });
  }, 60_000);

  it('turns a stopped target red within a few intervals and logs the incident', async () => {
    await openView('overview');
    await page.waitForSelector('.card[data-target="task-queue"][data-state="ok"]', {
      timeout: 20_000,
    });
    const stoppedAt = Date.now();
    await closeServer(d.tcpTarget);
    await page.waitForSelector('.card[data-target="task-queue"][data-state="crit"]', {
      timeout: 30_000,
    });
    const redAfterMs = Date.now() - stoppedAt;
    // Two failing checks at one per second; the bound is loose for a loaded machine.
    expect(redAfterMs).toBeLessThan(25_000);
    await page.emulateMedia({ colorScheme: 'light' });
    await page.screenshot({ path: path.join(ARTIFACTS, 'overview-light.png'), fullPage: true });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: path.join(ARTIFACTS, 'overview-dark.png'), fullPage: true });
    await page.emulateMedia({ colorScheme: 'light' });
    await openView('events');
    // The Incidents view lists the outage as ongoing; the event log has the transition.
    await page.waitForSelector(
      '.incident-table tr[data-target="task-queue"][data-ongoing="true"]',
      {
        timeout: 20_000,
      },
    );
    await page.click('.segmented button[data-mode="log"]');
    await page.waitForSelector('.event-table tr[data-target="task-queue"][data-to="crit"]', {
      timeout: 20_000,
    });
    await page.selectOption('.target-filter', 'task-queue');
    await until(async () => {
      const targets = await page.$$eval('.event-table tbody tr', (trs) =>
        trs.map((tr) => tr.dataset.target),
      );
      return targets.length > 0 && targets.every((t) => t === 'task-queue');
    }, 10_000);
    await page.screenshot({ path: path.join(ARTIFACTS, 'incidents-light.png') });
  }, 90_000);

  it('adds, edits, disables and deletes an alert rule through the form', async () => {
    const rulesInConfig = async () => (await configOverHttp()).rules;
    const row = '.rules-table tr[data-rule="slow-scheduler"]';
    const errorFor = (field: string) =>
      page.textContent(`.rule-form .field-error[data-for="${field}"]`);
    await openView('targets');
    await page.click('button.add-rule');
    const suggested = await page.$$eval('.rule-form datalist option', (os) =>
      os.map((o) => o.getAttribute('value') ?? ''),
    );
    expect(suggested).toEqual(
      expect.arrayContaining(['tg.scheduler.ms', 'tg.scheduler.m.confidence']),
    );
    expect(await page.getAttribute('#r-series', 'list')).toBe('rule-series-options');
    await page.fill('#r-id', 'slow-scheduler');
    await page.fill('#r-name', 'Scheduler slow');
    await page.fill('#r-series', 'scheduler.ms');
    await page.selectOption('#r-op', '>');
    await page.fill('#r-warn', '500');
    await page.fill('#r-crit', '100');
    await page.click('button.save-rule');
    // The shared schema's own messages, each next to its input; nothing is saved.
    expect(await errorFor('series')).toContain('a series name such as tg.api.ms');
    expect(await errorFor('crit')).toBe('crit must be at least as far past the threshold as warn');
    expect(await page.getAttribute('#r-crit', 'aria-invalid')).toBe('true');
    await page.fill('#r-series', 'tg.scheduler.ms');
    await page.fill('#r-crit', '1000');
    await page.fill('#r-forSamples', 'three');
    await page.click('button.save-rule');
    expect(await errorFor('forSamples')).toMatch(/expected number/);
    expect(await errorFor('series')).toBe('');
    expect((await rulesInConfig()).some((r) => r.id === 'slow-scheduler')).toBe(false);

    await page.fill('#r-forSamples', '3');
    await page.click('button.save-rule');
    await page.waitForSelector(row, { timeout: 10_000 });
    expect(await page.isHidden('.rule-form')).toBe(true);
    expect((await rulesInConfig()).find((r) => r.id === 'slow-scheduler')).toMatchObject({
      name: 'Scheduler slow',
      series: 'tg.scheduler.ms',
      op: '>',
      warn: 500,
      crit: 1000,
      forSamples: 3,
      enabled: true,
    });

    await page.click(`${row} button.edit-rule`);
    expect(await page.inputValue('#r-forSamples')).toBe('3');
    await page.fill('#r-warn', '700');
    await page.click('button.save-rule');
    await page.waitForSelector(`${row} >> text=warn 700`, { timeout: 10_000 });
    await page.uncheck(`${row} input.toggle-rule`);
    await until(async () => {
      const r = (await rulesInConfig()).find((x) => x.id === 'slow-scheduler');
      return r?.warn === 700 && r.enabled === false;
    }, 10_000);

    page.once('dialog', (dialog) => void dialog.accept());
    await page.click(`${row} button.delete-rule`);
    await page.waitForSelector(row, { state: 'detached', timeout: 10_000 });
    expect((await rulesInConfig()).some((r) => r.id === 'slow-scheduler')).toBe(false);
  }, 60_000);

  it("opens a target's own page from a #target=<id> link", async () => {
    const pageOf = (id: string) => `body[data-view="target"] .target-page[data-target="${id}"]`;
    // While open (the tray menu loads a new fragment into the window).
    await openView('targets');
    await page.goto(`${d.server.url}/#target=task-queue`);
    await page.waitForSelector(pageOf('task-queue'), { timeout: 10_000 });
    expect(await page.textContent('.target-head h2')).toContain('Task queue');
    await page.waitForSelector('.target-page[data-loading="false"]', { timeout: 30_000 });
    expect(await page.locator('.status-bar .cell').count()).toBeGreaterThan(0);

    // From a cold start, even sharing the fragment with the serve token.
    await page.goto('about:blank');
    await page.goto(`${d.server.url}/#token=${d.token}&target=scheduler`);
    await page.waitForSelector('body[data-ready]', { timeout: 30_000 });
    await page.waitForSelector(pageOf('scheduler'), { timeout: 10_000 });
    expect(page.url()).not.toContain('token');
  }, 60_000);

  it('deletes targets and, with none left, explains how to add one', async () => {
    await openView('targets');
    page.once('dialog', (dialog) => void dialog.accept());
    await page.click('.targets-table tr[data-target="web2"] button.delete');
    await page.waitForSelector('.targets-table tr[data-target="web2"]', { state: 'detached' });
    expect((await d.monitor.getConfig()).targets.some((t) => t.id === 'web2')).toBe(false);
    for (const t of (await d.monitor.getConfig()).targets) await d.monitor.deleteTarget(t.id);
    await page.reload();
    await page.waitForSelector('body[data-ready]');
    await openView('overview');
    const empty = await page.textContent('.empty-state');
    expect(empty).toContain('Only system metrics');
    expect(empty).toContain('opspulse targets import');
    await page.screenshot({ path: path.join(ARTIFACTS, 'empty-light.png') });
  }, 30_000);

  it('raised no page errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
