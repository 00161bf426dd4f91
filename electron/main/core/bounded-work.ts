import { performance } from 'node:perf_hooks';
import { listSegments, TIERS } from '../store/layout';
import { ValidationError } from './field-errors';

/**
 * Limits for work a request asks of the core (analyses, reports, queries): the core runs on
 * the collector's thread, so a request must neither hold that thread for long nor run
 * without end. See docs/security.md.
 */

const DAY_MS = 86_400_000;

/** The longest hour-tier retention the config allows (100 years); no longer range can hold data. */
export const MAX_RANGE_DAYS = 36_500;
export const MAX_RANGE_MS = MAX_RANGE_DAYS * DAY_MS;

/** Wall-clock budget for one analysis or report; past it the work stops and says so. */
export const WORK_BUDGET_MS = 30_000;

/** Longest stretch of work between two turns of the event loop (ticks, other requests). */
export const SLICE_MS = 15;

export interface TimeRange {
  from: number;
  to: number;
}

/** The work was stopped at its time budget: the caller asked too much (503, not a crash). */
export class OverBudgetError extends Error {
  constructor(readonly budgetMs: number) {
    super(`the request took over ${budgetMs / 1000} s and was stopped; ask for a shorter range`);
    this.name = 'OverBudgetError';
  }
}

/** Refuses a range longer than any store can hold, naming the field (a 400, not a frozen core). */
export function checkRangeLength(range: TimeRange): void {
  if (range.to - range.from > MAX_RANGE_MS)
    throw new ValidationError([
      {
        path: 'to',
        message: `the range spans ${Math.round((range.to - range.from) / DAY_MS / 365)} years; at most ${MAX_RANGE_DAYS / 365} years (${MAX_RANGE_DAYS} days)`,
      },
    ]);
}

/**
 * The time the store holds data for: from the start of its oldest segment in any tier to
 * the end of its newest (a day or month boundary), or null when it holds nothing. Only
 * directory listings are read.
 */
export async function dataExtent(dataDir: string): Promise<TimeRange | null> {
  let from = Infinity;
  let to = -Infinity;
  for (const tier of TIERS) {
    const segs = await listSegments(dataDir, tier);
    if (segs.length === 0) continue;
    from = Math.min(from, segs[0].start);
    to = Math.max(to, ...segs.map((s) => s.end));
  }
  return from < to ? { from, to } : null;
}

/**
 * The part of a range worth reading: refused past MAX_RANGE_MS, then cut to the data's
 * extent (up to `now`, so a live window keeps its end). A range that holds no data at all
 * keeps a short stretch at its end, so the answer is an honest "no data", computed at once.
 */
export function clampToExtent<R extends TimeRange>(
  range: R,
  extent: TimeRange | null,
  now: number,
): R {
  checkRangeLength(range);
  const lo = extent?.from ?? now;
  const hi = Math.max(extent?.to ?? now, now);
  const from = Math.max(range.from, lo);
  const to = Math.min(range.to, hi);
  if (to > from) return { ...range, from, to };
  // Nothing stored in the range: analyse its last day at most (all of it a gap).
  const end = Math.min(range.to, Math.max(range.from + 1, hi));
  return { ...range, from: Math.max(range.from, end - DAY_MS), to: end };
}

/** The caller's signal (a client that hung up) and the time budget, as one. */
export function budgetSignal(
  budgetMs: number,
  signal?: AbortSignal,
): { signal: AbortSignal; overBudget: () => boolean } {
  const timer = AbortSignal.timeout(budgetMs);
  return {
    signal: signal ? AbortSignal.any([signal, timer]) : timer,
    overBudget: () => timer.aborted,
  };
}

/**
 * A view of a data source (the store) whose async reads stop when `signal` aborts and give
 * the event loop a turn at least every SLICE_MS, so collection ticks and other requests run
 * during a long analysis. Every method returning an async iterable is wrapped, whatever its
 * name, so a reader added to the store later is bounded too.
 */
export function boundedSource<T extends object>(src: T, signal: AbortSignal): T {
  const slice = { start: performance.now() };
  return new Proxy(src, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]): unknown => {
        const out: unknown = value.apply(target, args);
        return isAsyncIterable(out) ? yielding(out, signal, slice) : out;
      };
    },
  });
}

function isAsyncIterable(x: unknown): x is AsyncIterable<unknown> {
  return (
    typeof x === 'object' &&
    x !== null &&
    typeof (x as Partial<AsyncIterable<unknown>>)[Symbol.asyncIterator] === 'function'
  );
}

async function* yielding<T>(
  items: AsyncIterable<T>,
  signal: AbortSignal,
  slice: { start: number },
): AsyncGenerator<T> {
  for await (const item of items) {
    if (performance.now() - slice.start >= SLICE_MS) {
      // setImmediate, not a microtask: timers (the collector's tick) and sockets run first.
      await new Promise<void>((resolve) => setImmediate(resolve));
      slice.start = performance.now();
    }
    signal.throwIfAborted();
    yield item;
  }
}

/**
 * Runs `work` on a bounded view of `src`: aborted when the caller's signal fires, stopped
 * with OverBudgetError past `budgetMs`.
 */
export async function runBounded<S extends object, R>(
  src: S,
  work: (bounded: S) => Promise<R>,
  opts: { signal?: AbortSignal; budgetMs?: number } = {},
): Promise<R> {
  const budgetMs = opts.budgetMs ?? WORK_BUDGET_MS;
  const { signal, overBudget } = budgetSignal(budgetMs, opts.signal);
  try {
    return await work(boundedSource(src, signal));
  } catch (err) {
    if (overBudget() && !opts.signal?.aborted) throw new OverBudgetError(budgetMs);
    throw err;
  }
}
