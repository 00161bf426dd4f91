/**
 * The transition log a rollup line carries per target: the target's samples in the bucket
 * as runs (consecutive samples in one state, no gap between them), each with its exact
 * first and last sample time and the status code and error text of its first sample; and
 * the bucket's status-code counts and error texts. Written as samples arrive (the minute
 * builder), repaired with the rollups after a crash (replay from raw), merged into the hour
 * lines and so kept as long as the hour tier. From it an analysis finds every state change
 * and gap exactly, to the sample, long after raw is gone (docs/definitions.md).
 *
 * A run break ("brk") is a gap before the run's first sample: more than 1.5 times the
 * target's smallest sample spacing seen (or no previous sample known). A run never holds
 * a wider spacing, so any gap an analysis finds (2.5 intervals by default) lies between
 * runs, where it compares the times itself.
 */

/** u: up, d: down, g: degraded (up, but slower than the target's degradedMs). */
export type RunState = 'u' | 'd' | 'g';

export interface Run {
  /** Unix ms of the run's first and last sample. */
  a: number;
  b: number;
  n: number;
  s: RunState;
  /** A gap (or an unknown predecessor) lies before the run's first sample. */
  brk: boolean;
  /** Status code and error text of the run's first sample. */
  st?: number;
  err?: string;
}

export interface TargetExtras {
  /** Status code -> samples; code 0 stands for codes past the top MAX_CODES. */
  codes: Map<number, number>;
  /** Error text -> samples; errors past the top MAX_ERRORS add up in otherErrors. */
  errors: Map<string, number>;
  otherErrors: number;
  runs: Run[];
}

/** Bounds per target and bucket: the most frequent are kept, the rest counted as "other". */
export const MAX_CODES = 8;
export const MAX_ERRORS = 5;
/** The code that stands for "other codes". */
export const OTHER_CODE = 0;

/** A spacing wider than this many times the smallest seen starts a new run. */
const BREAK_FACTOR = 1.5;
/** Spacings below this (a repeated tick) are not taken as the target's interval. */
export const MIN_SPACING_MS = 100;

/** Whether a sample `spacing` ms after the previous one (NaN: none known) starts a new run. */
export function isBreak(spacing: number, minSpacing: number): boolean {
  return !(spacing > 0) || spacing > BREAK_FACTOR * minSpacing;
}

/** Per target, across buckets: the last sample time and the smallest spacing seen. */
export class RunMemory {
  private readonly last = new Map<string, { t: number; min: number }>();

  /** Whether a sample at t starts after a break; remembers t. */
  step(id: string, t: number): boolean {
    const m = this.last.get(id);
    if (m === undefined) {
      if (this.last.size > 10_000) this.last.clear();
      this.last.set(id, { t, min: Infinity });
      return true;
    }
    const spacing = t - m.t;
    const brk = isBreak(spacing, m.min);
    if (spacing >= MIN_SPACING_MS && spacing < m.min) m.min = spacing;
    m.t = t;
    return brk;
  }
}

export function newExtras(): TargetExtras {
  return { codes: new Map(), errors: new Map(), otherErrors: 0, runs: [] };
}

/** Adds one probe outcome at time t. */
export function addProbe(
  x: TargetExtras,
  t: number,
  s: RunState,
  brk: boolean,
  st: number | undefined,
  err: string | undefined,
): void {
  const last = x.runs.length > 0 ? x.runs[x.runs.length - 1] : undefined;
  if (last !== undefined && !brk && last.s === s && t > last.b) {
    last.b = t;
    last.n++;
  } else {
    const run: Run = { a: t, b: t, n: 1, s, brk };
    if (st !== undefined) run.st = st;
    if (err !== undefined) run.err = err;
    x.runs.push(run);
  }
  if (st !== undefined) x.codes.set(st, (x.codes.get(st) ?? 0) + 1);
  if (err !== undefined) x.errors.set(err, (x.errors.get(err) ?? 0) + 1);
}

export function cloneExtras(x: TargetExtras): TargetExtras {
  return {
    codes: new Map(x.codes),
    errors: new Map(x.errors),
    otherErrors: x.otherErrors,
    runs: x.runs.map((r) => ({ ...r })),
  };
}

/** Merges a later bucket's extras (a minute into its hour, or a second part of a bucket). */
export function mergeExtras(into: TargetExtras, from: TargetExtras): void {
  for (const [c, n] of from.codes) into.codes.set(c, (into.codes.get(c) ?? 0) + n);
  for (const [e, n] of from.errors) into.errors.set(e, (into.errors.get(e) ?? 0) + n);
  into.otherErrors += from.otherErrors;
  for (const [i, r] of from.runs.entries()) {
    const last = into.runs.length > 0 ? into.runs[into.runs.length - 1] : undefined;
    if (i === 0 && last !== undefined && !r.brk && last.s === r.s && r.a > last.b) {
      last.b = r.b;
      last.n += r.n;
    } else into.runs.push({ ...r });
  }
}

/** The top `max` entries by count, the rest summed under `other` (Map order: largest first). */
function top<K>(m: Map<K, number>, max: number): { kept: [K, number][]; rest: number } {
  const all = [...m];
  if (all.length <= max) return { kept: all, rest: 0 };
  all.sort((x, y) => y[1] - x[1]);
  return { kept: all.slice(0, max), rest: all.slice(max).reduce((s, e) => s + e[1], 0) };
}

