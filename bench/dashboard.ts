import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { generateHistory } from '../scripts/gen';
import { Monitor } from '../electron/main/core/monitor';
import { startServer } from '../electron/main/server/server';
import { launchChromium } from '../test/e2e/browser';
import { ensureRendererBuilt } from '../test/e2e/build-renderer';
import { median } from './stats';

const RANGES = ['1h', '24h', '7d', '30d', '1y'] as const;

export interface RangeFigures {
  range: (typeof RANGES)[number];
  /**
   * Navigation start to the charts in view drawn and rendered (median of runs), ms.
   * "Rendered": the page's `shownAt`, taken in a task posted from the animation frame
   * after the draws, so that frame's style, layout, paint and canvas commit are included.
   */
  navToShownMs: number;
  /**
   * The query answer's last byte received (Resource Timing `responseEnd`) to rendered
   * (median), ms: JSON parsing, columns, drawing and the frame all count.
   */
  dataToShownMs: number;
  /** The same, switching to this range with the range picker in a loaded page. */
  switchDataToShownMs: number;
  /** Longest single chart draw (setData, drawn synchronously) of a load, ms. */
  drawMs: number;
  charts: number;
  /** JSON bytes of the range's one query, divided by the charts it feeds. */
  bytesPerChart: number;
  /** Most points one series of a chart received, and the plot width it is drawn into. */
  pointsPerSeries: number;
  plotWidthPx: number;
  pointsPerPixel: number;
  heapMB: number;
  /** dataToShownMs over the reference canvas draw of the same run. */
  dataToShownRatio: number;
}

export interface DashboardBenchResult {
  history: { days: number; targets: number; samples: number; generateMs: number };
  /**
   * Baseline in the same page and run: bare canvas strokes of as many points as the
   * visible charts hold (8 lines x 1200 points). Absolute times scale with machine load;
   * `dataToShownRatio` divides by this.
   */
  referenceDrawMs: number;
  /** 1-minute load average when the run ended: absolute times scale with it. */
  loadAvg: number;
  cores: number;
  ranges: RangeFigures[];
  /** uPlot instances created per chart over all the range switches (1 = reused). */
  buildsPerChart: number;
  live: { frames: number; meanMs: number; maxMs: number };
  /** A target's own page: its data arrived to painted (median per range), ms. */
  targetPage: { range: string; paintMs: number }[];
  budgets: {
    targetPageWithin100ms: boolean;
    shownWithin1s: boolean;
    drawnWithin50ms: boolean;
    liveUnder4ms: boolean;
    heapUnder150MB: boolean;
    columnarToPixels: boolean;
  };
}

async function heapMB(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  await cdp.detach();
  return usedSize / 1024 / 1024;
}

const REFERENCE_DRAW = `(() => {
  const c = document.createElement('canvas');
  c.width = 600;
  c.height = 220;
  document.body.append(c);
  const ctx = c.getContext('2d');
  const t0 = performance.now();
  for (let k = 0; k < 8; k++) {
    ctx.beginPath();
    for (let i = 0; i < 1200; i++) ctx.lineTo(i / 2, 110 + 100 * Math.sin(i / 20 + k));
    ctx.stroke();
  }
  ctx.getImageData(0, 0, 1, 1);
  const ms = performance.now() - t0;
  c.remove();
  return ms;
})()`;

async function referenceDrawMs(page: Page): Promise<number> {
  const runs: number[] = [];
  for (let i = 0; i < 7; i++) runs.push((await page.evaluate(REFERENCE_DRAW)) as number);
  return median(runs);
}

async function dataset(page: Page, selector: string): Promise<Record<string, string>> {
  return page.$eval(selector, (el) => ({ ...el.dataset }) as Record<string, string>);
}

/** Rendered time of the charts and how long before it the last query's answer arrived. */
async function shownTimes(page: Page): Promise<{ shownAt: number; dataToShown: number }> {
  const shownAt = Number((await dataset(page, '.charts-view')).shownAt);
  const arrived = await page.evaluate(
    (before) =>
      (
        performance.getEntriesByType('resource') as unknown as {
          name: string;
          responseEnd: number;
        }[]
      )
        .filter((e) => e.name.includes('/api/query') && e.responseEnd <= before)
        .reduce((last, e) => Math.max(last, e.responseEnd), -Infinity),
    shownAt,
  );
  return { shownAt, dataToShown: Number.isFinite(arrived) ? shownAt - arrived : Number.NaN };
}

