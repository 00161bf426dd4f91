/**
 * The Numenta Anomaly Benchmark (NAB v1.1) scorer, written from its published rules:
 * probation, anomaly windows, the scaled sigmoid, the three application profiles, one
 * threshold per profile optimised over the whole corpus, and the null=0 / perfect=100
 * normalisation. Checked against NAB's own figures for two published detectors in
 * test/anomaly/nab-score.test.ts.
 */

export interface NabProfile {
  readonly name: 'standard' | 'reward_low_FP_rate' | 'reward_low_FN_rate';
  readonly tp: number;
  readonly fp: number;
  readonly fn: number;
}

export const NAB_PROFILES: readonly NabProfile[] = [
  { name: 'standard', tp: 1, fp: 0.11, fn: 1 },
  { name: 'reward_low_FP_rate', tp: 1, fp: 0.22, fn: 1 },
  { name: 'reward_low_FN_rate', tp: 1, fp: 0.11, fn: 2 },
];

/** One corpus file: its rows' times and detector scores, and its labelled windows. */
export interface NabFile {
  /** `<category>/<file>.csv`, as in NAB's label file. */
  readonly key: string;
  readonly timestamps: readonly number[];
  readonly scores: readonly number[];
  /** Anomaly windows as [start, end] epoch milliseconds, inclusive. */
  readonly windows: readonly (readonly [number, number])[];
}

/** NAB's scaled sigmoid: 2/(1+e^{5y}) − 1, pinned to −1 past y = 3. */
export function scaledSigmoid(y: number): number {
  if (y > 3) return -1;
  return 2 / (1 + Math.exp(5 * y)) - 1;
}

const MAX_TP = scaledSigmoid(-1);

/** Rows NAB leaves unscored at the start of a file of `rows` rows. */
export function probationRows(rows: number): number {
  return Math.min(Math.floor(0.15 * rows), 750);
}

/** A scored row: detector score, unweighted sweep value, and its window (−1: none). */
interface SweepRow {
  readonly score: number;
  /** In a window: σ position / σ(−1) (0..1]; outside: σ past the last window (−1..0). */
  readonly sweep: number;
  readonly window: number;
}

/**
 * The per-row sweep values of one file. Window ids are numbered from `firstWindowId` so
 * that rows of a whole corpus can be swept together.
 */
function sweepFile(file: NabFile, firstWindowId: number): { rows: SweepRow[]; windows: number } {
  const n = file.timestamps.length;
  if (file.scores.length !== n) {
    throw new Error(`${file.key}: ${file.scores.length} scores for ${n} rows`);
  }
  // Window of each row, and each window's width and last row, by timestamp containment.
  const windowOf = new Int32Array(n).fill(-1);
  const lastRow: number[] = [];
  const width: number[] = [];
  file.windows.forEach(([start, end], w) => {
    let first = -1;
    let last = -1;
    for (let i = 0; i < n; i++) {
      const t = file.timestamps[i];
      if (t >= start && t <= end) {
        if (first < 0) first = i;
        last = i;
        windowOf[i] = w;
      }
    }
    if (first < 0) throw new Error(`${file.key}: window ${w} covers no row`);
    lastRow.push(last);
    width.push(last - first + 1);
  });

  const probation = probationRows(n);
  const rows: SweepRow[] = [];
  const scoredWindows = new Set<number>();
  let prevWindow = -1;
  for (let i = 0; i < n; i++) {
    const w = windowOf[i];
    let sweep: number;
    if (w >= 0) {
      sweep = scaledSigmoid(-(lastRow[w] - i + 1) / width[w]) / MAX_TP;
    } else if (prevWindow < 0) {
      sweep = -1;
    } else {
      sweep = scaledSigmoid(Math.abs(lastRow[prevWindow] - i) / (width[prevWindow] - 1));
    }
    if (i >= probation) {
      rows.push({ score: file.scores[i], sweep, window: w < 0 ? -1 : firstWindowId + w });
      if (w >= 0) scoredWindows.add(w);
    }
    if (w >= 0 && i === lastRow[w]) prevWindow = w;
  }
  return { rows, windows: scoredWindows.size };
}

export interface ThresholdResult {
  readonly threshold: number;
  readonly raw: number;
  readonly windows: number;
  readonly detectedWindows: number;
  /** Detections outside every window. */
  readonly falsePositives: number;
}

