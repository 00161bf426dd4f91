/**
 * Report budgets (issue 4): a report over 24 h, 7 d, 30 d and 1 y of a generated 1-year
 * history (system + 10 targets, kept in bench-data/reports-year), in each format. Budgets: 24 h under 200 ms, 1 y under 1 s,
 * peak memory under 200 MB. Each figure is the median of a few runs of build + render, the
 * way `opspulse report` does it (StoreReader: no store lock), previous-window comparison
 * included.
 *
 * The reports run in a child process of their own, so its peak RSS (the kernel's maxrss)
 * is the memory a report takes, not the generator's leftovers; it is taken before the
 * baselines run. A baseline in the same run (streaming the 24 h window's raw lines, no
 * analysis) shows how loaded the machine is.
 *
 *   npx tsx bench/reports.ts            (or through `npm run bench`)
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type { ReportFormat } from '../shared/api';
import { ConfigStore } from '../electron/main/config/config-store';
import { StoreReader } from '../electron/main/analysis';
import { buildReport, renderReport } from '../electron/main/reports';
import { generateHistory } from '../scripts/gen';
import { median } from './stats';

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

interface Row {
  window: string;
  format: ReportFormat;
  ms: number;
  bytes: number;
  budgetMs: number | null;
}

interface Measured {
  rows: Row[];
  /** Median ms to stream the 24 h window's raw lines. */
  baselineMs: number;
  /** Median ms to read the same segments as columns (what the analysis reads). */
  columnsMs: number;
  peakRssMb: number;
}

export interface ReportBenchResult extends Measured {
  generated: { samples: number; seconds: number };
}

/** Runs every window and format against a generated history (in the child process). */
async function measureReports(dir: string, end: number): Promise<Measured> {
  const config = (await ConfigStore.open(dir)).get();
  const reader = await StoreReader.open(dir);
  // One untimed report first, so the windows meet a warm JIT and file cache (and, on a
  // fresh history, the raw segments' column caches get written).
  await buildReport(reader, config, { from: end - DAY, to: end }, { now: end });
  const rows: Row[] = [];
  for (const w of WINDOWS) {
    for (const format of FORMATS) {
      const times: number[] = [];
      let bytes = 0;
      for (let i = 0; i < RUNS; i++) {
        const t0 = performance.now();
        const data = await buildReport(reader, config, { from: end - w.ms, to: end }, { now: end });
        const out = renderReport(data, format);
        times.push(performance.now() - t0);
        bytes = Buffer.byteLength(out);
      }
      rows.push({ window: w.label, format, ms: median(times), bytes, budgetMs: w.budgetMs });
    }
  }
  // Taken before the baselines, whose line parsing is not part of any report. maxRSS is in
  // kilobytes.
  const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  const baseTimes: number[] = [];
  const columnTimes: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    let n = 0;
    for await (const s of reader.read({ from: end - DAY, to: end })) n += s.v;
    baseTimes.push(performance.now() - t0);
    if (n === 0) throw new Error('the generated history has no samples in the last 24 h');
    const t1 = performance.now();
    for await (const part of reader.readRawColumns({ from: end - DAY, to: end }))
      n += part.t.length;
    columnTimes.push(performance.now() - t1);
  }
  return { rows, baselineMs: median(baseTimes), columnsMs: median(columnTimes), peakRssMb };
}

function print(m: Measured): void {
  console.log('reports: window format   median ms   budget      output');
  for (const r of m.rows) {
    const verdict =
      r.budgetMs === null ? '-' : r.ms <= r.budgetMs ? `<${r.budgetMs} ok` : `<${r.budgetMs} OVER`;
    console.log(
      `reports: ${r.window.padEnd(6)} ${r.format.padEnd(6)} ${r.ms.toFixed(1).padStart(10)}   ${verdict.padEnd(10)} ${(r.bytes / 1024).toFixed(0).padStart(6)} KB`,
    );
  }
  const med = (label: string): number =>
    median(m.rows.filter((r) => r.window === label).map((r) => r.ms));
  console.log(`reports: 1 y / 24 h time ratio ${(med('1y') / med('24h')).toFixed(2)}`);
  console.log(
    `reports: baseline (stream 24 h of raw lines, no analysis) ${m.baselineMs.toFixed(1)} ms; 24 h report / baseline ${(med('24h') / m.baselineMs).toFixed(2)}`,
  );
  console.log(
    `reports: reading the same raw segments as columns (what the 24 h report reads) ${m.columnsMs.toFixed(1)} ms`,
  );
  console.log(
    `reports: peak RSS of the bench's report process (12 reports, under tsx) ${m.peakRssMb} MB`,
  );
}

/** A year at one sample a minute, the last 14 days at 5 s; a fixed end keeps runs comparable. */
const YEAR_PARAMS = {
  days: 365,
  interval: 60,
  recentDays: 14,
  recentInterval: 5,
  targets: 10,
  end: Date.UTC(2026, 10, 1, 10, 30),
  seed: 42,
};

