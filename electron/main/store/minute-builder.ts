import type { Sample } from '../../../shared/sample';
import { newLine, probeState, wantsSketchFor, type RollupLine } from './rollup';
import { QuantileSketch } from './sketch';
import {
  addProbe,
  cloneExtras,
  isBreak,
  MIN_SPACING_MS,
  newExtras,
  type TargetExtras,
} from './target-runs';

interface TargetSlot {
  id: string;
  /** The target's last sample time and smallest spacing seen (RunMemory's rule, inline). */
  lastT: number;
  minSpacing: number;
  /** The open bucket's transition log for the target, null until its first sample in it. */
  ex: TargetExtras | null;
  up: number;
  ms: number;
  ttfb: number;
  cert: number;
  metrics: Map<string, number>;
}

/**
 * The finest rollup tier, on the ingest path of every tick, so it avoids per-value map
 * lookups and allocations: each series gets a column once (found through its target),
 * and a bucket's aggregates live in typed arrays until the bucket closes and becomes a
 * RollupLine. Same rules as RollupBuilder: one open bucket, any other bucket closes it.
 */
export class MinuteBuilder {
  private readonly names: string[] = [];
  private readonly index = new Map<string, number>();
  /** Per column: whether it keeps a quantile sketch (latency and system series). */
  private readonly latency: boolean[] = [];
  /** Targets with a transition log in the open bucket, in the order first met. */
  private logged: TargetSlot[] = [];
  private readonly targets = new Map<string, TargetSlot>();
  /** Columns of cpu, mem, swap, load1, load5, load15, temp, battery, rx, tx (-1: none yet). */
  private readonly sysIdx = new Int32Array(10).fill(-1);
  private readonly diskCols = new Map<string, number>();
  private cap = 64;
  private count = new Float64Array(this.cap);
  private sum = new Float64Array(this.cap);
  private min = new Float64Array(this.cap);
  private max = new Float64Array(this.cap);
  private first = new Float64Array(this.cap);
  private last = new Float64Array(this.cap);
  private sketches: (QuantileSketch | null)[] = [];
  private touched: number[] = [];
  private start: number | null = null;
  private n = 0;
  private firstT = Infinity;
  private lastT = -Infinity;

  constructor(
    readonly bucketMs: number,
    private readonly onClose: (line: RollupLine) => void,
    /** A target's "slower than this is degraded" latency, if it has one. */
    private readonly degradedMs?: (id: string) => number | undefined,
    /** false: no transition log or status counts (the benchmark's "before"). */
    private readonly withExtras = true,
  ) {}

  /** Start of the open bucket, or null. */
  get openStart(): number | null {
    return this.start;
  }

  /** The open bucket as a line (a snapshot: later samples do not change it). */
  get open(): RollupLine | null {
    if (this.start === null || this.n === 0) return null;
    return this.toLine(true);
  }

  addSample(s: Sample): void {
    const t = s.t;
    const start = Math.floor(t / this.bucketMs) * this.bucketMs;
    if (start !== this.start) {
      this.flush();
      this.start = start;
    }
    this.n++;
    if (t < this.firstT) this.firstT = t;
    if (t > this.lastT) this.lastT = t;
    const sys = s.sys;
    // Direct property reads and literal names: this runs for every tick.
    if (typeof sys === 'object' && sys !== null) {
      if (sys.cpu !== undefined) this.sys(0, 'sys.cpu', sys.cpu, t);
      if (sys.mem !== undefined) this.sys(1, 'sys.mem', sys.mem, t);
      if (sys.swap !== undefined) this.sys(2, 'sys.swap', sys.swap, t);
      if (sys.load1 !== undefined) this.sys(3, 'sys.load1', sys.load1, t);
      if (sys.load5 !== undefined) this.sys(4, 'sys.load5', sys.load5, t);
      if (sys.load15 !== undefined) this.sys(5, 'sys.load15', sys.load15, t);
      if (sys.temp !== undefined) this.sys(6, 'sys.temp', sys.temp, t);
      if (sys.battery !== undefined) this.sys(7, 'sys.battery', sys.battery, t);
      if (typeof sys.rx === 'number') this.sys(8, 'sys.net.rx', sys.rx, t);
      if (typeof sys.tx === 'number') this.sys(9, 'sys.net.tx', sys.tx, t);
      if (typeof sys.disk === 'object' && sys.disk !== null) {
        for (const mount in sys.disk) {
          let c = this.diskCols.get(mount);
          if (c === undefined) this.diskCols.set(mount, (c = this.column('sys.disk.' + mount)));
          this.add(c, sys.disk[mount], t);
        }
      }
    }
    for (const id in s.tg) {
      const x = s.tg[id];
      if (typeof x !== 'object' || x === null) continue;
      let slot = this.targets.get(id);
      if (slot === undefined) {
        slot = {
          id,
          lastT: NaN,
          minSpacing: Infinity,
          ex: null,
          up: -1,
          ms: -1,
          ttfb: -1,
          cert: -1,
          metrics: new Map(),
        };
        this.targets.set(id, slot);
      }
      if (slot.up < 0) slot.up = this.column(`tg.${id}.up`);
      this.add(slot.up, x.up, t);
      if (this.withExtras) {
        if (slot.ex === null) {
          slot.ex = newExtras();
          this.logged.push(slot);
        }
        const spacing = t - slot.lastT;
        const brk = isBreak(spacing, slot.minSpacing);
        if (spacing >= MIN_SPACING_MS && spacing < slot.minSpacing) slot.minSpacing = spacing;
        slot.lastT = t;
        const state = probeState(x.up, x.ms, this.degradedMs?.(id));
        addProbe(slot.ex, t, state, brk, x.st, x.err);
      }
      // One latency definition at every tier: successful probes only.
      if (x.ms !== undefined && (x.up === 1 || !this.withExtras)) {
        if (slot.ms < 0) slot.ms = this.column(`tg.${id}.ms`);
        this.add(slot.ms, x.ms, t);
      }
      if (x.fb !== undefined) {
        if (slot.ttfb < 0) slot.ttfb = this.column(`tg.${id}.ttfb`);
        this.add(slot.ttfb, x.fb, t);
      }
      if (x.cd !== undefined) {
        if (slot.cert < 0) slot.cert = this.column(`tg.${id}.cert`);
        this.add(slot.cert, x.cd, t);
      }
      if (x.m) {
        for (const k in x.m) {
          let c = slot.metrics.get(k);
          if (c === undefined) slot.metrics.set(k, (c = this.column(`tg.${id}.m.${k}`)));
          this.add(c, x.m[k], t);
        }
      }
    }
  }

