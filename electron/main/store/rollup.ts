import { seriesKind } from '../../../shared/series';
import type { Sample } from '../../../shared/sample';
import { QuantileSketch } from './sketch';
import {
  addProbe,
  cloneExtras,
  mergeExtras,
  newExtras,
  parseExtras,
  RunMemory,
  serializeExtras,
  type RunState,
  type TargetExtras,
} from './target-runs';

/**
 * A rollup line (tiers 1m and 1h), one per bucket:
 *
 *   {"v":2,"t":<bucket start, unix ms>,"d":<bucket ms>,"n":<samples>,"f":<first>,"l":<last>,
 *    ("c":{"<target>":[code,count,...]},)("e":{"<target>":[[text,count],...]},)
 *    ("r":{"<target>":[[first,last,samples,state,break(,code(,error))],...]},)
 *    "s":{"<series>":[count,sum,min,max(,first,last)(,sketch)], ...}}
 *
 * f and l are the times of the bucket's first and last sample, in ms after t. A series'
 * own first/last (same units) are written only where they differ from the bucket's (the
 * series was missing from some samples). For up/down series (tg.<id>.up, values 0/1) sum
 * is the up-count. Latency series (tg.<id>.ms, tg.<id>.ttfb) and system series end with a
 * quantile sketch (see sketch.ts for its JSON form). tg.<id>.ms counts successful probes
 * only, as raw analyses do. "c", "e" and "r" are each target's status codes, error texts
 * and runs of states (target-runs.ts). Two lines with the same t (written after a clock
 * went backwards) are parts of one bucket: readers merge them.
 *
 * Version 1 lines (before the transition log) are still read: their latency counts every
 * probe with a timing and they carry no runs (`opspulse store rebuild` rewrites them from raw).
 */
export const ROLLUP_VERSION = 2;
/** Lines of this version and later carry "c", "e" and "r" and successful-only latency. */
export const RUNS_VERSION = 2;

export interface SeriesAgg {
  count: number;
  sum: number;
  min: number;
  max: number;
  /** Unix ms of the first and last value in the bucket. */
  first: number;
  last: number;
  /** Latency series only. */
  sketch?: QuantileSketch;
}

export interface RollupLine {
  /** Format version the line was written in (ROLLUP_VERSION for new lines). */
  v: number;
  /** Bucket start, unix ms. */
  t: number;
  /** Bucket length, ms. */
  d: number;
  /** Samples (ticks) merged into the bucket. */
  n: number;
  /** Unix ms of the bucket's first and last sample. */
  first: number;
  last: number;
  series: Map<string, SeriesAgg>;
  /** Per target: status codes, errors and runs of states (version 2 lines). */
  targets: Map<string, TargetExtras>;
}

/** The up-count of an up/down series' aggregate (values are 0 or 1). */
export function upCount(agg: SeriesAgg): number {
  return agg.sum;
}

const kindCache = new Map<string, boolean>();
function wantsSketch(name: string): boolean {
  let k = kindCache.get(name);
  if (k === undefined) {
    k = wantsSketchFor(name);
    if (kindCache.size > 100_000) kindCache.clear();
    kindCache.set(name, k);
  }
  return k;
}

/**
 * Latency series and the system series with a "time above" threshold (CPU, memory, swap,
 * temperature, disks) keep a sketch: their quantiles and time above come from it. Load
 * averages, network rates and battery keep count, sum, min and max only (their p95 over
 * rollups is taken over bucket means, clamped to min and max): sketches for them cost
 * ingest time and disk for a figure no threshold reads.
 */
export function wantsSketchFor(name: string): boolean {
  if (name.startsWith('sys.'))
    return (
      name === 'sys.cpu' ||
      name === 'sys.mem' ||
      name === 'sys.swap' ||
      name === 'sys.temp' ||
      name.startsWith('sys.disk.')
    );
  return seriesKind(name) === 'latency';
}

export function newLine(t: number, d: number): RollupLine {
  return {
    v: ROLLUP_VERSION,
    t,
    d,
    n: 0,
    first: Infinity,
    last: -Infinity,
    series: new Map(),
    targets: new Map(),
  };
}

const memories = new WeakMap<RollupLine, RunMemory>();

/** A probe's state for the transition log: degraded when up but slower than degradedMs. */
export function probeState(up: number, ms: number | undefined, degradedMs?: number): RunState {
  if (up !== 1) return 'd';
  return degradedMs !== undefined && ms !== undefined && ms > degradedMs ? 'g' : 'u';
}

export function addValue(line: RollupLine, name: string, v: number, t: number): void {
  if (typeof v !== 'number' || !Number.isFinite(v)) return;
  let a = line.series.get(name);
  if (a === undefined) {
    a = { count: 0, sum: 0, min: v, max: v, first: t, last: t };
    if (wantsSketch(name)) a.sketch = new QuantileSketch();
    line.series.set(name, a);
  }
  a.count++;
  a.sum += v;
  if (v < a.min) a.min = v;
  if (v > a.max) a.max = v;
  if (t < a.first) a.first = t;
  if (t > a.last) a.last = t;
  a.sketch?.add(v);
}

