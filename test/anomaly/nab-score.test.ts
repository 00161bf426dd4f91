import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readNabCorpus, readNabResults } from '../../bench/anomaly/nab-corpus';
import {
  normalise,
  probationRows,
  scaledSigmoid,
  scoreNab,
  type NabFile,
} from '../../bench/anomaly/nab-score';
import { NO_CORPUS_REASON, nabCorpusDir } from './corpus';

const corpusDir = nabCorpusDir();
if (!corpusDir) console.warn(NO_CORPUS_REASON);

describe('NAB scorer rules', () => {
  it('scaled sigmoid and probation as NAB defines them', () => {
    expect(scaledSigmoid(-1)).toBeCloseTo(2 / (1 + Math.exp(-5)) - 1, 12);
    expect(scaledSigmoid(0)).toBe(0);
    expect(scaledSigmoid(3.01)).toBe(-1);
    expect(probationRows(4032)).toBe(604);
    expect(probationRows(22695)).toBe(750);
  });

  it('scores a hand-built file: early detection, a missed window, false positives', () => {
    const t = Array.from({ length: 200 }, (_, i) => i * 60_000);
    const scores = new Array<number>(200).fill(0);
    // Window 1: rows 100..109, detected at its first row (full credit).
    scores[100] = 1;
    scores[105] = 1; // a second detection in the same window adds nothing
    // Window 2: rows 150..159, missed. A false positive before any window: −A_fp.
    scores[40] = 1;
    const file: NabFile = {
      key: 'cat/x.csv',
      timestamps: t,
      scores,
      windows: [
        [t[100], t[109]],
        [t[150], t[159]],
      ],
    };
    const [standard] = scoreNab([file]);
    // Only one threshold (1) can help: TP 1, FN −1, FP −0.11.
    expect(standard.corpus.threshold).toBe(1);
    expect(standard.corpus.raw).toBeCloseTo(1 - 1 - 0.11, 10);
    expect(standard.corpus.normalised).toBeCloseTo(normalise(-0.11, 2, standard.profile), 10);
    expect(standard.corpus.detectedWindows).toBe(1);
    expect(standard.corpus.falsePositives).toBe(1);
  });

  it('a detection right after a window costs less than one far from it', () => {
    const t = Array.from({ length: 300 }, (_, i) => i * 60_000);
    const windows: [number, number][] = [[t[100], t[119]]];
    const near = new Array<number>(300).fill(0);
    near[100] = 1;
    near[121] = 1;
    const far = [...near];
    far[121] = 0;
    far[290] = 1;
    const [a] = scoreNab([{ key: 'c/a.csv', timestamps: t, scores: near, windows }]);
    const [b] = scoreNab([{ key: 'c/a.csv', timestamps: t, scores: far, windows }]);
    expect(a.corpus.raw).toBeGreaterThan(b.corpus.raw);
    expect(b.corpus.raw).toBeCloseTo(1 - 0.11, 10);
  });
});

describe.skipIf(!corpusDir)('NAB scorer against the published reference scores', () => {
  const expected = {
    numenta: [66.0, 58.9, 71.3],
    windowedGaussian: [14.9, 0.0, 22.2],
  } as const;
  for (const [detector, scores] of Object.entries(expected)) {
    it(`reproduces ${detector}: standard / low FP / low FN`, () => {
      const dir = corpusDir as string;
      const corpus = readNabCorpus(dir);
      const results = readNabResults(join(dir, 'reference', detector), detector, corpus);
      const got = scoreNab(results).map((p) => p.corpus.normalised);
      got.forEach((g, i) => expect(Math.abs(g - scores[i])).toBeLessThanOrEqual(0.1));
    });
  }
});
