import type { Incident, Streak, TargetAnalysis } from '../../../shared/analysis';
import type { TargetSample } from '../../../shared/sample';
import type { SeriesAgg } from '../store/rollup';
import { OTHER_CODE, type TargetExtras } from '../store/target-runs';
import type { BucketAgg } from './bucket-stream';
import { dayIndexFrom, type LocalDay } from './days';
import { clampTo } from './gauge-tracker';
import { QuantileCollector } from './quantile-collector';
import { clip, itemEnd, type Item, type WindowContext } from './window';

const QS = [0.5, 0.95, 0.99] as const;

/** A sample or bucket whose covered time is booked when the next one shows its end. */
interface Pending extends Item {
  /** Up share of the item's samples, 0..1. */
  upShare: number;
  /** Up but slower than the target's degraded latency. */
  degraded: boolean;
  err?: string;
}

interface OpenIncident {
  start: number;
  lastEnd: number;
  error?: string;
  clipped: boolean;
  /** Gaps inside the incident (no data, e.g. the collector restarting). */
  unobservedMs: number;
}

interface Run {
  state: 'up' | 'down';
  since: number;
  lastEnd: number;
}

/**
 * One target's history over the window, fed its samples (or rollup buckets) in time order.
 * Each sample's state holds for the time it covers (see itemEnd); runs of down time are
 * incidents, and a gap ends an incident without counting as down. Samples before the
 * window only tell the state at its start.
 *
 * A gap shorter than `incidentGapMs` between two down stretches continues the incident
 * (a collector restart inside an outage is one incident, with its unobserved time).
 *
 * Rollup buckets bring the target's transition log (target-runs.ts): runs of samples in one
 * state with their exact first and last times, fed here as the samples they stand for, so
 * incidents, up, down and degraded time come out as from raw. Only version 1 buckets,
 * without runs, are split in two instead: down first when the previous stretch ended down,
 * down last otherwise.
 */
export class TargetTracker {
  samples = 0;
  upSamples = 0;
  private upMs = 0;
  private downMs = 0;
  private degradedMs = 0;
  private firstT: number | null = null;
  private lastT: number | null = null;
  private prev: Pending | null = null;
  private open: OpenIncident | null = null;
  private run: Run | null = null;
  private incidents: Incident[] = [];
  private statusCodes: Record<string, number> = {};
  private latSum = 0;
  private latN = 0;
  private latMin = Infinity;
  private latMax = -Infinity;
  private latency: QuantileCollector;
  private dayUp: Float64Array;
  private dayDown: Float64Array;
  private daySamples: Uint32Array;
  private sampleDay = 0;
  private spanDay = 0;

  constructor(
    readonly id: string,
    private readonly ctx: WindowContext,
    private readonly days: readonly LocalDay[],
    /** Successful probes slower than this are degraded; none when undefined. */
    private readonly degradedAbove?: number,
    /** A gap up to this long inside an outage continues the incident. */
    private readonly incidentGapMs = 0,
  ) {
    this.latency = new QuantileCollector(days.length);
    this.dayUp = new Float64Array(days.length);
    this.dayDown = new Float64Array(days.length);
    this.daySamples = new Uint32Array(days.length);
  }

  observe(t: number, s: TargetSample): void {
    this.observeProbe(t, s.up === 1, s.ms, s.st, s.err);
  }

  /** One probe's outcome, as a sample's fields or a row of columns holds it. */
  observeProbe(
    t: number,
    up: boolean,
    ms: number | undefined,
    st: number | undefined,
    err: string | undefined,
  ): void {
    if (this.prev) this.cover(this.prev, t);
    // One object per target, updated in place: a fresh one per sample was garbage.
    const p = (this.prev ??= { t, d: 0, n: 1, upShare: 1, degraded: false });
    p.t = t;
    p.d = 0;
    p.n = 1;
    p.upShare = up ? 1 : 0;
    p.degraded =
      up && this.degradedAbove !== undefined && ms !== undefined && ms > this.degradedAbove;
    p.err = err;
    if (t < this.ctx.from || t >= this.ctx.to) return;
    this.counted(t, 1, up ? 1 : 0);
    if (st !== undefined) this.statusCodes[st] = (this.statusCodes[st] ?? 0) + 1;
    if (up && ms !== undefined) {
      this.latSum += ms;
      this.latN++;
      if (ms < this.latMin) this.latMin = ms;
      if (ms > this.latMax) this.latMax = ms;
      this.latency.add(this.sampleDay, ms);
    }
  }

