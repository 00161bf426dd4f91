import { SampleStore } from '../../electron/main/store/sample-store';
import type { Sample, TargetSample } from '../../shared/sample';

/**
 * The differential suite's history: 62 days at a 30 s interval (about 180,000 ticks) with
 * scripted outages from 10 s to 3 h, collector restarts (the store closed and reopened
 * after a gap) inside outages and outside, a target added on day 40, a clock stepping
 * forward 7 minutes, CPU spikes, slow (degraded) probes and several status codes and error
 * texts. Raw is kept for the whole range. Deterministic: a seeded generator.
 */
export const INTERVAL_MS = 30_000;
export const DAY = 86_400_000;
export const HOUR = 3_600_000;
export const MIN = 60_000;
/** 2026-10-01T00:00Z. */
export const END = Date.UTC(2026, 9, 1);
export const DAYS = 62;
export const START = END - DAYS * DAY;
export const LATE_FROM = START + 40 * DAY + 7 * HOUR + 13 * MIN;
export const DEGRADED_MS = 150;

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Span {
  from: number;
  to: number;
}

/** Outage lengths cycled through, 10 s to 3 h. */
const OUTAGES = [10_000, 45_000, 90_000, 20_000, 5 * MIN, 38_000, 20 * MIN, HOUR, 3 * HOUR];

export interface Script {
  api: Span[];
  db: Span[];
  late: Span[];
  /** Collector stopped: no samples in [from, to); the store is closed and reopened. */
  restarts: Span[];
  /** The clock jumps forward by `to - from` at `from`. */
  clockStep: Span;
}

export function script(): Script {
  const r = rng(42);
  const api: Span[] = [];
  const restarts: Span[] = [];
  let t = START + 5 * HOUR + 7_000;
  for (let i = 0; t < END - 2 * DAY; i++) {
    const len = OUTAGES[i % OUTAGES.length];
    api.push({ from: t, to: t + len });
    // A restart inside some outages: 2-4 min (a gap under the incident gap) or 12 min (over).
    if (len >= 5 * MIN && i % 2 === 0) {
      const at = t + Math.floor(len / 3);
      const gap = i % 4 === 0 ? 12 * MIN : (2 + Math.floor(r() * 3)) * MIN;
      restarts.push({ from: at, to: at + gap });
    }
    if (len === 90_000) restarts.push({ from: t + 20_000, to: t + 42_000 + 2 * MIN });
    t += 13 * HOUR + Math.floor(r() * 9 * HOUR);
  }
  // Restarts while everything is up, one of them across midnight.
  for (const d of [3, 11, 19, 27, 44, 51])
    restarts.push({
      from: START + d * DAY - 10 * MIN + d * 1000,
      to: START + d * DAY + 25 * MIN + d * 1000,
    });
  restarts.sort((a, b) => a.from - b.from);
  const db: Span[] = [];
  for (let d = 2; d < DAYS - 1; d += 5)
    db.push({
      from: START + d * DAY + 9 * HOUR + 3_000,
      to: START + d * DAY + 9 * HOUR + 3_000 + (d % 3 === 0 ? 2 * HOUR : 70_000),
    });
  const late: Span[] = [];
  for (let d = 41; d < DAYS - 1; d += 3)
    late.push({ from: START + d * DAY + 14 * HOUR, to: START + d * DAY + 14 * HOUR + 6 * MIN });
  const clockStep = {
    from: START + 30 * DAY + 11 * HOUR + 2 * MIN,
    to: START + 30 * DAY + 11 * HOUR + 9 * MIN,
  };
  return { api, db, late, restarts, clockStep };
}

const inAny = (spans: Span[], t: number): boolean => spans.some((s) => t >= s.from && t < s.to);

/** Writes the history through the real store (live rollups, restarts included). */
export async function writeHistory(dataDir: string, s: Script): Promise<number> {
  const r = rng(7);
  const retention = { rawDays: 400, minuteDays: 400, hourDays: 1825 };
  // As the monitor does: the target's degraded latency, read as samples arrive.
  const opts = {
    retention,
    now: () => END,
    degradedMs: (id: string) => (id === 'api' ? DEGRADED_MS : undefined),
  };
  let store = await SampleStore.open(dataDir, opts);
  let restartAt = 0;
  let count = 0;
  let stepped = false;
  let t = START;
  while (t < END) {
    const restart = s.restarts[restartAt];
    if (restart && t >= restart.from) {
      await store.close();
      store = await SampleStore.open(dataDir, opts);
      t = restart.to + Math.floor(r() * 400);
      restartAt++;
      continue;
    }
    if (!stepped && t >= s.clockStep.from) {
      t += s.clockStep.to - s.clockStep.from;
      stepped = true;
    }
    const slow = r() < 0.04;
    const tg: Record<string, TargetSample> = {};
    if (inAny(s.api, t)) {
      const refused = (Math.floor(t / HOUR) & 1) === 0;
      tg.api = refused
        ? { up: 0, err: 'connection refused (127.0.0.1:8080)' }
        : {
            up: 0,
            ms: 2 + r() * 3,
            st: r() < 0.8 ? 503 : 500,
            err: r() < 0.5 ? 'HTTP 503' : '$.status is "degraded"',
          };
    } else {
      const ms = slow ? 160 + r() * 300 : 20 + Math.exp(r() * 2.5) * 4;
      tg.api = { up: 1, ms: Math.round(ms * 1000) / 1000, st: r() < 0.002 ? 204 : 200 };
    }
    tg.db = inAny(s.db, t)
      ? { up: 0, err: 'connection refused (127.0.0.1:5432)' }
      : { up: 1, ms: Math.round((0.5 + r() * 2) * 1000) / 1000 };
    if (t >= LATE_FROM)
      tg.late = inAny(s.late, t)
        ? { up: 0, ms: 9000, st: 504, err: 'HTTP 504' }
        : { up: 1, ms: Math.round((80 + r() * 40) * 1000) / 1000, st: 200 };
    const hour = Math.floor((t - START) / HOUR);
    const spike = hour % 37 < 2;
    const cpu = spike ? 85 + r() * 15 : 20 + 30 * Math.sin(t / 7_200_000) ** 2 + r() * 20;
    const sample: Sample = {
      v: 1,
      t,
      sys: { cpu: Math.round(cpu * 100) / 100, mem: Math.round((55 + r() * 5) * 100) / 100 },
      tg,
    };
    store.append(sample);
    count++;
    t += INTERVAL_MS + Math.floor(r() * 300) - 150;
  }
  await store.close();
  return count;
}
