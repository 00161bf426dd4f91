import type { Gap, TierSpan, WindowAnalysis } from '../../../shared/analysis';
import type { Config } from '../../../shared/config-schema';
import type { Sample } from '../../../shared/sample';
import { parseTargetSeries } from '../../../shared/series';
import { buildDays, buildSystem, buildTargets, buildTimeline } from './assemble';
import { checkTimeZone, dayIndexFrom, defaultTimeZone, localDays } from './days';
import { GaugeTracker, thresholdFor } from './gauge-tracker';
import { SampleWalker } from './sample-walker';
import type { SeriesSlot, TargetBucket } from './series-slot';
import { SeriesTracker } from './series-tracker';
import type { RollupTier } from '../store/layout';
import type { RawPart } from '../store/raw-columns';
import type { RollupLine } from '../store/rollup';
import type { RollupPart } from '../store/rollup-columns';
import { BucketStream, type OnBucket } from './bucket-stream';
import { planTiers, type TierChoice } from './plan';
import { TargetTracker } from './target-tracker';
import { clip, itemEnd, windowContext, type Item } from './window';

/**
 * What the analysis needs from the store: raw samples of a window in time order, and
 * optionally rollup lines (without them every window is read raw) and raw and rollup
 * segments as columns (the same samples and lines without parsing a line each; preferred
 * when offered).
 */
export interface AnalysisSource {
  read(range: { from: number; to: number }): AsyncIterable<Sample>;
  readRawColumns?(range: { from: number; to: number }): AsyncIterable<RawPart>;
  readRollups?(tier: RollupTier, range: { from: number; to: number }): AsyncIterable<RollupLine>;
  readRollupColumns?(
    tier: RollupTier,
    range: { from: number; to: number },
  ): AsyncIterable<RollupPart>;
}

export interface AnalysisRange {
  from: number;
  to: number;
  /** Only these target ids; all when omitted. */
  targets?: string[];
}

export interface AnalyzeOptions {
  /** IANA zone for day boundaries; the system's by default. */
  timeZone?: string;
  /** Buckets in the chart timeline. */
  timelinePoints?: number;
  /** "Time above" thresholds by series (`sys.disk.*` for every mount). */
  thresholds?: Record<string, number>;
  /** The current time, which decides what is still kept in each tier (default: the clock). */
  now?: number;
  /** Force the finest tier to read; by default chosen from the window's length. */
  tier?: TierChoice;
}

const DEFAULT_TIMELINE_POINTS = 144;
const PROGRESS_EVERY = 2048;

type Tracker = TargetTracker | null;

export function checkRange(range: AnalysisRange): void {
  const { from, to } = range;
  if (!Number.isFinite(from) || !Number.isFinite(to))
    throw new Error(`invalid window: from and to must be times (got ${from} and ${to})`);
  if (!(to > from))
    throw new Error(
      `invalid window: "to" (${new Date(to).toISOString()}) is not after "from" (${new Date(from).toISOString()})`,
    );
}

/**
 * Analyses [from, to) in one streaming pass over raw samples and, for windows reaching
 * past raw retention or too long to read raw, rollup buckets (see plan.ts): per-target
 * uptime, latency, incidents; per-series statistics and trends; gaps; a day table in the
 * local time zone; and a coarse timeline for charts.
 */
