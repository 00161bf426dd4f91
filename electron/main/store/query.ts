import type { QueryRequest, QueryResult, SeriesColumns, Tier } from '../../../shared/query';
import type { ColumnCache, SegmentColumns } from './column-cache';
import { BUCKET_MS, overlapping, type RollupTier, type Segment, type TierName } from './layout';
import type { ReadCounters } from './lines';
import type { RollupLine } from './rollup';

export interface QueryContext {
  /** The tier's segments, oldest first (the store keeps the listing between queries). */
  list: (tier: TierName) => Promise<Segment[]>;
  /** Whether a file may still grow (open for appending). */
  isLive: (file: string) => boolean;
  cache: ColumnCache;
  /** Buckets still open in memory (not on disk yet) for a rollup tier. */
  openLines: (tier: '1m' | '1h') => RollupLine[];
  counters: ReadCounters;
}

const COARSER: Record<Tier, RollupTier[]> = { raw: ['1m', '1h'], '1m': ['1h'], '1h': [] };

/**
 * The coarsest tier that still gives at least maxPoints buckets over the range. If that
 * tier's data starts after `from` (retention trimmed it), a coarser tier holding at least
 * one whole bucket before that start is used instead. A store younger than the range (a
 * first day) keeps the fine tier: its coarse segments start no earlier than its data.
 */
export async function chooseTier(ctx: QueryContext, req: QueryRequest): Promise<Tier> {
  const span = req.to - req.from;
  let tier: Tier = 'raw';
  if (span / BUCKET_MS['1h'] >= req.maxPoints) tier = '1h';
  else if (span / BUCKET_MS['1m'] >= req.maxPoints) tier = '1m';
  let best = tier;
  let bestOldest = await oldestData(ctx, tier, req);
  for (const c of COARSER[tier]) {
    if (bestOldest <= req.from) break;
    const oldest = await oldestData(ctx, c, req);
    if (oldest + BUCKET_MS[c] <= bestOldest) {
      best = c;
      bestOldest = oldest;
    }
  }
  return best;
}

/**
 * When a tier's data starts (Infinity: no data). A whole segment before `from` settles it
 * without reading; otherwise the oldest segment is loaded (from its column file).
 */
async function oldestData(ctx: QueryContext, tier: Tier, req: QueryRequest): Promise<number> {
  for (const seg of await ctx.list(tier)) {
    if (seg.end <= req.from) return seg.start;
    // The query's own series, so the query that follows finds this segment loaded.
    const { t } = await ctx.cache.get(seg, req.series, ctx.counters, ctx.isLive(seg.file));
    // Write order, not time order, after a clock change: take the least.
    if (t.length > 0) return t.reduce((a, b) => Math.min(a, b), Infinity);
  }
  return Infinity;
}

export async function runQuery(ctx: QueryContext, req: QueryRequest): Promise<QueryResult> {
  checkRequest(req);
  const tier = await chooseTier(ctx, req);
  const segs = overlapping(await ctx.list(tier), req.from, req.to);
  // Together, so one segment's file system round trips overlap another's decoding.
  const parts = await Promise.all(
    segs.map((seg) => ctx.cache.get(seg, req.series, ctx.counters, ctx.isLive(seg.file))),
  );
  if (tier === 'raw') {
    let rows = 0;
    for (const p of parts) for (const t of p.t) if (t >= req.from && t < req.to) rows++;
    if (rows <= req.maxPoints) return rawOneToOne(req, parts, rows);
    return bucketize(req, tier, Math.ceil((req.to - req.from) / req.maxPoints), parts, []);
  }
  const d = BUCKET_MS[tier];
  const step = Math.max(1, Math.ceil((req.to - req.from) / req.maxPoints / d)) * d;
  return bucketize(req, tier, step, parts, ctx.openLines(tier));
}

function checkRequest(req: QueryRequest): void {
  if (!Number.isFinite(req.from) || !Number.isFinite(req.to) || req.to <= req.from)
    throw new Error(`query: "from" (${req.from}) must be before "to" (${req.to})`);
  if (!Number.isInteger(req.maxPoints) || req.maxPoints < 1)
    throw new Error(`query: maxPoints must be a positive integer (got ${req.maxPoints})`);
  if (!Array.isArray(req.series) || req.series.some((s) => typeof s !== 'string'))
    throw new Error('query: series must be a list of series names');
}

