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

/**
 * Where the time a sample at t vouches for ends: at the next sample, unless that is a gap
 * away (or there is none), in which case one interval after t.
 */
export function coverEnd(ctx: WindowContext, t: number, nextT: number | null): number {
  if (nextT !== null && nextT - t <= ctx.gapMs) return nextT;
  return t + ctx.intervalMs;
}

/** [start, end) clipped to the window; null when nothing is left. */
export function clip(ctx: WindowContext, start: number, end: number): [number, number] | null {
  const s = Math.max(start, ctx.from);
  const e = Math.min(end, ctx.to);
  return e > s ? [s, e] : null;
}