  /** Closes the open bucket now (at shutdown, or when input moves to another bucket). */
  flush(): void {
    if (this.start !== null && this.n > 0) this.onClose(this.toLine(false));
    for (const c of this.touched) this.count[c] = 0;
    this.touched = [];
    for (const slot of this.logged) slot.ex = null;
    this.logged = [];
    // Years of renamed targets or ever-new metric names must not grow the columns forever.
    if (this.names.length > 50_000) this.forgetColumns();
    this.start = null;
    this.n = 0;
    this.firstT = Infinity;
    this.lastT = -Infinity;
  }

  private add(c: number, v: number, t: number): void {
    if (typeof v !== 'number' || !Number.isFinite(v)) return;
    if (this.count[c] === 0) {
      this.touched.push(c);
      this.sum[c] = 0;
      this.min[c] = v;
      this.max[c] = v;
      this.first[c] = t;
      this.last[c] = t;
      if (this.latency[c]) this.sketches[c] = new QuantileSketch();
    }
    this.count[c]++;
    this.sum[c] += v;
    if (v < this.min[c]) this.min[c] = v;
    if (v > this.max[c]) this.max[c] = v;
    if (t < this.first[c]) this.first[c] = t;
    if (t > this.last[c]) this.last[c] = t;
    if (this.latency[c]) this.sketches[c]?.add(v);
  }

  private toLine(copy: boolean): RollupLine {
    const line = newLine(this.start ?? 0, this.bucketMs);
    line.n = this.n;
    line.first = this.firstT;
    line.last = this.lastT;
    for (const c of this.touched) {
      const sketch = this.sketches[c];
      line.series.set(this.names[c], {
        count: this.count[c],
        sum: this.sum[c],
        min: this.min[c],
        max: this.max[c],
        first: this.first[c],
        last: this.last[c],
        ...(sketch ? { sketch: copy ? sketch.clone() : sketch } : {}),
      });
      if (!copy) this.sketches[c] = null;
    }
    for (const slot of this.logged)
      if (slot.ex) line.targets.set(slot.id, copy ? cloneExtras(slot.ex) : slot.ex);
    return line;
  }

  private sys(i: number, name: string, v: number, t: number): void {
    let c = this.sysIdx[i];
    if (c < 0) this.sysIdx[i] = c = this.column(name);
    this.add(c, v, t);
  }

  private column(name: string): number {
    const known = this.index.get(name);
    if (known !== undefined) return known;
    const c = this.names.length;
    this.names.push(name);
    this.index.set(name, c);
    this.latency.push(wantsSketchFor(name) && (this.withExtras || !name.startsWith('sys.')));
    this.sketches.push(null);
    if (c >= this.cap) this.grow();
    return c;
  }

  private forgetColumns(): void {
    this.names.length = 0;
    this.latency.length = 0;
    this.sketches.length = 0;
    this.index.clear();
    this.targets.clear();
    this.sysIdx.fill(-1);
    this.diskCols.clear();
  }

  private grow(): void {
    this.cap *= 2;
    for (const k of ['count', 'sum', 'min', 'max', 'first', 'last'] as const) {
      const next = new Float64Array(this.cap);
      next.set(this[k]);
      this[k] = next;
    }
  }
}