/**
 * The dashboard in Chromium over `opspulse serve` with 30 days of history for the system
 * and 10 targets (minute samples, the last day every 5 s) and live collection every second.
 * For every range: time from navigation and from data arrival to charts on screen, bytes
 * and points per chart against its pixel width, and the JS heap; then live update cost.
 */
export async function benchDashboard(
  opts: { days?: number; targets?: number; runs?: number; liveSeconds?: number } = {},
): Promise<DashboardBenchResult> {
  const days = opts.days ?? 30;
  const targets = opts.targets ?? 10;
  const runs = opts.runs ?? 3;
  const staticDir = await ensureRendererBuilt();
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'opspulse-bench-dash-'));
  const g0 = performance.now();
  const gen = await generateHistory({
    out: dir,
    days,
    interval: 60,
    targets,
    recentDays: 1,
    recentInterval: 5,
  });
  const generateMs = performance.now() - g0;
  // Live collection every second against the generated (closed) ports: refusals are fast.
  const cfgPath = path.join(dir, 'config.json');
  const cfg = JSON.parse(await fs.readFile(cfgPath, 'utf8')) as { targets: { kind: string }[] };
  // The generated history has custom metrics; name them so their charts are drawn too.
  const metrics = {
    confidence: '$.confidence',
    quality: '$.quality',
    queue_depth: '$.queue_depth',
  };
  const targetsWithMetrics = cfg.targets.map((t) => (t.kind === 'http' ? { ...t, metrics } : t));
  await fs.writeFile(
    cfgPath,
    JSON.stringify({ ...cfg, targets: targetsWithMetrics, interval: 1 }, null, 2),
  );
  const monitor = await Monitor.open({ dataDir: dir, systemMetrics: false });
  monitor.start();
  const server = await startServer({ api: monitor, host: '127.0.0.1', port: 0, staticDir });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${server.url}/?range=1h#overview`);
    const reference = await referenceDrawMs(page);
    const ranges: RangeFigures[] = [];
    for (const range of RANGES) {
      const nav: number[] = [];
      const shown: number[] = [];
      const draw: number[] = [];
      let charts = 0;
      let width = 0;
      let bytes = 0;
      let points = 0;
      for (let i = 0; i < runs + 1; i++) {
        // A distinct URL per run: the same URL with a fragment would not load the page again.
        await page.goto(`${server.url}/?range=${range}&run=${i}#charts`);
        await page.waitForSelector('.charts-view[data-loading="false"]', { timeout: 120_000 });
        // The first run warms the server's caches and the browser's code cache.
        if (i === 0) continue;
        const d = await dataset(page, '.charts-view');
        const t = await shownTimes(page);
        nav.push(t.shownAt);
        shown.push(t.dataToShown);
        draw.push(Number(d.drawMs));
        const rows = await page.$$eval('.chart', (els) => els.map((el) => Number(el.dataset.rows)));
        charts = rows.length;
        points = Math.max(...rows);
        width = await page.$eval('.chart .plot', (el) => el.clientWidth);
        const sizes = await page.$eval('body', () =>
          performance
            .getEntriesByType('resource')
            .filter((e) => e.name.includes('/api/query'))
            .map((e) => (e as unknown as { decodedBodySize: number }).decodedBodySize),
        );
        bytes = sizes.reduce((a, b) => a + b, 0) / Math.max(1, charts);
      }
      ranges.push({
        range,
        navToShownMs: median(nav),
        dataToShownMs: median(shown),
        switchDataToShownMs: Number.NaN,
        drawMs: median(draw),
        charts,
        bytesPerChart: Math.round(bytes),
        pointsPerSeries: points,
        plotWidthPx: width,
        pointsPerPixel: points / width,
        heapMB: await heapMB(page),
        dataToShownRatio: median(shown) / reference,
      });
    }

    // Range switches in one loaded page: the charts take the new data into the plots they have.
    await page.goto(`${server.url}/?range=1h&switch#charts`);
    await page.waitForSelector('.charts-view[data-loading="false"]', { timeout: 60_000 });
    const switched = new Map<string, number[]>(RANGES.map((r) => [r, []]));
    for (let i = 0; i < runs; i++) {
      for (const range of [...RANGES.slice(1), RANGES[0]]) {
        await page.click(`button[data-range="${range}"]`);
        await page.waitForSelector('.charts-view[data-loading="false"]', { timeout: 120_000 });
        switched.get(range)!.push((await shownTimes(page)).dataToShown);
      }
    }
    for (const r of ranges) r.switchDataToShownMs = median(switched.get(r.range)!);
    const builds = await page.$$eval('.chart', (els) => els.map((el) => Number(el.dataset.builds)));
    const buildsPerChart = Math.max(...builds);

    // Live: the 1 h view takes a sample a second into every chart.
    await page.goto(`${server.url}/?range=1h#charts`);
    await page.waitForSelector('.charts-view[data-loading="false"]', { timeout: 60_000 });
    await new Promise((r) => setTimeout(r, (opts.liveSeconds ?? 10) * 1000));
    const d = await dataset(page, '.charts-view');
    const frames = Number(d.liveFrames ?? 0);
    const live = {
      frames,
      meanMs: frames ? Number(d.liveTotalMs) / frames : 0,
      maxMs: Number(d.liveMaxMs ?? 0),
    };
    const heapAfterLive = await heapMB(page);

    // A target's own page: status bar, latency and metric charts, incidents, rules.
    const targetPage: { range: string; paintMs: number }[] = [];
    const firstTarget = (
      JSON.parse(await fs.readFile(cfgPath, 'utf8')) as { targets: { id: string }[] }
    ).targets[0].id;
    for (const range of RANGES) {
      const paints: number[] = [];
      for (let i = 0; i < runs + 1; i++) {
        await page.goto(`${server.url}/?range=${range}&page=${i}#target=${firstTarget}`);
        await page.waitForSelector('.target-page[data-loading="false"][data-paint-ms]', {
          timeout: 120_000,
        });
        if (i > 0) paints.push(Number((await dataset(page, '.target-page')).paintMs));
      }
      targetPage.push({ range, paintMs: median(paints) });
    }
    const result: DashboardBenchResult = {
      history: { days, targets, samples: gen.samples, generateMs: Math.round(generateMs) },
      referenceDrawMs: reference,
      loadAvg: os.loadavg()[0],
      cores: os.cpus().length,
      ranges,
      buildsPerChart,
      live,
      targetPage,
      budgets: {
        targetPageWithin100ms: targetPage.every((p) => p.paintMs <= 100),
        shownWithin1s: ranges.every((r) => r.navToShownMs < 1000),
        drawnWithin50ms: ranges.every((r) => r.dataToShownMs < 50 && r.switchDataToShownMs < 50),
        liveUnder4ms: live.frames > 0 && live.meanMs < 4,
        heapUnder150MB: Math.max(heapAfterLive, ...ranges.map((r) => r.heapMB)) < 150,
        columnarToPixels: ranges.every((r) => r.pointsPerPixel <= 2.2),
      },
    };
    printDashboard(result);
    return result;
  } finally {
    await browser.close();
    await server.close();
    await monitor.close();
    await fs.rm(dir, { recursive: true, force: true });
  }
}

