import type { Incident, Streak, TargetAnalysis } from '../../../shared/analysis';
import type { TargetSample } from '../../../shared/sample';
import type { SeriesAgg } from '../store/rollup';
import type { BucketAgg } from './bucket-stream';
import { dayIndexFrom, type LocalDay } from './days';
import { QuantileCollector } from './quantile-collector';
import { clip, itemEnd, type Item, type WindowContext } from './window';

const QS = [0.5, 0.95, 0.99] as const;

/** A sample or bucket whose covered time is booked when the next one shows its end. */
interface Pending extends Item {
  /** Up share of the item's samples, 0..1. */
  upShare: number;
  err?: string;
}

interface OpenIncident {
  start: number;
  lastEnd: number;
  error?: string;
  clipped: boolean;
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
 * A bucket with both up and down samples is split in two: down first when the previous
 * stretch ended down (the outage goes on), down last otherwise (an outage starting), so an
 * outage spanning buckets keeps its length and its boundaries err by at most a bucket.
 */
export class TargetTracker {
  samples = 0;
  upSamples = 0;
  private upMs = 0;
  private downMs = 0;
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
    const p = (this.prev ??= { t, d: 0, n: 1, upShare: 1 });
    p.t = t;
    p.d = 0;
    p.n = 1;
    p.upShare = up ? 1 : 0;
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
   * A rollup bucket [t, t + d): its up series' count and up-count, and its latency series
   * (over all probes: rollups do not split latency by outcome).
   */
  observeBucket(t: number, d: number, up: SeriesAgg, ms: BucketAgg | undefined): void {
    if (up.count <= 0) return;
    if (this.prev) this.cover(this.prev, t);
    const p = (this.prev ??= { t, d, n: 0, upShare: 1 });
    p.t = t;
    p.d = d;
    p.n = up.count;
    p.upShare = up.sum / up.count;
    p.err = undefined;
    if (t < this.ctx.from || t >= this.ctx.to) return;
    this.counted(t, up.count, up.sum);
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
    this.bookDays(s, e, up);

    if (this.run && this.run.state === state && this.run.lastEnd === s) this.run.lastEnd = e;
    else this.run = { state, since: s, lastEnd: e };

    if (up) {
      this.closeIncident(false);
    } else if (this.open && this.open.lastEnd === s) {
      this.open.lastEnd = e;
    } else {
      this.closeIncident(false);
      this.open = { start: s, lastEnd: e, clipped: start < this.ctx.from };
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
    const [p50, p95, p99] = this.latency.quantiles(QS);
    const closed = this.incidents.filter((i) => i.end !== null && !i.startClipped);
    const failures = this.incidents.filter((i) => !i.startClipped).length;
    const n = this.latN;
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