/**
 * The year is generated through the store once and kept in bench-data/reports-year
 * (git-ignored): on a shared 2-core machine that takes minutes. Delete it to regenerate.
 */
async function yearHistory(): Promise<{ dir: string; samples: number; seconds: number }> {
  const dir = path.resolve('bench-data', 'reports-year');
  const marker = path.join(dir, 'bench-params.json');
  const want = JSON.stringify(YEAR_PARAMS);
  const have = await fs.readFile(marker, 'utf8').catch(() => null);
  if (have !== null) {
    const saved = JSON.parse(have) as { params: string; samples: number };
    if (saved.params === want) {
      console.log(`reports: reusing ${saved.samples} generated samples in ${dir}`);
      return { dir, samples: saved.samples, seconds: 0 };
    }
  }
  await fs.rm(dir, { recursive: true, force: true });
  const g0 = performance.now();
  const gen = await generateHistory({ out: dir, ...YEAR_PARAMS });
  const seconds = (performance.now() - g0) / 1000;
  console.log(
    `reports: generated ${gen.samples} samples (system + ${gen.targetIds.length} targets, 1 year) in ${seconds.toFixed(0)} s into ${dir}`,
  );
  await fs.writeFile(marker, JSON.stringify({ params: want, samples: gen.samples }));
  return { dir, samples: gen.samples, seconds };
}

/** Bytes of the derived column files (.col) and details files (.det) per tier. */
async function derivedBytes(dir: string): Promise<string> {
  const out: string[] = [];
  for (const tier of ['raw', '1m', '1h']) {
    const tierDir = path.join(dir, 'samples', '.columns', tier);
    const bytes = { col: 0, det: 0 };
    for (const name of await fs.readdir(tierDir).catch(() => [] as string[])) {
      const ext = path.extname(name).slice(1);
      if (ext === 'col' || ext === 'det')
        bytes[ext] += (await fs.stat(path.join(tierDir, name))).size;
    }
    const mb = (x: number): string => (x / 1048576).toFixed(2);
    out.push(`${tier} ${mb(bytes.col)} + ${mb(bytes.det)} MB`);
  }
  return out.join(', ');
}

/** Prints the process's peak RSS (kB) on stderr as it exits; loaded with --import. */
const PRINT_MAXRSS =
  "data:text/javascript,process.on('exit',()=>process.stderr.write('MAXRSS '+process.resourceUsage().maxRSS+'\\n'))";

/**
 * Peak RSS of one `opspulse report` over the window, run from the build as a user runs it
 * (plain Node, one report per process), in MB. The in-process figure above is 12 reports
 * in one process under tsx, whose loader alone holds about 95 MB.
 */
async function cliPeakRssMb(dir: string, end: number, ms: number): Promise<number> {
  const cli = path.resolve('out', 'main', 'cli.js');
  await fs.access(cli).catch(async () => {
    console.log('reports: building the CLI (npm run build) to measure it as users run it');
    await promisify(execFile)('npm', ['run', 'build'], { timeout: 10 * 60_000 });
  });
  const out = path.join(dir, 'bench-report.out');
  const { stderr } = await promisify(execFile)(
    process.execPath,
    [
      '--import',
      PRINT_MAXRSS,
      cli,
      '--data',
      dir,
      'report',
      '--from',
      new Date(end - ms).toISOString(),
      '--to',
      new Date(end).toISOString(),
      '--format',
      'html',
      '--out',
      out,
    ],
    { timeout: 10 * 60_000 },
  );
  await fs.rm(out, { force: true });
  const kb = Number(/MAXRSS (\d+)/.exec(stderr)?.[1]);
  if (!Number.isFinite(kb)) throw new Error(`no peak RSS from the report CLI: ${stderr}`);
  return Math.round(kb / 1024);
}

export async function benchReports(): Promise<ReportBenchResult> {
  const { dir, samples, seconds } = await yearHistory();
  const self = fileURLToPath(import.meta.url);
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', self, '--measure', dir, String(YEAR_PARAMS.end)],
    { maxBuffer: 16 * 1024 * 1024, timeout: 30 * 60_000 },
  );
  const measured = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Measured;
  print(measured);
  const cliRss: string[] = [];
  let cliMax = 0;
  for (const w of WINDOWS) {
    const mb = await cliPeakRssMb(dir, YEAR_PARAMS.end, w.ms);
    cliMax = Math.max(cliMax, mb);
    cliRss.push(`${w.label} ${mb} MB`);
  }
  console.log(
    `reports: peak RSS of one \`opspulse report --format html\` (built CLI, a process each): ${cliRss.join(', ')} (budget ${MEMORY_BUDGET_MB} MB) ${cliMax <= MEMORY_BUDGET_MB ? 'ok' : 'OVER'}`,
  );
  console.log(`reports: column + details files per tier: ${await derivedBytes(dir)}`);
  return { ...measured, generated: { samples, seconds } };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const at = process.argv.indexOf('--measure');
  if (at >= 0) {
    const m = await measureReports(process.argv[at + 1], Number(process.argv[at + 2]));
    console.log(JSON.stringify(m));
  } else {
    await benchReports();
  }
}
