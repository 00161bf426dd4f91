import { describe, expect, it } from 'vitest';
import { readNabCorpus } from '../../bench/anomaly/nab-corpus';
import { scoreNab } from '../../bench/anomaly/nab-score';
import { detectSeries } from '../../bench/anomaly';
import {
  ANOMALY_THRESHOLD,
  AnomalyDetector,
  STATE_BYTES,
} from '../../electron/main/anomaly/detector';
import { NO_CORPUS_REASON, nabCorpusDir } from './corpus';

const STEP = 5 * 60_000;
const T0 = Date.UTC(2026, 0, 5);

/** A daily cycle with deterministic noise (a fixed LCG, so runs are repeatable). */
function dailySeries(days: number, noise = 2): number[] {
  let seed = 42;
  const rand = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31 - 0.5;
  const perDay = 288;
  return Array.from(
    { length: days * perDay },
    (_, i) => 50 + 20 * Math.sin((2 * Math.PI * i) / perDay) + noise * rand(),
  );
}

function scoreAll(values: readonly number[], d = new AnomalyDetector()): number[] {
  return values.map((v, i) => d.update(T0 + i * STEP, v));
}

describe('anomaly detector', () => {
  it('keeps its state within the 2 KB budget', () => {
    expect(STATE_BYTES).toBeLessThanOrEqual(2048);
    expect(new AnomalyDetector().snapshot().byteLength).toBe(STATE_BYTES);
  });

  it('stays quiet on a clean daily cycle and scores in 0..1', () => {
    const scores = scoreAll(dailySeries(14));
    expect(scores.every((s) => s >= 0 && s <= 1)).toBe(true);
    expect(scores.filter((s) => s >= ANOMALY_THRESHOLD)).toHaveLength(0);
  });

  it('marks a spike once, and a level shift once, then adapts to the new level', () => {
    const values = dailySeries(14);
    const spike = 10 * 288 + 100;
    values[spike] = 200;
    const shift = 12 * 288;
    for (let i = shift; i < values.length; i++) values[i] += 60;
    const scores = scoreAll(values);
    const marks = scores.flatMap((s, i) => (s >= ANOMALY_THRESHOLD ? [i] : []));
    expect(marks[0]).toBe(spike);
    expect(marks.filter((i) => i >= shift && i < shift + 3)).toHaveLength(1);
    // After the shift is absorbed (a day later) nothing more is marked.
    expect(marks.filter((i) => i > shift + 288)).toHaveLength(0);
  });

  it('is causal: a score does not change when the future does', () => {
    const values = dailySeries(5);
    const a = scoreAll(values);
    const changed = [...values];
    for (let i = 1000; i < changed.length; i++) changed[i] *= 3;
    const b = scoreAll(changed);
    expect(b.slice(0, 1000)).toEqual(a.slice(0, 1000));
  });

  it('resumes from a snapshot exactly where it left off', () => {
    const values = dailySeries(6);
    const whole = scoreAll(values);
    const first = new AnomalyDetector();
    const half = 3 * 288;
    scoreAll(values.slice(0, half), first);
    const resumed = new AnomalyDetector(first.snapshot());
    const rest = values.slice(half).map((v, i) => resumed.update(T0 + (half + i) * STEP, v));
    expect(rest).toEqual(whole.slice(half));
    expect(() => new AnomalyDetector(new Uint8Array(10))).toThrow(/anomaly state: 10 bytes/);
  });

  it('scores a non-finite value 0 and does not learn it', () => {
    const d = new AnomalyDetector();
    d.update(T0, 1);
    expect(d.update(T0 + STEP, Number.NaN)).toBe(0);
    expect(d.samples).toBe(1);
  });
});

const corpusDir = nabCorpusDir();
if (!corpusDir) console.warn(NO_CORPUS_REASON);

describe.skipIf(!corpusDir)('anomaly detector on the NAB corpus', () => {
  it('meets the budgets: standard >= 66, low FP >= 55, <= 1 detection on no-anomaly series', () => {
    const corpus = readNabCorpus(corpusDir as string);
    const profiles = scoreNab(corpus.map((s) => ({ ...s, scores: detectSeries(s) })));
    expect(profiles[0].corpus.normalised).toBeGreaterThanOrEqual(66);
    expect(profiles[1].corpus.normalised).toBeGreaterThanOrEqual(55);
    const quiet = profiles[0].categories.find((c) => c.name === 'artificialNoAnomaly');
    expect(quiet?.falsePositives ?? 0).toBeLessThanOrEqual(1);
  });
});