interface TargetNames {
  up: string;
  ms: string;
  ttfb: string;
  cert: string;
  metrics: Map<string, string>;
}
const targetNames = new Map<string, TargetNames>();
const diskNames = new Map<string, string>();

/** Series names are built once per target, not once per sample: ingest is on every tick. */
function namesOf(id: string): TargetNames {
  let n = targetNames.get(id);
  if (n === undefined) {
    const p = 'tg.' + id + '.';
    n = { up: p + 'up', ms: p + 'ms', ttfb: p + 'ttfb', cert: p + 'cert', metrics: new Map() };
    if (targetNames.size > 10_000) targetNames.clear();
    targetNames.set(id, n);
  }
  return n;
}

function metricName(n: TargetNames, id: string, metric: string): string {
  let name = n.metrics.get(metric);
  if (name === undefined) {
    name = 'tg.' + id + '.m.' + metric;
    if (n.metrics.size > 10_000) n.metrics.clear();
    n.metrics.set(metric, name);
  }
  return name;
}

function diskName(mount: string): string {
  let name = diskNames.get(mount);
  if (name === undefined) {
    name = 'sys.disk.' + mount;
    if (diskNames.size > 10_000) diskNames.clear();
    diskNames.set(mount, name);
  }
  return name;
}

/**
 * Adds every numeric value of a sample (names as in shared/series.ts forEachValue), a
 * latency only for a successful probe, and each target's probe to the transition log.
 * `memory` carries each target's last sample time across buckets (one per tier build).
 */
export function addSample(
  line: RollupLine,
  s: Sample,
  memory?: RunMemory,
  degradedMs?: (id: string) => number | undefined,
): void {
  let mem = memory ?? memories.get(line);
  if (mem === undefined) memories.set(line, (mem = new RunMemory()));
  line.n++;
  const t = s.t;
  if (t < line.first) line.first = t;
  if (t > line.last) line.last = t;
  const sys = s.sys;
  if (typeof sys === 'object' && sys !== null) {
    if (sys.cpu !== undefined) addValue(line, 'sys.cpu', sys.cpu, t);
    if (sys.mem !== undefined) addValue(line, 'sys.mem', sys.mem, t);
    if (sys.swap !== undefined) addValue(line, 'sys.swap', sys.swap, t);
    if (sys.load1 !== undefined) addValue(line, 'sys.load1', sys.load1, t);
    if (sys.load5 !== undefined) addValue(line, 'sys.load5', sys.load5, t);
    if (sys.load15 !== undefined) addValue(line, 'sys.load15', sys.load15, t);
    if (sys.temp !== undefined) addValue(line, 'sys.temp', sys.temp, t);
    if (sys.battery !== undefined) addValue(line, 'sys.battery', sys.battery, t);
    if (typeof sys.rx === 'number') addValue(line, 'sys.net.rx', sys.rx, t);
    if (typeof sys.tx === 'number') addValue(line, 'sys.net.tx', sys.tx, t);
    if (typeof sys.disk === 'object' && sys.disk !== null)
      for (const mount in sys.disk) addValue(line, diskName(mount), sys.disk[mount], t);
  }
  for (const id in s.tg) {
    const x = s.tg[id];
    if (typeof x !== 'object' || x === null) continue;
    const n = namesOf(id);
    addValue(line, n.up, x.up, t);
    if (x.ms !== undefined && x.up === 1) addValue(line, n.ms, x.ms, t);
    let ex = line.targets.get(id);
    if (ex === undefined) line.targets.set(id, (ex = newExtras()));
    const state = probeState(x.up, x.ms, degradedMs?.(id));
    addProbe(ex, t, state, mem.step(id, t), x.st, x.err);
    if (x.fb !== undefined) addValue(line, n.ttfb, x.fb, t);
    if (x.cd !== undefined) addValue(line, n.cert, x.cd, t);
    if (x.m) for (const k in x.m) addValue(line, metricName(n, id, k), x.m[k], t);
  }
}

export function mergeAgg(into: SeriesAgg, from: SeriesAgg): void {
  into.count += from.count;
  into.sum += from.sum;
  if (from.min < into.min) into.min = from.min;
  if (from.max > into.max) into.max = from.max;
  if (from.first < into.first) into.first = from.first;
  if (from.last > into.last) into.last = from.last;
  if (from.sketch) {
    if (into.sketch) into.sketch.merge(from.sketch);
    else into.sketch = from.sketch.clone();
  }
}

/** Merges a finer (or same-bucket) line into this one. */
export function mergeLine(into: RollupLine, from: RollupLine): void {
  into.n += from.n;
  if (from.first < into.first) into.first = from.first;
  if (from.last > into.last) into.last = from.last;
  for (const [name, agg] of from.series) {
    const a = into.series.get(name);
    if (a) mergeAgg(a, agg);
    else {
      const copy: SeriesAgg = { ...agg };
      if (agg.sketch) copy.sketch = agg.sketch.clone();
      into.series.set(name, copy);
    }
  }
  for (const [id, x] of from.targets) {
    const have = into.targets.get(id);
    if (have) mergeExtras(have, x);
    else into.targets.set(id, cloneExtras(x));
  }
  if (from.v < into.v) into.v = from.v;
}

