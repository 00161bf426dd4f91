/**
 * The streaming anomaly detector run on every numeric series (target latency, custom
 * metrics, CPU, memory, disk, network) by the collector and by `npm run bench -- anomaly`.
 *
 * Method ("range novelty over six views"): each sample is seen through six causal views —
 * the value, the mean and spread of the last 12 samples, the last 3 against the last 12,
 * and the residuals against a daily (48 half-hour slots) and a weekly (168 hourly slots)
 * profile learnt as moving averages. For each view the detector remembers the range it
 * has ever shown; a sample is anomalous when a view leaves its range by more than a
 * margin (a share of that range). A view counts once its range has been open for a day of
 * samples (a young range is narrow), the profile views once the series is a day or a
 * week old. Level shifts widen the range once, so the next shift of the same size is no
 * longer news; daily and weekly patterns are absorbed by the profiles. After an excursion
 * the score is held below the threshold for HOLD_SAMPLES, so one episode is one mark, not
 * a storm; only a sample past a range by its whole width breaks through the hold. Chosen by measurement on the NAB corpus among
 * robust-z, Holt-Winters-like residual, prototype-novelty and likelihood variants (see
 * README, "Anomaly detection").
 *
 * State is a fixed STATE_BYTES (1136) per series and can be saved and restored.
 */

/** A score at or above this is an anomaly (marks, counts, rules). */
export const ANOMALY_THRESHOLD = 0.9;

/** Samples before any score is given: the detector only learns there. */
export const WARMUP_SAMPLES = 300;
/** Samples after a detection during which the score is held below the threshold. */
export const HOLD_SAMPLES = 100;
/** Samples in the short window (its mean and spread are views). */
const WINDOW = 12;
/** Samples in the shortest window, compared against the short one. */
const RECENT = 3;
const DAY_SLOTS = 48;
const WEEK_SLOTS = 168;
/** Moving-average weights of the daily and weekly profiles per visit of a slot. */
const DAY_ALPHA = 0.2;
const WEEK_ALPHA = 0.3;
const VIEWS = 6;
/** How far past its range (share of the range) a view must go for a mark: 0.5 %. */
const MARK_EXCESS = 0.005;
/**
 * A surprise that breaks through a hold: past a range by its whole width is a new event,
 * not the tail of the last one (a spike on a series that creeps to new highs).
 */
const BREAK_HOLD = 1;
/** The most a held sample scores: below any mark. */
const HELD_SCORE = 0.8;
/** A view's range is trusted once it has been open this many samples (a day at 5 min). */
const MATURE_SAMPLES = 288;
/**
 * How far (as a share of the view's range) a view must leave its range to count: value,
 * window mean, window spread, daily residual, recent-vs-window, weekly residual.
 */
const MARGINS = [0, 0.05, 0.5, 0.1, 0.3, 0.05] as const;

// Layout of the scalar block: count, hold left, ring position, ring, then per view its
// lo, hi and the samples seen since its range opened.
const N = 0;
const HOLD = 1;
const RING_POS = 2;
const RING = 3;
const LO = RING + WINDOW;
const HI = LO + VIEWS;
const SEEN = HI + VIEWS;
const FIRST_T = SEEN + VIEWS;
const SCALARS = FIRST_T + 1;

/** Bytes of one series' detector state (scalars as float64, profiles as float32). */
export const STATE_BYTES = SCALARS * 8 + (DAY_SLOTS + WEEK_SLOTS) * 4;

const HOUR_MS = 3_600_000;
const HALF_HOUR_MS = 1_800_000;
const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;
/** 1970-01-01 was a Thursday: shift so that week slot 0 is Monday 00:00 UTC. */
const WEEK_SHIFT_HOURS = 72;

export class AnomalyDetector {
  private readonly s: Float64Array;
  private readonly day: Float32Array;
  private readonly week: Float32Array;

  private readonly warmup: number;

  /**
   * `state`: a snapshot to resume from. `warmupSamples`: samples learnt before any score
   * is given (NAB's detectors use the file's probationary period here).
   */
  constructor(state?: Uint8Array, warmupSamples = WARMUP_SAMPLES) {
    this.warmup = warmupSamples;
    if (state !== undefined) {
      if (state.byteLength !== STATE_BYTES) {
        throw new Error(`anomaly state: ${state.byteLength} bytes, expected ${STATE_BYTES}`);
      }
      const copy = new Uint8Array(state);
      this.s = new Float64Array(copy.buffer, 0, SCALARS);
      this.day = new Float32Array(copy.buffer, SCALARS * 8, DAY_SLOTS);
      this.week = new Float32Array(copy.buffer, SCALARS * 8 + DAY_SLOTS * 4, WEEK_SLOTS);
      return;
    }
    const buf = new ArrayBuffer(STATE_BYTES);
    this.s = new Float64Array(buf, 0, SCALARS);
    this.day = new Float32Array(buf, SCALARS * 8, DAY_SLOTS).fill(NaN);
    this.week = new Float32Array(buf, SCALARS * 8 + DAY_SLOTS * 4, WEEK_SLOTS).fill(NaN);
    this.s.fill(Infinity, LO, LO + VIEWS);
    this.s.fill(-Infinity, HI, HI + VIEWS);
  }