export async function analyzeWindow(
  src: AnalysisSource,
  config: Config,
  range: AnalysisRange,
  onProgress?: (fraction: number) => void,
  options: AnalyzeOptions = {},
): Promise<WindowAnalysis> {
  checkRange(range);
  const timeZone = options.timeZone ?? defaultTimeZone();
  checkTimeZone(timeZone);
  const { from, to } = range;
  const ctx = windowContext(from, to, config.interval);
  const days = localDays(from, to, timeZone);
  const points = Math.max(1, Math.floor(options.timelinePoints ?? DEFAULT_TIMELINE_POINTS));
  const step = Math.ceil((to - from) / points);
  const wanted = range.targets ? new Set(range.targets) : null;
  const plan: TierSpan[] =
    src.readRollups || src.readRollupColumns
      ? planTiers(from, to, config.retention, options.now ?? Date.now(), options.tier)
      : [{ tier: 'raw', from, to }];

  const trackers = new Map<string, TargetTracker>();
  const degradedAbove = new Map(config.targets.map((t) => [t.id, t.degradedMs]));
  const incidentGapMs = config.incidentGapIntervals * config.interval * 1000;
  const newTracker = (id: string): TargetTracker =>
    new TargetTracker(id, ctx, days, degradedAbove.get(id), incidentGapMs);
  const slots = new Map<string, SeriesSlot>();
  const targetBuckets = new Map<string, TargetBucket>();
  const gaps: Gap[] = [];
  let coveredMs = 0;
  let pending: Item | null = null;
  let lastT = -Infinity;
  let samples = 0;
  let dayHint = 0;
  let sinceProgress = 0;

  const newSlot = (series: string): SeriesSlot => {
    const slot: SeriesSlot = {
      skip: false,
      tlSum: new Float64Array(points),
      tlN: new Float64Array(points),
      daySum: new Float64Array(days.length),
      dayN: new Float64Array(days.length),
    };
    const tg = parseTargetSeries(series);
    if (tg) {
      slot.skip = wanted !== null && !wanted.has(tg.id);
      if (tg.rest === 'up' || tg.rest === 'ms') {
        let bucket = targetBuckets.get(tg.id);
        if (!bucket) targetBuckets.set(tg.id, (bucket = { id: tg.id, stamp: 0 }));
        slot.target = { field: tg.rest, bucket };
      }
      if (tg.rest.startsWith('m.')) {
        const metric = tg.rest.slice(2);
        slot.metric = { target: tg.id, metric, tracker: new SeriesTracker(series, from) };
      }
    } else {
      const slow = series.startsWith('sys.disk.') || series === 'sys.temp';
      const threshold = thresholdFor(series, options.thresholds);
      slot.gauge = new GaugeTracker(series, ctx, slow ? config.system.slowEvery : 1, threshold);
    }
    slots.set(series, slot);
    return slot;
  };
  const slotOf = (series: string): SeriesSlot => slots.get(series) ?? newSlot(series);
  const trackerOf = (id: string): TargetTracker => {
    let tr = trackers.get(id);
    if (!tr) {
      tr = newTracker(id);
      trackers.set(id, tr);
    }
    return tr;
  };

  /** Records [start, end) as a gap, clipped to the window. */
  const addGap = (start: number, end: number): void => {
    const span = clip(ctx, start, end);
    if (span) gaps.push({ start: span[0], end: span[1], durationMs: span[1] - span[0] });
  };

  /** Window-level coverage: books the pending item up to the next one, [t, t + d) of n samples. */
  const advance = (t: number, d: number, n: number): void => {
    if (pending === null) {
      // Nothing in the look-back before the window either: the window opens with a gap.
      addGap(from, t);
      pending = { t, d, n };
    } else {
      const end = itemEnd(ctx, pending, t);
      const span = clip(ctx, pending.t, end);
      if (span) coveredMs += span[1] - span[0];
      if (end < t) addGap(end, t);
      // Updated in place: one object per window rather than one per sample.
      pending.t = t;
      pending.d = d;
      pending.n = n;
    }
    lastT = t;
  };

  // Where the current sample falls; one visitor for all samples saves a closure per sample.
  const cur = { t: 0, day: 0, bucket: 0 };

  /** Places an in-window sample at time t in its day and timeline bucket. */
  const enter = (t: number): void => {
    samples++;
    dayHint = dayIndexFrom(days, t, dayHint);
    cur.t = t;
    cur.day = dayHint;
    cur.bucket = Math.min(points - 1, Math.floor((t - from) / step));
  };

  const progress = (t: number): void => {
    if (onProgress && ++sinceProgress >= PROGRESS_EVERY) {
      sinceProgress = 0;
      onProgress(Math.min(1, Math.max(0, (t - from) / (to - from))));
    }
  };

  /** The only sketches a bucket's analysis reads: system series and the targets' latency. */
  const wantsSketch = (series: string): boolean => {
    if (series.startsWith('sys.')) return true;
    const tg = parseTargetSeries(series);
    return tg !== null && tg.rest === 'ms' && (wanted === null || wanted.has(tg.id));
  };

  const walker = new SampleWalker(slotOf);
  const visit = (slot: SeriesSlot, v: number): void => {
    if (slot.skip) return;
    slot.gauge?.add(cur.t, v);
    slot.metric?.tracker.add(cur.t, v);
    slot.tlSum[cur.bucket] += v;
    slot.tlN[cur.bucket]++;
    slot.daySum[cur.day] += v;
    slot.dayN[cur.day]++;
  };

  const onSample = (sample: Sample): void => {
    const t = sample.t;
    // Out-of-order lines (a clock step backwards) would corrupt every run; skip them.
    if (t <= lastT || t >= to) return;
    advance(t, 0, 1);
    for (const id in sample.tg) {
      if (wanted && !wanted.has(id)) continue;
      trackerOf(id).observe(t, sample.tg[id]);
    }
    if (t < from) return;
    enter(t);
    walker.walk(sample, visit);
    progress(t);
  };

  /** The rows of a raw part in [rangeFrom, rangeTo), exactly as onSample takes samples. */
  const onPart = (part: RawPart, rangeFrom: number, rangeTo: number): void => {
    const values = new Map(part.series.map((s) => [s.name, s.values]));
    const probes = [...part.probes].flatMap(([id, d]) => {
      const upCol = values.get(`tg.${id}.up`);
      if (upCol === undefined || (wanted && !wanted.has(id))) return [];
      // The tracker comes with the target's first row: a target without one gets none.
      return [{ id, d, up: upCol, ms: values.get(`tg.${id}.ms`), tracker: null as Tracker }];
    });
    const cols = part.series.map((s) => s.values);
    const colSlots = new Array<SeriesSlot | undefined>(cols.length);
    const t = part.t;
    for (let r = 0; r < t.length; r++) {
      const tr = t[r];
      if (tr < rangeFrom || tr >= rangeTo || tr <= lastT || tr >= to) continue;
      advance(tr, 0, 1);
      for (const p of probes) {
        const u = p.up[r];
        if (Number.isNaN(u)) continue;
        const ms = p.ms?.[r];
        const st = p.d.st[r];
        const err = p.d.err[r];
        (p.tracker ??= trackerOf(p.id)).observeProbe(
          tr,
          u === 1,
          ms === undefined || Number.isNaN(ms) ? undefined : ms,
          Number.isNaN(st) ? undefined : st,
          Number.isNaN(err) ? undefined : part.texts[err],
        );
      }
      if (tr < from) continue;
      enter(tr);
      // Series in the order they first appear, as the sample walker meets them.
      for (let c = 0; c < cols.length; c++) {
        const v = cols[c][r];
        if (!Number.isNaN(v)) visit((colSlots[c] ??= slotOf(part.series[c].name)), v);
      }
      progress(tr);
    }
    for (const sample of part.rest) onSample(sample);
  };

  // Targets with an up series in the bucket at hand, in the order met; reused per bucket.
  const upTargets: TargetBucket[] = [];
  let stamp = 0;
  const onBucket: OnBucket = (t, d, n, count, names, aggs, extras) => {
    if (t < lastT || t >= to) return;
    advance(t, d, n);
    stamp++;
    upTargets.length = 0;
    for (let i = 0; i < count; i++) {
      const slot = slotOf(names[i]);
      const tg = slot.target;
      if (slot.skip || !tg) continue;
      const b = tg.bucket;
      if (b.stamp !== stamp) {
        b.stamp = stamp;
        b.up = undefined;
        b.ms = undefined;
      }
      if (tg.field === 'ms') b.ms = aggs[i];
      else {
        if (!b.up) upTargets.push(b);
        b.up = aggs[i];
      }
    }
    for (const b of upTargets)
      if (b.up) trackerOf(b.id).observeBucket(t, d, b.up, b.ms, extras?.get(b.id));
    if (t < from) return;
    samples += n;
    dayHint = dayIndexFrom(days, t, dayHint);
    const day = dayHint;
    const bucket = Math.min(points - 1, Math.floor((t - from) / step));
    for (let i = 0; i < count; i++) {
      const slot = slotOf(names[i]);
      const agg = aggs[i];
      if (slot.skip || agg.count <= 0) continue;
      slot.gauge?.addBucket(t, d, agg);
      slot.metric?.tracker.addAggregate(
        (agg.first + agg.last) / 2,
        agg.count,
        agg.sum,
        agg.min,
        agg.max,
      );
      slot.tlSum[bucket] += agg.sum;
      slot.tlN[bucket] += agg.count;
      slot.daySum[day] += agg.sum;
      slot.dayN[day] += agg.count;
    }
    progress(t);
  };

  for (const [i, span] of plan.entries()) {
    // The first part looks back a little to learn the state at the window's start.
    if (span.tier === 'raw') {
      const lookFrom = i === 0 ? span.from - ctx.gapMs : span.from;
      const rawRange = { from: lookFrom, to: span.to };
      if (src.readRawColumns)
        for await (const part of src.readRawColumns(rawRange)) onPart(part, lookFrom, span.to);
      else for await (const s of src.read(rawRange)) onSample(s);
      continue;
    }
    const bucketMs = span.tier === '1m' ? 60_000 : 3_600_000;
    const lookFrom = i === 0 ? span.from - bucketMs - ctx.gapMs : span.from;
    const rollupRange = { from: lookFrom, to: span.to };
    const buckets = new BucketStream(onBucket, wantsSketch);
    if (src.readRollupColumns)
      for await (const part of src.readRollupColumns(span.tier, rollupRange))
        buckets.part(part, lookFrom, span.to);
    else for await (const line of src.readRollups!(span.tier, rollupRange)) buckets.line(line);
    buckets.end();
  }

  const last = pending as Item | null;
  if (last === null) {
    addGap(from, to);
  } else {
    const end = itemEnd(ctx, last, null);
    const span = clip(ctx, last.t, end);
    if (span) coveredMs += span[1] - span[0];
    // A last sample less than a gap before the end is just the latest tick, not a gap.
    if (to - last.t > last.d + ctx.gapMs) addGap(end, to);
  }

  const targets = buildTargets(config, trackers, slots, wanted, newTracker);
  const analysis: WindowAnalysis = {
    from,
    to,
    intervalSec: config.interval,
    gapThresholdMs: ctx.gapMs,
    timeZone,
    tiers: plan,
    exact: plan.every((p) => p.tier === 'raw'),
    samples,
    coveredMs,
    gapMs: gaps.reduce((a, g) => a + g.durationMs, 0),
    gaps,
    targets,
    system: buildSystem(slots),
    days: buildDays(days, targets, trackers, slots),
    timeline: buildTimeline(ctx, points, step, slots),
    unknownTargets: (range.targets ?? []).filter((id) => !targets.some((t) => t.id === id)),
  };
  onProgress?.(1);
  return analysis;
}