/**
 * Float sums carry noise in the last digits (…00000000002). Rounding to 6 decimals removes
 * it when the noise is all there is (values with at most 6 decimals); other sums are kept
 * as they are.
 */
function tidy(x: number): number {
  const r = Math.round(x * 1e6) / 1e6;
  return Math.abs(r - x) <= Math.abs(x) * 1e-12 ? r : x;
}

/** `"<name>":[`, the needle extractAgg looks for (JSON.stringify writes keys this way). */
export function seriesKey(name: string): string {
  return JSON.stringify(name) + ':[';
}

const keyText = new Map<string, string>();

/** One line, newline included: each entry through native JSON.stringify, keys escaped once. */
export function serializeRollup(line: RollupLine): string {
  let out = `{"v":${line.v},"t":${line.t},"d":${line.d},"n":${line.n},"f":${line.first - line.t},"l":${line.last - line.t},`;
  if (line.v >= RUNS_VERSION && line.targets.size > 0) {
    const x = serializeExtras(line.targets, line.t);
    if (x.c) out += `"c":{${x.c}},`;
    if (x.e) out += `"e":{${x.e}},`;
    if (x.r) out += `"r":{${x.r}},`;
  }
  out += '"s":{';
  let sep = '';
  for (const [name, a] of line.series) {
    let key = keyText.get(name);
    if (key === undefined) {
      key = JSON.stringify(name) + ':';
      if (keyText.size > 100_000) keyText.clear();
      keyText.set(name, key);
    }
    const entry: unknown[] = [a.count, tidy(a.sum), a.min, a.max];
    if (a.first !== line.first || a.last !== line.last)
      entry.push(a.first - line.t, a.last - line.t);
    if (a.sketch) entry.push(a.sketch.toJSON());
    out += sep + key + JSON.stringify(entry);
    sep = ',';
  }
  return out + '}}\n';
}

/** A rollup line, or null when the line is not one (corrupt or foreign). */
export function parseRollup(text: string): RollupLine | null {
  let x: unknown;
  try {
    x = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof x !== 'object' || x === null) return null;
  const o = x as {
    v?: unknown;
    t?: unknown;
    d?: unknown;
    n?: unknown;
    f?: unknown;
    l?: unknown;
    s?: unknown;
    c?: unknown;
    e?: unknown;
    r?: unknown;
  };
  if (o.v !== 1 && o.v !== ROLLUP_VERSION) return null;
  if (!isNum(o.t) || !isNum(o.d) || !isNum(o.n)) return null;
  if (!isNum(o.f) || !isNum(o.l) || typeof o.s !== 'object' || o.s === null) return null;
  const line = newLine(o.t, o.d);
  line.v = o.v;
  line.n = o.n;
  line.first = o.t + o.f;
  line.last = o.t + o.l;
  for (const [name, v] of Object.entries(o.s as Record<string, unknown>)) {
    if (!Array.isArray(v) || v.length < 4) return null;
    for (let i = 0; i < 4; i++) if (!isNum(v[i])) return null;
    const a: SeriesAgg = {
      count: v[0],
      sum: v[1],
      min: v[2],
      max: v[3],
      first: line.first,
      last: line.last,
    };
    let i = 4;
    if (isNum(v[4])) {
      if (!isNum(v[5])) return null;
      a.first = line.t + v[4];
      a.last = line.t + v[5];
      i = 6;
    }
    if (i < v.length) {
      try {
        a.sketch = QuantileSketch.fromJSON(v[i]);
      } catch {
        return null;
      }
      if (i + 1 < v.length) return null;
    }
    line.series.set(name, a);
  }
  if (line.v >= RUNS_VERSION) {
    const ups = new Map<string, SeriesAgg>();
    for (const [name, a] of line.series)
      if (name.startsWith('tg.') && name.endsWith('.up') && seriesKind(name) === 'up')
        ups.set(name.slice(3, -3), a);
    if (!parseExtras(o, line.t, ups, line.targets)) return null;
  }
  return line;
}

function isNum(x: unknown): x is number {
  return typeof x === 'number' && Number.isFinite(x);
}

/**
 * count, sum, min and max of one series straight from the line text, without parsing the
 * rest: a query for 4 of 40 series reads 1/10 of each line. `key` is seriesKey(name).
 * Returns false when the series is absent or malformed.
 */
export function extractAgg(text: string, key: string, out: Float64Array): boolean {
  const at = text.indexOf(key);
  if (at < 0) return false;
  let p = at + key.length;
  for (let i = 0; i < 4; i++) {
    let end = text.indexOf(',', p);
    if (i === 3) {
      const close = text.indexOf(']', p);
      if (close >= 0 && (end < 0 || close < end)) end = close;
    }
    if (end < 0) return false;
    const v = Number(text.slice(p, end));
    if (!Number.isFinite(v)) return false;
    out[i] = v;
    p = end + 1;
  }
  return true;
}
