/**
 * Report budgets (issue 4): a report over 24 h, 7 d, 30 d and 1 y of a generated 1-year
 * history (system + 10 targets), in each format. Budgets: 24 h under 200 ms, 1 y under 1 s,
 * peak memory under 200 MB. Each figure is the median of a few runs of build + render, the
 * way `opspulse report` does it (StoreReader: no store lock), with the previous-window
 * comparison included.
 *
 *   npx tsx bench/reports.ts            (or through `npm run bench`)
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ReportFormat } from '../shared/api';
import { ConfigStore } from '../electron/main/config/config-store';
import { StoreReader } from '../electron/main/analysis';
import { buildReport, renderReport } from '../electron/main/reports';
import { generateHistory } from '../scripts/gen';

const DAY = 86_400_000;
const WINDOWS = [
  { label: '24h', ms: DAY, budgetMs: 200 },
  { label: '7d', ms: 7 * DAY, budgetMs: null },
  { label: '30d', ms: 30 * DAY, budgetMs: null },
  { label: '1y', ms: 365 * DAY, budgetMs: 1000 },
] as const;
const FORMATS: ReportFormat[] = ['md', 'json', 'html'];
const RUNS = 3;
const MEMORY_BUDGET_MB = 200;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

export interface ReportBenchResult {
  generated: { samples: number; seconds: number };
  rows: {
    window: string;
    format: ReportFormat;
    ms: number;
    bytes: number;
    budgetMs: number | null;
  }[];
  peakRssMb: number;
  baselineRssMb: number;
  /** Median ms to stream the 24 h window's raw lines, in the same run. */
  baselineMs: number;
}

export async function benchReports(): Promise<ReportBenchResult> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'opspulse-bench-reports-'));
  try {
    // A year at one sample a minute, the last two days at 5 s (the busiest raw a 24 h report reads).
    const end = Math.floor(Date.now() / 60_000) * 60_000;
    const g0 = performance.now();
    const gen = await generateHistory({
      out: dir,
      days: 365,
      interval: 60,
      recentDays: 2,
      recentInterval: 5,
      targets: 10,
      end,
      seed: 42,
    });
    const genSeconds = (performance.now() - g0) / 1000;
    console.log(
      `reports: generated ${gen.samples} samples (system + ${gen.targetIds.length} targets, 1 year) in ${genSeconds.toFixed(0)} s`,
    );

    const config = (await ConfigStore.open(dir)).get();
    const reader = await StoreReader.open(dir);
    globalThis.gc?.();
    const baselineRss = process.memoryUsage().rss;
    let peakRss = baselineRss;
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }, 5);

    // Baseline in the same run: only streaming the 24 h window's raw lines through the
    // reader (JSON.parse included), which no report over raw data can beat.
    const baseTimes: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now();
      let n = 0;
      for await (const s of reader.read({ from: end - DAY, to: end })) n += s.v;
      baseTimes.push(performance.now() - t0);
      if (n === 0) throw new Error('the generated history has no samples in the last 24 h');
    }
    const baselineMs = median(baseTimes);

    const rows: ReportBenchResult['rows'] = [];
    try {
      for (const w of WINDOWS) {
        for (const format of FORMATS) {
          const times: number[] = [];
          let bytes = 0;
          for (let i = 0; i < RUNS; i++) {
            const t0 = performance.now();
            const data = await buildReport(
              reader,
              config,
              { from: end - w.ms, to: end },
              { now: end },
            );
            const out = renderReport(data, format);
            times.push(performance.now() - t0);
            bytes = Buffer.byteLength(out);
            peakRss = Math.max(peakRss, process.memoryUsage().rss);
          }
          rows.push({ window: w.label, format, ms: median(times), bytes, budgetMs: w.budgetMs });
        }
      }
    } finally {
      clearInterval(sampler);
    }

    const mb = (b: number): number => Math.round(b / 1048576);
    console.log('reports: window format   median ms   budget      output');
    for (const r of rows) {
      const verdict =
        r.budgetMs === null
          ? '   -    '
          : r.ms <= r.budgetMs
            ? `<${r.budgetMs} ok`
            : `<${r.budgetMs} OVER`;
      console.log(
        `reports: ${r.window.padEnd(6)} ${r.format.padEnd(6)} ${r.ms.toFixed(1).padStart(10)}   ${verdict.padEnd(10)} ${(r.bytes / 1024).toFixed(0).padStart(6)} KB`,
      );
    }
    const day = median(rows.filter((r) => r.window === '24h').map((r) => r.ms));
    const year = median(rows.filter((r) => r.window === '1y').map((r) => r.ms));
    console.log(`reports: 1 y / 24 h time ratio ${(year / day).toFixed(2)}`);
    console.log(
      `reports: baseline (stream 24 h of raw lines, no analysis) ${baselineMs.toFixed(1)} ms; 24 h report / baseline ${(day / baselineMs).toFixed(2)}`,
    );
    console.log(
      `reports: peak RSS ${mb(peakRss)} MB (baseline before reports ${mb(baselineRss)} MB, growth ${mb(peakRss - baselineRss)} MB; budget ${MEMORY_BUDGET_MB} MB) ${mb(peakRss) <= MEMORY_BUDGET_MB ? 'ok' : 'OVER'}`,
    );
    return {
      generated: { samples: gen.samples, seconds: genSeconds },
      rows,
      peakRssMb: mb(peakRss),
      baselineRssMb: mb(baselineRss),
      baselineMs,
    };
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await benchReports();