const keyText = new Map<string, string>();

/** The line's "c", "e" and "r" members (each "" when empty), offsets after bucket start t. */
export function serializeExtras(
  targets: Map<string, TargetExtras>,
  t: number,
): { c: string; e: string; r: string } {
  let c = '';
  let e = '';
  let r = '';
  for (const [id, x] of targets) {
    let key = keyText.get(id);
    if (key === undefined) {
      key = JSON.stringify(id) + ':';
      if (keyText.size > 10_000) keyText.clear();
      keyText.set(id, key);
    }
    if (x.codes.size === 1) {
      // The common bucket: one code for every sample.
      for (const [code, n] of x.codes) c += (c ? ',' : '') + key + '[' + code + ',' + n + ']';
    } else if (x.codes.size > 0) {
      const { kept, rest } = top(x.codes, MAX_CODES);
      const flat: number[] = [];
      for (const [code, n] of kept) flat.push(code, n);
      if (rest > 0) {
        const i = flat.indexOf(OTHER_CODE);
        if (i >= 0 && i % 2 === 0) flat[i + 1] += rest;
        else flat.push(OTHER_CODE, rest);
      }
      c += (c ? ',' : '') + key + '[' + flat.join(',') + ']';
    }
    if (x.errors.size > 0 || x.otherErrors > 0) {
      const { kept, rest } = top(x.errors, MAX_ERRORS);
      const list: [string | null, number][] = kept;
      const other = rest + x.otherErrors;
      if (other > 0) list.push([null, other]);
      e += (e ? ',' : '') + key + JSON.stringify(list);
    }
    const runs = x.runs;
    // The common bucket, all up in one run after the previous one, is left implicit.
    if (runs.length === 1 && runs[0].s === 'u' && !runs[0].brk) continue;
    if (runs.length === 0) continue;
    const rows = runs.map((u) => {
      const row: (string | number | null)[] = [u.a - t, u.b - t, u.n, u.s, u.brk ? 1 : 0];
      if (u.st !== undefined || u.err !== undefined) row.push(u.st ?? null);
      if (u.err !== undefined) row.push(u.err);
      return row;
    });
    r += (r ? ',' : '') + key + JSON.stringify(rows);
  }
  return { c, e, r };
}

/**
 * Reads the "c", "e" and "r" members of a parsed line into extras per target; targets with
 * an up series but no "r" get their implicit single up run. False when malformed.
 */
export function parseExtras(
  o: { c?: unknown; e?: unknown; r?: unknown },
  t: number,
  upSeries: Map<string, { count: number; sum: number; first: number; last: number }>,
  into: Map<string, TargetExtras>,
): boolean {
  const get = (id: string): TargetExtras => {
    let x = into.get(id);
    if (x === undefined) into.set(id, (x = newExtras()));
    return x;
  };
  if (o.c !== undefined) {
    if (!isObject(o.c)) return false;
    for (const [id, flat] of Object.entries(o.c)) {
      if (!Array.isArray(flat) || flat.length % 2 !== 0 || !flat.every(isInt)) return false;
      const x = get(id);
      for (let i = 0; i < flat.length; i += 2) x.codes.set(flat[i], flat[i + 1]);
    }
  }
  if (o.e !== undefined) {
    if (!isObject(o.e)) return false;
    for (const [id, list] of Object.entries(o.e)) {
      if (!Array.isArray(list)) return false;
      const x = get(id);
      for (const item of list) {
        if (!Array.isArray(item) || item.length !== 2 || !isInt(item[1])) return false;
        if (item[0] === null) x.otherErrors += item[1];
        else if (typeof item[0] === 'string') x.errors.set(item[0], item[1]);
        else return false;
      }
    }
  }
  const explicit = new Set<string>();
  if (o.r !== undefined) {
    if (!isObject(o.r)) return false;
    for (const [id, rows] of Object.entries(o.r)) {
      if (!Array.isArray(rows)) return false;
      const x = get(id);
      for (const row of rows) {
        const run = parseRun(row, t);
        if (run === null) return false;
        x.runs.push(run);
      }
      explicit.add(id);
    }
  }
  for (const [id, up] of upSeries) {
    if (explicit.has(id) || up.count <= 0) continue;
    get(id).runs.push({ a: up.first, b: up.last, n: up.count, s: 'u', brk: false });
  }
  return true;
}

function parseRun(row: unknown, t: number): Run | null {
  if (!Array.isArray(row) || row.length < 5 || row.length > 7) return null;
  const [a, b, n, s, brk, st, err] = row as unknown[];
  if (!isInt(a) || !isInt(b) || !isInt(n) || n < 1 || b < a) return null;
  if (s !== 'u' && s !== 'd' && s !== 'g') return null;
  if (brk !== 0 && brk !== 1) return null;
  const run: Run = { a: t + a, b: t + b, n, s, brk: brk === 1 };
  if (st !== undefined && st !== null) {
    if (!isInt(st)) return null;
    run.st = st;
  }
  if (err !== undefined) {
    if (typeof err !== 'string') return null;
    run.err = err;
  }
  return run;
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function isInt(x: unknown): x is number {
  return typeof x === 'number' && Number.isSafeInteger(x);
}
