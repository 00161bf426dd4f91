import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Sample } from '../shared/sample';
import { generateHistory, historySamples } from '../scripts/gen';
import { DAY, HOUR } from '../electron/main/store/layout';
import { SampleStore } from '../electron/main/store/sample-store';
import { sidecarBytes } from '../electron/main/store/sidecar';
import { benchHistoryCost } from './history-cost';
import { median } from './stats';
import { pairedIngest } from './paired-ingest';

/**
 * Store budgets (issues 2 and 3), ratios measured in one run:
 *  1. append cost per line, raw alone vs raw + rollups: ratio < 1.5;
 *  2. a 1-year history (system + 10 targets; 5 s for the last 14 days, 60 s before): 4
 *     series at maxPoints 2000 over 1 h, 24 h, 30 d and 1 y, each < 50 ms and 1 y <= 3x 1 h;
 *     the first query of each range (cold: parses segments) and the median of later ones
 *     (warm: the column cache; a live dashboard repeats its queries). The year is kept in
 *     bench-data/store-year between runs, with the column sidecars its first queries wrote
 *     (delete bench-data/store-year/samples/.columns to time a store that has none);
 *  3. bytes on disk per stored value for each tier, total for a year, and the same history
 *     as one uncompressed raw JSONL file;
 *  4. the transition log and extra rollup fields: ingest time and disk against rollups
 *     without them, each <= 1.10 (history-cost.ts).
 */
export async function benchStore(): Promise<void> {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'opspulse-bench-store-'));
  try {
    await benchIngest(root);
    await benchHistoryCost(root);
    await benchYear();
  } finally {
    await fs.rm(root, { recursive: true, force: true });
  }
}

/**
 * Append cost: alternating short runs of raw-only and raw+rollups stores over the same
 * samples, paired so a slow phase of a shared machine hits both; the median pair ratio.
 */
async function benchIngest(root: string): Promise<void> {
  const end = Date.UTC(2026, 0, 2);
  const samples = [...historySamples({ days: 1, interval: 5, targets: 10, end, seed: 3 })];
  const {
    base: raw,
    candidate: full,
    ratios,
    chunk,
  } = await pairedIngest(
    root,
    samples,
    { rollups: false },
    { rollups: true },
    { warmups: 3, pairs: 12 },
  );
  console.log(
    `store ingest (system + 10 targets at 5 s, 12 paired runs of ${chunk} samples): ` +
      `raw append median ${median(raw).toFixed(1)} us/line (best ${Math.min(...raw).toFixed(1)}), ` +
      `with 1m+1h rollups median ${median(full).toFixed(1)} us/line (best ${Math.min(...full).toFixed(1)}), ` +
      `median paired ratio ${median(ratios).toFixed(2)}, ratio of bests ${(Math.min(...full) / Math.min(...raw)).toFixed(2)} (budget < 1.5)`,
  );
}

const YEAR_PARAMS = {
  days: 365,
  interval: 60,
  recentDays: 14,
  recentInterval: 5,
  targets: 10,
  end: Date.UTC(2026, 10, 1, 10, 30),
  seed: 11,
};

/**
 * The year is generated through the store once and kept in bench-data/ (git-ignored): on
 * a shared 2-core machine it takes minutes. Delete the folder to regenerate.
 */
async function yearHistory(): Promise<{
  dir: string;
  values: number;
  samples: number;
  rawJsonlBytes: number;
}> {
  const dir = path.resolve('bench-data', 'store-year');
  const marker = path.join(dir, 'bench-params.json');
  const want = JSON.stringify(YEAR_PARAMS);
  const have = await fs.readFile(marker, 'utf8').catch(() => null);
  if (have !== null) {
    const saved = JSON.parse(have) as {
      params: string;
      values: number;
      samples: number;
      rawJsonlBytes: number;
    };
    if (saved.params === want) {
      console.log(`store year: reusing ${saved.samples} generated samples in ${dir}`);
      return { dir, ...saved };
    }
  }
  await fs.rm(dir, { recursive: true, force: true });
  const g0 = performance.now();
  const gen = await generateHistory({ out: dir, ...YEAR_PARAMS, config: false });
  console.log(
    `store year: generated ${gen.samples} samples (${gen.values} values) through the store in ` +
      `${((performance.now() - g0) / 1000).toFixed(0)} s into ${dir}`,
  );
  const saved = {
    params: want,
    values: gen.values,
    samples: gen.samples,
    rawJsonlBytes: gen.rawJsonlBytes,
  };
  await fs.writeFile(marker, JSON.stringify(saved));
  return { dir, ...saved };
}

