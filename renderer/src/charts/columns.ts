import type { QueryResult } from '../../../shared/query';

export type Column = (number | null)[];

/**
 * The uPlot data of one chart: time in Unix seconds, then per series its mean and, when
 * the store downsampled, its min and max (drawn as a band so spikes survive).
 */
export interface ChartColumns {
  t: number[];
  avg: Column[];
  min: Column[] | null;
  max: Column[] | null;
  /** Per shaded target: its up ratio per point (below 1 = down some of the time). */
  up: Column[];
  /** Seconds per point, 0 for raw points. */
  step: number;
}

export function toColumns(
  r: QueryResult,
  series: string[],
  upSeries: string[],
  banded: boolean,
): ChartColumns {
  const n = r.t.length;
  const empty = (): Column => new Array<number | null>(n).fill(null);
  const pick = (name: string, k: 'avg' | 'min' | 'max'): Column => r.series[name]?.[k] ?? empty();
  return {
    t: r.t.map((ms) => ms / 1000),
    avg: series.map((s) => pick(s, 'avg')),
    min: banded ? series.map((s) => pick(s, 'min')) : null,
    max: banded ? series.map((s) => pick(s, 'max')) : null,
    up: upSeries.map((s) => pick(s, 'avg')),
    step: r.step / 1000,
  };
}

/** Count of non-null means across series: what the chart actually drew. */
export function pointCount(c: ChartColumns): number {
  let n = 0;
  for (const col of c.avg) for (const v of col) if (v !== null) n++;
  return n;
}

/**
 * Adds one live sample. Within the last point's step it folds into that point (the chart
 * stays at its resolution); otherwise it becomes a new point. Points older than `from`
 * slide out.
 */
export function appendPoint(
  c: ChartColumns,
  tSec: number,
  values: (number | null)[],
  ups: (number | null)[],
  fromSec: number,
  counts: { last: number },
): void {
  const last = c.t.length - 1;
  if (last >= 0 && tSec <= c.t[last]) return;
  if (last >= 0 && c.step > 0 && tSec < c.t[last] + c.step) {
    const k = counts.last;
    values.forEach((v, i) => {
      if (v === null) return;
      const prev = c.avg[i][last];
      c.avg[i][last] = prev === null ? v : (prev * k + v) / (k + 1);
      if (c.min) c.min[i][last] = Math.min(c.min[i][last] ?? v, v);
      if (c.max) c.max[i][last] = Math.max(c.max[i][last] ?? v, v);
    });
    ups.forEach((v, i) => {
      if (v === null) return;
      const prev = c.up[i][last];
      c.up[i][last] = prev === null ? v : (prev * k + v) / (k + 1);
    });
    counts.last = k + 1;
  } else {
    const start =
      c.step > 0 && last >= 0 ? c.t[last] + c.step * Math.floor((tSec - c.t[last]) / c.step) : tSec;
    c.t.push(start);
    values.forEach((v, i) => {
      c.avg[i].push(v);
      c.min?.[i].push(v);
      c.max?.[i].push(v);
    });
    ups.forEach((v, i) => c.up[i].push(v));
    counts.last = 1;
  }
  let drop = 0;
  while (drop < c.t.length - 1 && c.t[drop] < fromSec) drop++;
  if (drop > 0) {
    c.t.splice(0, drop);
    for (const col of [...c.avg, ...(c.min ?? []), ...(c.max ?? []), ...c.up]) col.splice(0, drop);
  }
}

/**
 * Replaces the points of `c` in [fromSec, toSec) with `fine` (finer data for that window);
 * the points outside it stay.
 */
export function replaceWindow(
  c: ChartColumns,
  fine: ChartColumns,
  fromSec: number,
  toSec: number,
): void {
  let a = 0;
  while (a < c.t.length && c.t[a] < fromSec) a++;
  let b = a;
  while (b < c.t.length && c.t[b] < toSec) b++;
  const splice = (dst: (number | null)[], src: (number | null)[]) => dst.splice(a, b - a, ...src);
  splice(c.t, fine.t);
  c.avg.forEach((col, i) => splice(col, fine.avg[i]));
  c.min?.forEach((col, i) => splice(col, fine.min?.[i] ?? []));
  c.max?.forEach((col, i) => splice(col, fine.max?.[i] ?? []));
  c.up.forEach((col, i) => splice(col, fine.up[i]));
}