  /**
   * A rollup bucket [t, t + d): its up series' count and up-count, its latency series
   * (successful probes), and from version 2 lines its transition log and status codes.
   */
  observeBucket(
    t: number,
    d: number,
    up: SeriesAgg,
    ms: BucketAgg | undefined,
    extras?: TargetExtras,
  ): void {
    if (up.count <= 0) return;
    if (extras && extras.runs.length > 0) this.observeRuns(extras);
    else {
      if (this.prev) this.cover(this.prev, t);
      const p = (this.prev ??= { t, d, n: 0, upShare: 1, degraded: false });
      p.t = t;
      p.d = d;
      p.n = up.count;
      p.upShare = up.sum / up.count;
      p.degraded = false;
      p.err = undefined;
      if (t >= this.ctx.from && t < this.ctx.to) this.counted(t, up.count, up.sum);
    }
    // A bucket's latency and codes cannot be split: they count where the bucket starts.
    if (t < this.ctx.from || t >= this.ctx.to) return;
    if (extras)
      for (const [code, n] of extras.codes) {
        const key = code === OTHER_CODE ? 'other' : String(code);
        this.statusCodes[key] = (this.statusCodes[key] ?? 0) + n;
      }
    if (ms && ms.count > 0) {
      this.latSum += ms.sum;
      this.latN += ms.count;
      if (ms.min < this.latMin) this.latMin = ms.min;
      if (ms.max > this.latMax) this.latMax = ms.max;
      if (ms.sketch) this.latency.addSketch(this.sampleDay, ms.sketch);
      else if (ms.sketchRow) this.latency.addSketchRow(this.sampleDay, ms.sketchRow);
      else this.latency.addWeighted(this.sampleDay, ms.sum / ms.count, ms.count);
    }
  }

  /**
   * The runs of a bucket's transition log, each as the samples it stands for: its inside
   * [a, b) is contiguous by construction, its last sample covers up to the next run's
   * first as any sample does. Samples count where they lie; a run cut by the window's edge
   * (no finer tier there) is taken as evenly spaced.
   */
  private observeRuns(x: TargetExtras): void {
    for (const run of x.runs) {
      // A clock step back: raw analyses skip such samples too.
      if (this.prev && run.a <= this.prev.t) continue;
      const up = run.s !== 'd';
      const degraded = run.s === 'g';
      if (this.prev) this.cover(this.prev, run.a);
      const p = (this.prev ??= { t: run.a, d: 0, n: 1, upShare: 1, degraded: false });
      p.t = run.a;
      p.d = 0;
      p.n = 1;
      p.upShare = up ? 1 : 0;
      p.degraded = degraded;
      p.err = run.err;
      if (run.b > run.a) {
        this.segment(up, run.a, run.b, p);
        p.t = run.b;
      }
      const inWindow = samplesWithin(run, this.ctx.from, this.ctx.to);
      if (inWindow > 0) this.counted(Math.max(run.a, this.ctx.from), inWindow, up ? inWindow : 0);
    }
  }

  private counted(t: number, n: number, up: number): void {
    if (this.firstT === null) this.firstT = t;
    this.lastT = t;
    this.samples += n;
    this.upSamples += up;
    this.sampleDay = dayIndexFrom(this.days, t, this.sampleDay);
    this.daySamples[this.sampleDay] += n;
  }

  /** Books the time the previous item covers, up to the next item (or none). */
  private cover(prev: Pending, nextT: number | null): void {
    const end = itemEnd(this.ctx, prev, nextT);
    const downMs = (end - prev.t) * (1 - prev.upShare);
    if (prev.upShare === 1 || prev.upShare === 0) {
      this.segment(prev.upShare === 1, prev.t, end, prev);
      return;
    }
    // A version 1 bucket with both states: no runs to place them, so split it.
    const ongoing = this.run?.state === 'down' && this.run.lastEnd === prev.t;
    const split = ongoing ? prev.t + downMs : end - downMs;
    this.segment(!ongoing, prev.t, split, prev);
    this.segment(ongoing, split, end, prev);
  }

  private segment(up: boolean, start: number, end: number, prev: Pending): void {
    const span = clip(this.ctx, start, end);
    if (!span) return;
    const [s, e] = span;
    const state = up ? 'up' : 'down';
    if (up) this.upMs += e - s;
    else this.downMs += e - s;
    if (up && prev.degraded) this.degradedMs += e - s;
    this.bookDays(s, e, up);

    if (this.run && this.run.state === state && this.run.lastEnd === s) this.run.lastEnd = e;
    else this.run = { state, since: s, lastEnd: e };

    if (up) {
      this.closeIncident(false);
    } else if (this.open && this.open.lastEnd === s) {
      this.open.lastEnd = e;
    } else if (this.open && s - this.open.lastEnd <= this.incidentGapMs) {
      // Only a gap lies between (an up stretch would have closed the incident).
      this.open.unobservedMs += s - this.open.lastEnd;
      this.open.lastEnd = e;
    } else {
      this.closeIncident(false);
      this.open = { start: s, lastEnd: e, clipped: start < this.ctx.from, unobservedMs: 0 };
      if (prev.err !== undefined) this.open.error = prev.err;
    }
  }