async function benchYear(): Promise<void> {
  const gen = await yearHistory();
  const dir = gen.dir;
  const end = YEAR_PARAMS.end;
  const store = await SampleStore.open(dir, { now: () => end });
  try {
    const series = ['sys.cpu', 'tg.scheduler.ms', 'tg.api.ms', 'tg.orchestrator.m.confidence'];
    const ranges: [string, number][] = [
      ['1h', HOUR],
      ['24h', 24 * HOUR],
      ['30d', 30 * DAY],
      ['1y', 365 * DAY],
    ];
    const warm: Record<string, number> = {};
    for (const [name, span] of ranges) {
      const req = { from: end - span, to: end, series, maxPoints: 2000 };
      const c0 = performance.now();
      const first = await store.query(req);
      const cold = performance.now() - c0;
      const times: number[] = [];
      for (let i = 0; i < 7; i++) {
        const w0 = performance.now();
        await store.query(req);
        times.push(performance.now() - w0);
      }
      warm[name] = median(times);
      const filled = first.series['sys.cpu'].avg.filter((v) => v !== null).length;
      console.log(
        `store query ${name.padEnd(3)}: tier ${first.tier.padEnd(3)} ${String(first.t.length).padStart(4)} points ` +
          `(${filled} with data), cold ${cold.toFixed(1)} ms, warm ${warm[name].toFixed(2)} ms (budget < 50)`,
      );
    }
    console.log(
      `store query ratio 1y/1h (warm): ${(warm['1y'] / warm['1h']).toFixed(2)} (budget <= 3)`,
    );

    const stats = await store.stats();
    const entries = await rollupEntries(store, end);
    let total = 0;
    for (const s of stats) {
      total += s.bytes;
      const perValue =
        s.tier === 'raw'
          ? `${(s.bytes / (await rawValues(store, end))).toFixed(2)} B per stored value`
          : `${(s.bytes / entries[s.tier]).toFixed(2)} B per stored series entry, ` +
            `${(s.bytes / (s.samples * (gen.values / gen.samples))).toFixed(3)} B per raw value summarised`;
      console.log(
        `store size ${s.tier.padEnd(3)}: ${s.files} files, ${mb(s.bytes)}, ${s.lines} lines, ${perValue}` +
          ` (${new Date(s.oldest ?? 0).toISOString().slice(0, 10)} .. ${new Date(s.newest ?? 0).toISOString().slice(0, 10)})`,
      );
    }
    const sidecars = await sidecarBytes(dir);
    total += sidecars;
    console.log(`store size column sidecars (derived, deletable): ${mb(sidecars)}`);
    console.log(
      `store size total for the year: ${mb(total)} vs ${mb(gen.rawJsonlBytes)} as one uncompressed raw JSONL ` +
        `(${((100 * total) / gen.rawJsonlBytes).toFixed(1)} %)`,
    );
  } finally {
    await store.close();
  }
}

/** Values stored in the raw tier (what retention left of the history). */
async function rawValues(store: SampleStore, end: number): Promise<number> {
  let n = 0;
  for await (const s of store.read({ from: end - 400 * DAY, to: end + DAY })) n += countValues(s);
  return n;
}

async function rollupEntries(
  store: SampleStore,
  end: number,
): Promise<Record<'1m' | '1h', number>> {
  const out = { '1m': 0, '1h': 0 };
  for (const tier of ['1m', '1h'] as const)
    for await (const line of store.readRollups(tier, { from: end - 2000 * DAY, to: end + DAY }))
      out[tier] += line.series.size;
  return out;
}

function countValues(s: Sample): number {
  let n = 0;
  for (const v of Object.values(s.sys ?? {}))
    n += typeof v === 'number' ? 1 : v && typeof v === 'object' ? Object.keys(v).length : 0;
  for (const x of Object.values(s.tg))
    n +=
      1 +
      (x.ms !== undefined ? 1 : 0) +
      (x.fb !== undefined ? 1 : 0) +
      Object.keys(x.m ?? {}).length;
  return n;
}

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await benchStore();
}