export function printDashboard(r: DashboardBenchResult): void {
  const f = (x: number, d = 1) => x.toFixed(d).padStart(8);
  console.log(
    `  load average ${r.loadAvg.toFixed(1)} on ${r.cores} cores; reference canvas draw ${r.referenceDrawMs.toFixed(2)} ms`,
  );
  console.log(
    `dashboard: ${r.history.days} d history, ${r.history.targets} targets, ${r.history.samples} samples (generated in ${r.history.generateMs} ms)`,
  );
  console.log(
    '  range  nav→shown  data→shown  switch  draw ms  charts  bytes/chart  pts/series  width  pts/px  heap MB  shown/ref',
  );
  for (const x of r.ranges)
    console.log(
      `  ${x.range.padEnd(5)}${f(x.navToShownMs)}  ${f(x.dataToShownMs)}  ${f(x.switchDataToShownMs)}  ${f(x.drawMs)}  ${String(x.charts).padStart(6)}  ${String(x.bytesPerChart).padStart(11)}  ${String(x.pointsPerSeries).padStart(10)}  ${String(x.plotWidthPx).padStart(5)}  ${f(x.pointsPerPixel, 2)}  ${f(x.heapMB)}  ${f(x.dataToShownRatio)}`,
    );
  console.log(`  uPlot instances per chart after every range switch: ${r.buildsPerChart}`);
  console.log(
    `  live: ${r.live.frames} frames, mean ${r.live.meanMs.toFixed(2)} ms, max ${r.live.maxMs.toFixed(2)} ms per frame`,
  );
  console.log(
    `  target page, data→painted: ${r.targetPage.map((p) => `${p.range} ${p.paintMs.toFixed(1)} ms`).join(', ')}`,
  );
  console.log(`  budgets: ${JSON.stringify(r.budgets)}`);
}

if (import.meta.url === `file://${process.argv[1]}`) await benchDashboard();
