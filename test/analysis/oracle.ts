import fs from 'node:fs';
import path from 'node:path';

/**
 * The differential suite's reference: a plain loop over the raw JSONL files, written from
 * the definitions in docs/definitions.md and sharing no code with the analysis. It reads
 * the files itself (JSON.parse per line) and computes each figure the obvious way.
 */

export interface OracleSample {
  t: number;
  up: boolean;
  ms?: number;
  st?: number;
  err?: string;
}

export interface OracleIncident {
  start: number;
  end: number | null;
  durationMs: number;
  startClipped: boolean;
  error?: string;
}

export interface OracleTarget {
  samples: number;
  upSamples: number;
  upMs: number;
  downMs: number;
  degradedMs: number;
  incidents: OracleIncident[];
  latency: { avg: number | null; p50: number | null; p95: number | null; p99: number | null };
  statusCodes: Record<string, number>;
  mttrMs: number | null;
  mtbfMs: number | null;
}

export interface OracleHistory {
  targets: Map<string, OracleSample[]>;
  /** System CPU values with their times. */
  cpu: { t: number; v: number }[];
}

/** Every raw line of the data directory, in file order, out-of-order lines dropped. */
export function loadRaw(dataDir: string): OracleHistory {
  const dir = path.join(dataDir, 'samples', 'raw');
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .sort();
  const targets = new Map<string, OracleSample[]>();
  const cpu: { t: number; v: number }[] = [];
  let lastT = -Infinity;
  for (const f of files) {
    for (const line of fs.readFileSync(path.join(dir, f), 'utf8').split('\n')) {
      if (line === '') continue;
      const s = JSON.parse(line) as {
        t: number;
        sys?: { cpu?: number };
        tg: Record<string, { up: number; ms?: number; st?: number; err?: string }>;
      };
      if (s.t < lastT) continue;
      lastT = s.t;
      if (s.sys?.cpu !== undefined) cpu.push({ t: s.t, v: s.sys.cpu });
      for (const [id, x] of Object.entries(s.tg)) {
        let list = targets.get(id);
        if (!list) targets.set(id, (list = []));
        list.push({ t: s.t, up: x.up === 1, ms: x.ms, st: x.st, err: x.err });
      }
    }
  }
  return { targets, cpu };
}

/** Type 7 quantile (linear between closest ranks) of sorted values. */
export function quantile(sorted: number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

export interface OracleOptions {
  from: number;
  to: number;
  intervalMs: number;
  /** A sample covers until the next one unless it is further than this (a gap). */
  gapMs: number;
  /** A gap up to this long between down stretches continues the incident. */
  incidentGapMs: number;
  degradedMs?: number;
}

/**
 * One target over [from, to). A sample stands for the time until the target's next sample,
 * or one interval when the next is more than gapMs away; runs of down time are incidents;
 * a gap up to incidentGapMs between two down stretches continues the incident.
 */
export function oracleTarget(samples: OracleSample[], o: OracleOptions): OracleTarget {
  const { from, to } = o;
  // Coverage stretches [s, e) with their state, clipped to the window.
  const stretches: {
    s: number;
    e: number;
    up: boolean;
    degraded: boolean;
    sample: OracleSample;
  }[] = [];
  for (let i = 0; i < samples.length; i++) {
    const x = samples[i];
    const next = samples[i + 1];
    const end = next && next.t - x.t <= o.gapMs ? next.t : x.t + o.intervalMs;
    const s = Math.max(x.t, from);
    const e = Math.min(end, to);
    if (e <= s) continue;
    const degraded =
      x.up && o.degradedMs !== undefined && x.ms !== undefined && x.ms > o.degradedMs;
    stretches.push({ s, e, up: x.up, degraded, sample: x });
  }
  let upMs = 0;
  let downMs = 0;
  let degradedMs = 0;
  const incidents: (OracleIncident & { lastEnd: number })[] = [];
  let open: (OracleIncident & { lastEnd: number }) | null = null;
  for (const st of stretches) {
    if (st.up) {
      upMs += st.e - st.s;
      if (st.degraded) degradedMs += st.e - st.s;
      open = null;
      continue;
    }
    downMs += st.e - st.s;
    if (open && st.s - open.lastEnd <= o.incidentGapMs) {
      open.lastEnd = st.e;
      continue;
    }
    open = {
      start: st.s,
      end: null,
      durationMs: 0,
      startClipped: st.sample.t < from,
      lastEnd: st.e,
    };
    if (st.sample.err !== undefined) open.error = st.sample.err;
    incidents.push(open);
  }
  const inWindow = samples.filter((x) => x.t >= from && x.t < to);
  const last = samples.filter((x) => x.t < to).at(-1);
  const out: OracleIncident[] = incidents.map((i, k) => {
    const ongoing =
      k === incidents.length - 1 && last !== undefined && !last.up && to - last.t <= o.gapMs;
    const inc: OracleIncident = {
      start: i.start,
      end: ongoing ? null : i.lastEnd,
      durationMs: i.lastEnd - i.start,
      startClipped: i.startClipped,
    };
    if (i.error !== undefined) inc.error = i.error;
    return inc;
  });
  const lat = inWindow.filter((x) => x.up && x.ms !== undefined).map((x) => x.ms!);
  const sorted = [...lat].sort((a, b) => a - b);
  const codes: Record<string, number> = {};
  for (const x of inWindow) if (x.st !== undefined) codes[x.st] = (codes[x.st] ?? 0) + 1;
  const closed = out.filter((i) => i.end !== null && !i.startClipped);
  const failures = out.filter((i) => !i.startClipped).length;
  return {
    samples: inWindow.length,
    upSamples: inWindow.filter((x) => x.up).length,
    upMs,
    downMs,
    degradedMs,
    incidents: out,
    latency: {
      avg: lat.length > 0 ? lat.reduce((a, b) => a + b, 0) / lat.length : null,
      p50: quantile(sorted, 0.5),
      p95: quantile(sorted, 0.95),
      p99: quantile(sorted, 0.99),
    },
    statusCodes: codes,
    mttrMs: closed.length > 0 ? closed.reduce((a, i) => a + i.durationMs, 0) / closed.length : null,
    mtbfMs: failures > 0 ? upMs / failures : null,
  };
}

/** CPU p95 over the window and the covered time above a threshold. */
export function oracleCpu(
  cpu: { t: number; v: number }[],
  o: OracleOptions,
  threshold: number,
): { p95: number | null; aboveMs: number } {
  const values = cpu.filter((x) => x.t >= o.from && x.t < o.to).map((x) => x.v);
  let aboveMs = 0;
  for (let i = 0; i < cpu.length; i++) {
    const x = cpu[i];
    if (!(x.v > threshold)) continue;
    const next = cpu[i + 1];
    const end = next && next.t - x.t <= o.gapMs ? next.t : x.t + o.intervalMs;
    const s = Math.max(x.t, o.from);
    const e = Math.min(end, o.to);
    if (e > s) aboveMs += e - s;
  }
  return {
    p95: quantile(
      values.sort((a, b) => a - b),
      0.95,
    ),
    aboveMs,
  };
}