  /** The whole state, to persist (a copy; restore with `new AnomalyDetector(bytes)`). */
  snapshot(): Uint8Array {
    return new Uint8Array(this.s.buffer.slice(0));
  }

  /** Samples seen so far. */
  get samples(): number {
    return this.s[N];
  }

  /**
   * Scores one sample (time in epoch ms, value) in 0..1 using only the past, then learns
   * it. A non-finite value scores 0 and is not learnt.
   */
  update(t: number, x: number): number {
    if (!Number.isFinite(x) || !Number.isFinite(t)) return 0;
    const s = this.s;
    const n = ++s[N];

    const pos = s[RING_POS];
    s[RING + pos] = x;
    s[RING_POS] = (pos + 1) % WINDOW;
    const filled = Math.min(n, WINDOW);
    let sum = 0;
    for (let i = 0; i < filled; i++) sum += s[RING + i];
    const mean = sum / filled;
    let sq = 0;
    for (let i = 0; i < filled; i++) sq += (s[RING + i] - mean) ** 2;
    const spread = Math.sqrt(sq / filled);
    const recentCount = Math.min(RECENT, filled);
    let recent = 0;
    for (let k = 1; k <= recentCount; k++) recent += s[RING + ((pos + 1 - k + WINDOW) % WINDOW)];
    recent /= recentCount;

    const hour = Math.floor(t / HOUR_MS);
    const daySlot = Math.floor(t / HALF_HOUR_MS) % DAY_SLOTS;
    const weekSlot = (hour + WEEK_SHIFT_HOURS) % WEEK_SLOTS;
    if (n === 1) s[FIRST_T] = t;
    // A profile residual is a view only once the profile holds a whole cycle: before, a
    // slot holds this cycle's own samples and the residual measures something else.
    const age = t - s[FIRST_T];
    const dayResidual = this.learnSlot(this.day, daySlot, x, DAY_ALPHA, age >= DAY_MS);
    const weekResidual = this.learnSlot(this.week, weekSlot, x, WEEK_ALPHA, age >= WEEK_MS);

    const views = [x, mean, spread, dayResidual, recent - mean, weekResidual];
    let surprise = -Infinity;
    for (let v = 0; v < VIEWS; v++) {
      const lo = s[LO + v];
      const hi = s[HI + v];
      const f = views[v];
      if (Number.isNaN(f)) continue;
      if (hi > lo && ++s[SEEN + v] > MATURE_SAMPLES) {
        const range = hi - lo;
        const beyond =
          f > hi ? (f - hi) / range : f < lo ? (lo - f) / range : -Math.min(f - lo, hi - f) / range;
        surprise = Math.max(surprise, beyond - MARGINS[v]);
      }
      if (f < lo) s[LO + v] = f;
      if (f > hi) s[HI + v] = f;
    }

    if (n <= this.warmup) return 0;
    // Inside every range: below 0.8, nearer the edge higher. Past a range by up to
    // MARK_EXCESS: 0.8..0.9, not yet a mark. Further: 0.9 and up, a mark.
    let score =
      surprise <= 0
        ? 0.8 * Math.exp(4 * surprise)
        : surprise <= MARK_EXCESS
          ? 0.8 + (0.1 * surprise) / MARK_EXCESS
          : 0.9 + 0.1 * (1 - Math.exp(-(surprise - MARK_EXCESS) / 0.1));
    if (s[HOLD] > 0 && surprise <= BREAK_HOLD) {
      s[HOLD]--;
      score = Math.min(score, HELD_SCORE);
    } else if (surprise > 0) {
      // Any excursion starts the hold, so the records a noisy series keeps setting by a
      // hair do not leave the door open for the next one.
      s[HOLD] = HOLD_SAMPLES;
    }
    return score;
  }

  /** Residual of x against the profile slot (NaN until `ready`), then learns x. */
  private learnSlot(
    profile: Float32Array,
    slot: number,
    x: number,
    alpha: number,
    ready: boolean,
  ): number {
    const p = profile[slot];
    profile[slot] = Number.isNaN(p) ? x : p + alpha * (x - p);
    return ready && !Number.isNaN(p) ? x - p : NaN;
  }
}
