/** The window being analysed and the rule that turns sample times into covered time. */
export interface WindowContext {
  from: number;
  to: number;
  intervalMs: number;
  /** A stretch between samples longer than this is a gap, neither up nor down. */
  gapMs: number;
}

/** Gaps start beyond 2.5 intervals: one late or skipped tick is not a gap, two are. */
export const GAP_INTERVALS = 2.5;

export function windowContext(from: number, to: number, intervalSec: number): WindowContext {
  const intervalMs = intervalSec * 1000;
  return { from, to, intervalMs, gapMs: GAP_INTERVALS * intervalMs };
}

/** [start, end) clipped to the window; null when nothing is left. */
export function clip(ctx: WindowContext, start: number, end: number): [number, number] | null {
  const s = Math.max(start, ctx.from);
  const e = Math.min(end, ctx.to);
  return e > s ? [s, e] : null;
}

/**
 * One observation: a raw sample (d = 0, n = 1) or a rollup bucket [t, t + d) holding n
 * samples. Both vouch for time the same way, so raw and rollup parts of a window join up.
 */
export interface Item {
  t: number;
  d: number;
  n: number;
}

/**
 * Where the time an item vouches for ends. The next item counts as contiguous when it
 * starts within d + gapMs; an item covers n intervals, stretched to the next item when the
 * rest is shorter than a gap (a late tick), and one bucket (or interval) before a gap.
 * A raw sample thus covers until the next one, or one interval when a gap follows.
 */
export function itemEnd(ctx: WindowContext, item: Item, nextT: number | null): number {
  const contiguous = nextT !== null && nextT - item.t <= item.d + ctx.gapMs;
  const cap = contiguous ? nextT - item.t : Math.max(item.d, ctx.intervalMs);
  let cov = Math.min(cap, item.n * ctx.intervalMs);
  if (contiguous && cap - cov <= ctx.gapMs) cov = cap;
  return item.t + cov;
}