/** The raw score at every distinct threshold, the best first (ties: the higher threshold). */
function bestThreshold(rows: SweepRow[], windows: number, profile: NabProfile): ThresholdResult {
  const sorted = [...rows].sort((a, b) => b.score - a.score);
  const bestTp = new Map<number, number>();
  let tpScore = 0;
  let fpScore = 0;
  let fnScore = -profile.fn * windows;
  let fps = 0;
  let best: ThresholdResult = {
    threshold: Infinity,
    raw: fnScore,
    windows,
    detectedWindows: 0,
    falsePositives: 0,
  };
  for (let k = 0; k < sorted.length;) {
    const threshold = sorted[k].score;
    for (; k < sorted.length && sorted[k].score === threshold; k++) {
      const row = sorted[k];
      if (row.window < 0) {
        fpScore += profile.fp * row.sweep;
        fps++;
        continue;
      }
      const prior = bestTp.get(row.window);
      if (prior === undefined) {
        fnScore += profile.fn;
        tpScore += profile.tp * row.sweep;
        bestTp.set(row.window, row.sweep);
      } else if (row.sweep > prior) {
        tpScore += profile.tp * (row.sweep - prior);
        bestTp.set(row.window, row.sweep);
      }
    }
    const raw = tpScore + fpScore + fnScore;
    if (raw > best.raw) {
      best = { threshold, raw, windows, detectedWindows: bestTp.size, falsePositives: fps };
    }
  }
  return best;
}

/** The score of a set of rows at a fixed threshold (detection: score ≥ threshold). */
function scoreAt(
  rows: SweepRow[],
  windows: number,
  profile: NabProfile,
  threshold: number,
): ThresholdResult {
  const bestTp = new Map<number, number>();
  let fpScore = 0;
  let fps = 0;
  for (const row of rows) {
    if (row.score < threshold) continue;
    if (row.window < 0) {
      fpScore += profile.fp * row.sweep;
      fps++;
    } else {
      bestTp.set(row.window, Math.max(bestTp.get(row.window) ?? -Infinity, row.sweep));
    }
  }
  let tp = 0;
  for (const s of bestTp.values()) tp += profile.tp * s;
  const raw = tp + fpScore - profile.fn * (windows - bestTp.size);
  return { threshold, raw, windows, detectedWindows: bestTp.size, falsePositives: fps };
}

/** 100·(raw − null)/(perfect − null); with no windows, null = perfect and NaN is returned. */
export function normalise(raw: number, windows: number, profile: NabProfile): number {
  const nul = -profile.fn * windows;
  const perfect = profile.tp * windows;
  return (100 * (raw - nul)) / (perfect - nul);
}

export interface GroupScore extends ThresholdResult {
  readonly name: string;
  readonly files: number;
  readonly normalised: number;
}

export interface ProfileScore {
  readonly profile: NabProfile;
  readonly corpus: GroupScore;
  /** Each category scored at the corpus threshold. */
  readonly categories: readonly GroupScore[];
  /** Each file scored at the corpus threshold. */
  readonly files: readonly GroupScore[];
}

/**
 * Scores a corpus under every profile, NAB's way: one threshold per profile, optimised
 * over the corpus; or, with `fixedThreshold`, at that threshold (a product's own).
 */
export function scoreNab(files: readonly NabFile[], fixedThreshold?: number): ProfileScore[] {
  const perFile: { key: string; rows: SweepRow[]; windows: number }[] = [];
  let nextWindow = 0;
  for (const file of files) {
    const swept = sweepFile(file, nextWindow);
    nextWindow += file.windows.length;
    perFile.push({ key: file.key, ...swept });
  }
  const allRows = perFile.flatMap((f) => f.rows);
  const allWindows = perFile.reduce((s, f) => s + f.windows, 0);
  const categoryOf = (key: string): string => key.split('/')[0];
  const categories = [...new Set(perFile.map((f) => categoryOf(f.key)))];

  return NAB_PROFILES.map((profile) => {
    const best =
      fixedThreshold === undefined
        ? bestThreshold(allRows, allWindows, profile)
        : scoreAt(allRows, allWindows, profile, fixedThreshold);
    const group = (name: string, members: typeof perFile): GroupScore => {
      const windows = members.reduce((s, f) => s + f.windows, 0);
      const at = scoreAt(
        members.flatMap((f) => f.rows),
        windows,
        profile,
        best.threshold,
      );
      return {
        ...at,
        name,
        files: members.length,
        normalised: normalise(at.raw, windows, profile),
      };
    };
    return {
      profile,
      corpus: {
        ...best,
        name: 'all',
        files: files.length,
        normalised: normalise(best.raw, allWindows, profile),
      },
      categories: categories.map((c) =>
        group(
          c,
          perFile.filter((f) => categoryOf(f.key) === c),
        ),
      ),
      files: perFile.map((f) => group(f.key, [f])),
    };
  });
}

/** Epoch ms of a NAB timestamp (`2014-04-10 07:15:00` or with `.000000`), read as UTC. */
export function parseNabTime(text: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})/.exec(text.trim());
  if (!m) throw new Error(`not a NAB timestamp: ${JSON.stringify(text)}`);
  return Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]);
}
