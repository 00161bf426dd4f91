/**
 * `npm run bench -- anomaly --corpus DIR --out DIR`: runs the product's anomaly detector
 * (electron/main/anomaly/detector.ts, the code the collector runs) over every series of a
 * corpus in NAB's layout as a stream, writes NAB-layout results
 * (`<out>/<category>/opspulse_<file>.csv`, `timestamp,value,anomaly_score`), scores them
 * by NAB's rules and prints the figures against the budgets of issue 15, with the
 * detector's cost per point and its state per series. Then the forecast bench.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ANOMALY_THRESHOLD,
  AnomalyDetector,
  STATE_BYTES,
} from '../../electron/main/anomaly/detector';
import { runForecastBench } from './forecast';
import { readNabCorpus, type NabSeries } from './nab-corpus';
import { probationRows, scoreNab, type GroupScore } from './nab-score';

export const DETECTOR_NAME = 'opspulse';

const BUDGETS = {
  standard: 66,
  reward_low_FP_rate: 55,
  noAnomalyDetections: 1,
  usPerPoint: 5,
  bytesPerSeries: 2048,
} as const;
const ARTIME_STANDARD = 68.1;

/**
 * Scores of one series, as NAB's detectors do it: the file's probationary period is the
 * detector's warm-up (they learn there and output 0).
 */
export function detectSeries(series: NabSeries): number[] {
  const detector = new AnomalyDetector(undefined, probationRows(series.values.length));
  return series.values.map((v, i) => detector.update(series.timestamps[i], v));
}

function writeResults(out: string, series: NabSeries, scores: readonly number[]): void {
  const dir = join(out, series.category);
  mkdirSync(dir, { recursive: true });
  const lines = ['timestamp,value,anomaly_score'];
  for (let i = 0; i < scores.length; i++) {
    lines.push(`${series.stamps[i]},${series.values[i]},${scores[i]}`);
  }
  writeFileSync(join(dir, `${DETECTOR_NAME}_${series.file}`), `${lines.join('\n')}\n`);
}

/** Best of several timed passes over the whole corpus, in µs per point. */
function costPerPoint(corpus: readonly NabSeries[]): number {
  let best = Infinity;
  for (let pass = 0; pass < 5; pass++) {
    let points = 0;
    let sink = 0;
    const t0 = process.hrtime.bigint();
    for (const s of corpus) {
      const d = new AnomalyDetector();
      for (let i = 0; i < s.values.length; i++) sink += d.update(s.timestamps[i], s.values[i]);
      points += s.values.length;
    }
    const us = Number(process.hrtime.bigint() - t0) / 1000 / points;
    if (Number.isNaN(sink)) throw new Error('detector produced NaN');
    best = Math.min(best, us);
  }
  return best;
}