  private bookDays(s: number, e: number, up: boolean): void {
    let start = s;
    while (start < e) {
      this.spanDay = dayIndexFrom(this.days, start, this.spanDay);
      const end = Math.min(e, this.days[this.spanDay].end);
      if (up) this.dayUp[this.spanDay] += end - start;
      else this.dayDown[this.spanDay] += end - start;
      if (end <= start) break;
      start = end;
    }
  }

  private closeIncident(ongoing: boolean): void {
    const o = this.open;
    if (!o) return;
    const inc: Incident = {
      target: this.id,
      start: o.start,
      end: ongoing ? null : o.lastEnd,
      durationMs: o.lastEnd - o.start,
    };
    if (o.error !== undefined) inc.error = o.error;
    if (o.clipped) inc.startClipped = true;
    if (o.unobservedMs > 0) inc.unobservedMs = o.unobservedMs;
    this.incidents.push(inc);
    this.open = null;
  }

  /** Per-day figures, for the day table. */
  day(i: number): { uptimePct: number | null; samples: number; p95: number | null } {
    const covered = this.dayUp[i] + this.dayDown[i];
    return {
      uptimePct: covered > 0 ? (100 * this.dayUp[i]) / covered : null,
      samples: this.daySamples[i],
      p95: this.latency.quantiles([0.95], i)[0],
    };
  }

  finish(name: string, configured: boolean): Omit<TargetAnalysis, 'metrics'> {
    if (this.prev) {
      const last = this.prev;
      this.cover(last, null);
      // Still down at the end only if the last sample is recent, not if the target vanished.
      this.closeIncident(last.upShare < 1 && this.ctx.to - last.t <= last.d + this.ctx.gapMs);
      this.prev = null;
    }
    const covered = this.upMs + this.downMs;
    const n = this.latN;
    // Sketch answers stay within the latencies really seen.
    const [p50, p95, p99] = this.latency
      .quantiles(QS)
      .map((q) => clampTo(q, n > 0 ? this.latMin : null, n > 0 ? this.latMax : null));
    const closed = this.incidents.filter((i) => i.end !== null && !i.startClipped);
    const failures = this.incidents.filter((i) => !i.startClipped).length;
    const streak: Streak | null = this.run
      ? {
          state: this.run.state,
          since: this.run.since,
          durationMs: this.run.lastEnd - this.run.since,
        }
      : null;
    return {
      id: this.id,
      name,
      configured,
      samples: this.samples,
      upSamples: this.upSamples,
      uptimePct: covered > 0 ? (100 * this.upMs) / covered : null,
      uptimePctBySamples: this.samples > 0 ? (100 * this.upSamples) / this.samples : null,
      upMs: this.upMs,
      downMs: this.downMs,
      degradedMs: this.degradedMs,
      noDataMs: this.ctx.to - this.ctx.from - covered,
      firstT: this.firstT,
      lastT: this.lastT,
      latency: {
        avg: n > 0 ? this.latSum / n : null,
        min: n > 0 ? this.latMin : null,
        max: n > 0 ? this.latMax : null,
        p50,
        p95,
        p99,
      },
      statusCodes: this.statusCodes,
      incidents: this.incidents,
      mttrMs:
        closed.length > 0 ? closed.reduce((a, i) => a + i.durationMs, 0) / closed.length : null,
      mtbfMs: failures > 0 ? this.upMs / failures : null,
      longestOutageMs: this.incidents.reduce((a, i) => Math.max(a, i.durationMs), 0),
      streak,
    };
  }
}

/** Samples of a run in [from, to), the run's samples taken as evenly spaced from a to b. */
function samplesWithin(run: { a: number; b: number; n: number }, from: number, to: number): number {
  if (run.a >= from && run.b < to) return run.n;
  if (run.b < from || run.a >= to) return 0;
  if (run.n === 1) return 1;
  const step = (run.b - run.a) / (run.n - 1);
  const first = run.a >= from ? 0 : Math.ceil((from - run.a) / step);
  const last = run.b < to ? run.n - 1 : Math.ceil((to - run.a) / step) - 1;
  return Math.max(0, Math.min(run.n - 1, last) - first + 1);
}