function rawOneToOne(req: QueryRequest, parts: SegmentColumns[], rows: number): QueryResult {
  const idx: { p: number; i: number; t: number }[] = [];
  parts.forEach((p, pi) => {
    for (let i = 0; i < p.t.length; i++) {
      const t = p.t[i];
      if (t >= req.from && t < req.to) idx.push({ p: pi, i, t });
    }
  });
  idx.sort((a, b) => a.t - b.t);
  const series: Record<string, SeriesColumns> = {};
  for (const name of req.series) {
    const col: (number | null)[] = new Array<number | null>(rows);
    idx.forEach((r, k) => {
      const v = parts[r.p].cols.get(name)?.sum[r.i];
      col[k] = v === undefined || Number.isNaN(v) ? null : v;
    });
    series[name] = { avg: col, min: col.slice(), max: col.slice() };
  }
  return { from: req.from, to: req.to, tier: 'raw', step: 0, t: idx.map((r) => r.t), series };
}

/**
 * One output point per step-wide column, aligned to multiples of step so a live chart's
 * columns stay put: mean, min and max of everything inside (a spike survives).
 */
function bucketize(
  req: QueryRequest,
  tier: Tier,
  step: number,
  parts: SegmentColumns[],
  open: RollupLine[],
): QueryResult {
  const start = Math.floor(req.from / step) * step;
  const ncol = Math.ceil((req.to - start) / step);
  const acc = req.series.map(() => ({
    n: new Float64Array(ncol),
    sum: new Float64Array(ncol),
    min: new Float64Array(ncol).fill(Infinity),
    max: new Float64Array(ncol).fill(-Infinity),
  }));
  for (const p of parts) {
    const n = p.t.length;
    for (let si = 0; si < req.series.length; si++) {
      const c = p.cols.get(req.series[si]);
      if (!c) continue;
      const a = acc[si];
      for (let i = 0; i < n; i++) {
        const t = p.t[i];
        if (t < req.from || t >= req.to) continue;
        const k = Math.floor((t - start) / step);
        if (p.raw) {
          const v = c.sum[i];
          if (Number.isNaN(v)) continue;
          a.n[k]++;
          a.sum[k] += v;
          if (v < a.min[k]) a.min[k] = v;
          if (v > a.max[k]) a.max[k] = v;
        } else {
          const cnt = c.n[i];
          if (!(cnt > 0)) continue;
          a.n[k] += cnt;
          a.sum[k] += c.sum[i];
          if (c.min[i] < a.min[k]) a.min[k] = c.min[i];
          if (c.max[i] > a.max[k]) a.max[k] = c.max[i];
        }
      }
    }
  }
  for (const line of open) {
    if (line.t < req.from || line.t >= req.to) continue;
    const k = Math.floor((line.t - start) / step);
    req.series.forEach((name, si) => {
      const g = line.series.get(name);
      if (!g) return;
      const a = acc[si];
      a.n[k] += g.count;
      a.sum[k] += g.sum;
      if (g.min < a.min[k]) a.min[k] = g.min;
      if (g.max > a.max[k]) a.max[k] = g.max;
    });
  }
  const t = Array.from({ length: ncol }, (_, k) => start + k * step);
  const series: Record<string, SeriesColumns> = {};
  req.series.forEach((name, si) => {
    const a = acc[si];
    const avg: (number | null)[] = new Array<number | null>(ncol);
    const min: (number | null)[] = new Array<number | null>(ncol);
    const max: (number | null)[] = new Array<number | null>(ncol);
    for (let k = 0; k < ncol; k++) {
      const has = a.n[k] > 0;
      avg[k] = has ? a.sum[k] / a.n[k] : null;
      min[k] = has ? a.min[k] : null;
      max[k] = has ? a.max[k] : null;
    }
    series[name] = { avg, min, max };
  });
  return { from: req.from, to: req.to, tier, step, t, series };
}