function parseArgs(args: readonly string[]): { corpus: string | undefined; out: string } {
  const get = (flag: string): string | undefined => {
    const i = args.indexOf(flag);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const corpus = get('--corpus') ?? process.env.OPSPULSE_NAB_CORPUS;
  return { corpus, out: get('--out') ?? join('bench-data', 'nab-results') };
}

const fmt = (x: number): string => (Number.isFinite(x) ? x.toFixed(1) : '—');
const verdict = (ok: boolean): string => (ok ? 'ok' : 'OVER BUDGET');

export async function benchAnomaly(args: readonly string[]): Promise<void> {
  await benchNab(args);
  console.log('\nForecasts (time to full) on generated traces:');
  runForecastBench();
}

async function benchNab(args: readonly string[]): Promise<void> {
  const { corpus: dir, out } = parseArgs(args);
  if (dir === undefined) {
    console.log(
      'NAB part skipped: give the NAB corpus directory with --corpus DIR (or OPSPULSE_NAB_CORPUS)',
    );
    return;
  }
  const corpus = readNabCorpus(dir);
  const files = corpus.map((s) => {
    const scores = detectSeries(s);
    writeResults(out, s, scores);
    return { key: s.key, timestamps: s.timestamps, scores, windows: s.windows };
  });
  const points = corpus.reduce((n, s) => n + s.values.length, 0);
  console.log(
    `NAB corpus: ${corpus.length} series, ${points} points, ` +
      `${files.reduce((n, f) => n + f.windows.length, 0)} windows; results in ${out}/<category>/${DETECTOR_NAME}_<file>.csv`,
  );

  const profiles = scoreNab(files);
  const categories = profiles[0].categories.map((c) => c.name);
  const pad = (s: string, n: number): string => s.padEnd(n);
  console.log(
    `\n${pad('profile', 20)}${pad('score', 8)}${pad('threshold', 11)}${categories.map((c) => pad(c, 23)).join('')}`,
  );
  for (const p of profiles) {
    const cell = (c: GroupScore): string =>
      c.windows === 0
        ? `${c.falsePositives} detections`
        : `${fmt(c.normalised)} (${c.detectedWindows}/${c.windows}, ${c.falsePositives} FP)`;
    console.log(
      `${pad(p.profile.name, 20)}${pad(fmt(p.corpus.normalised), 8)}${pad(p.corpus.threshold.toFixed(4), 11)}` +
        p.categories.map((c) => pad(cell(c), 23)).join(''),
    );
  }

  const atProduct = scoreNab(files, ANOMALY_THRESHOLD);
  console.log(
    `at the product's own threshold ${ANOMALY_THRESHOLD} (what marks, counts and rules use): ` +
      atProduct.map((p) => `${p.profile.name} ${fmt(p.corpus.normalised)}`).join(', ') +
      `; ${atProduct[0].categories.find((c) => c.windows === 0)?.falsePositives ?? 0} detections on no-anomaly series`,
  );

  const standard = profiles[0].corpus.normalised;
  const lowFp = profiles[1].corpus.normalised;
  const noAnomaly = profiles[0].categories.find((c) => c.name === 'artificialNoAnomaly');
  const us = costPerPoint(corpus);
  console.log('\nBudgets (issue 15):');
  console.log(
    `  standard            ${fmt(standard)}  budget >= ${BUDGETS.standard} (ratio ${(standard / BUDGETS.standard).toFixed(2)}); ` +
      `ARTime ${ARTIME_STANDARD}, Numenta HTM 66.0  ${verdict(standard >= BUDGETS.standard)}` +
      (standard > ARTIME_STANDARD ? ' (beats ARTime)' : ''),
  );
  console.log(
    `  reward_low_FP_rate  ${fmt(lowFp)}  budget >= ${BUDGETS.reward_low_FP_rate} (ratio ${(lowFp / BUDGETS.reward_low_FP_rate).toFixed(2)})  ${verdict(lowFp >= BUDGETS.reward_low_FP_rate)}`,
  );
  console.log(
    `  reward_low_FN_rate  ${fmt(profiles[2].corpus.normalised)}  (no budget; HTM 71.3, ARTime 74.3)`,
  );
  if (noAnomaly) {
    console.log(
      `  artificialNoAnomaly ${noAnomaly.falsePositives} detections over ${noAnomaly.files} series at the standard threshold, ` +
        `budget <= ${BUDGETS.noAnomalyDetections}  ${verdict(noAnomaly.falsePositives <= BUDGETS.noAnomalyDetections)}`,
    );
  }
  console.log(
    `  cost                ${us.toFixed(2)} µs per point, budget <= ${BUDGETS.usPerPoint} (ratio ${(us / BUDGETS.usPerPoint).toFixed(2)})  ${verdict(us <= BUDGETS.usPerPoint)}`,
  );
  console.log(
    `  state               ${STATE_BYTES} bytes per series, budget <= ${BUDGETS.bytesPerSeries} (ratio ${(STATE_BYTES / BUDGETS.bytesPerSeries).toFixed(2)})  ${verdict(STATE_BYTES <= BUDGETS.bytesPerSeries)}`,
  );
  await Promise.resolve();
}
