/**
 * The forecast bench (issue 15): generated disk/memory traces with known exhaustion
 * times — linear and accelerating fills, daily cycles, cron bursts, log-rotation drops —
 * for true horizons of 1–14 days, and traces that never fill (flat, cycles only,
 * rotation that keeps up, a fill that stopped). Prints the time-to-full error per kind
 * and overall (budget: median ≤ 20 %), and forecast alarms on the never-filling traces
 * (budget: none).
 */
import { timeToFull, type Point } from '../../electron/main/forecast/time-to-full';
import { median, quantile } from '../stats';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const STEP = MIN;
/** History before the forecast is asked for. */
const HISTORY_DAYS = 8;
const HORIZONS = [1, 2, 3, 5, 7, 10, 14];
/** A "full within this many days" forecast on a never-filling trace is a false alarm. */
const ALARM_DAYS = 30;
const CAPACITY = 100;
const T0 = Date.UTC(2026, 2, 2);

/** A repeatable noise source (an LCG), so the figures do not change between runs. */
function noise(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31 - 0.5;
  };
}

type Shape = (t: number) => number;

/** The first time (≥ the history's end) a shape reaches capacity, scanning minute by minute. */
function trueFull(shape: Shape, from: number, limitDays: number): number {
  for (let t = from; t < from + limitDays * DAY; t += STEP) if (shape(t) >= CAPACITY) return t;
  return Infinity;
}

interface Trace {
  readonly kind: string;
  readonly shape: Shape;
  readonly noise: number;
}

const cycle =
  (amp: number): Shape =>
  (t) =>
    amp * Math.sin((2 * Math.PI * (t - T0)) / DAY);
const burst: Shape = (t) =>
  ((t - T0) % HOUR < 5 * MIN ? 1.5 : 0) + ((t - T0) % DAY < 30 * MIN ? 3 : 0);
/** Growth `g` per day, rotated at 03:00 by `drop` (a sawtooth). */
const rotation =
  (g: number, drop: number): Shape =>
  (t) => {
    const d = (t - T0 - 3 * HOUR) / DAY;
    return g * d - drop * Math.max(0, Math.floor(d) + 1);
  };

/** Filling traces built to be full `h` days after the history ends. */
function fillingTraces(h: number): Trace[] {
  const end = HISTORY_DAYS + h;
  const base = 20;
  const r = (CAPACITY - base) / end;
  const lin: Shape = (t) => base + r * ((t - T0) / DAY);
  return [
    { kind: 'linear', shape: lin, noise: 0.5 },
    { kind: 'linear + daily cycle', shape: (t) => lin(t) + cycle(4)(t), noise: 0.5 },
    { kind: 'linear + cron bursts', shape: (t) => lin(t) + burst(t), noise: 0.5 },
    {
      kind: 'log rotation, net growth',
      shape: (t) => base + rotation(2.5 * r, 1.5 * r)(t),
      noise: 0.3,
    },
    {
      kind: 'accelerating',
      shape: (t) => base + (CAPACITY - base) * ((t - T0) / DAY / end) ** 2,
      noise: 0.3,
    },
    { kind: 'memory leak (noisy)', shape: lin, noise: 3 },
  ];
}

const NEVER: Trace[] = [
  { kind: 'flat', shape: () => 55, noise: 1 },
  { kind: 'daily cycle', shape: (t) => 60 + cycle(15)(t), noise: 1 },
  { kind: 'cron bursts', shape: (t) => 50 + burst(t), noise: 1 },
  { kind: 'log rotation that keeps up', shape: (t) => 40 + rotation(8, 8)(t), noise: 0.5 },
  {
    kind: 'fill that stopped 2 days ago',
    shape: (t) => 30 + 8 * Math.min((t - T0) / DAY, HISTORY_DAYS - 2),
    noise: 0.5,
  },
  { kind: 'slow growth (years)', shape: (t) => 40 + 0.05 * ((t - T0) / DAY), noise: 0.5 },
];

function sample(trace: Trace, seed: number): Point[] {
  const rand = noise(seed);
  const out: Point[] = [];
  for (let t = T0; t <= T0 + HISTORY_DAYS * DAY; t += STEP) {
    out.push({ t, v: Math.min(CAPACITY, trace.shape(t) + trace.noise * 2 * rand()) });
  }
  return out;
}

export interface ForecastBenchResult {
  readonly medianError: number;
  readonly falseAlarms: number;
  readonly unanswered: number;
}

export function runForecastBench(log: (line: string) => void = console.log): ForecastBenchResult {
  const now = T0 + HISTORY_DAYS * DAY;
  const errors: number[] = [];
  const byKind = new Map<string, number[]>();
  let unanswered = 0;
  let seed = 1;
  let us = 0;
  let calls = 0;
  for (const h of HORIZONS) {
    for (const trace of fillingTraces(h)) {
      const truth = (trueFull(trace.shape, now, 60) - now) / DAY;
      const points = sample(trace, seed++);
      const t0 = performance.now();
      const f = timeToFull(points, CAPACITY, now);
      us += (performance.now() - t0) * 1000;
      calls++;
      if (f.kind !== 'full') {
        unanswered++;
        log(`  ${trace.kind}, true ${truth.toFixed(2)} d: no forecast (${f.kind})`);
        errors.push(Infinity);
        continue;
      }
      const err = Math.abs(f.days - truth) / truth;
      errors.push(err);
      const list = byKind.get(trace.kind) ?? [];
      list.push(err);
      byKind.set(trace.kind, list);
    }
  }
  log(
    `Time to full on ${errors.length} filling traces (true horizons ${HORIZONS.join(', ')} days):`,
  );
  for (const [kind, list] of byKind) {
    log(
      `  ${kind.padEnd(28)} median error ${(median(list) * 100).toFixed(1)} %, worst ${(Math.max(...list) * 100).toFixed(1)} %`,
    );
  }
  const medianError = median(errors);
  log(
    `  all: median error ${(medianError * 100).toFixed(1)} % (budget <= 20 %, ratio ${(medianError / 0.2).toFixed(2)}), ` +
      `p90 ${(quantile(errors, 0.9) * 100).toFixed(1)} %, no forecast on ${unanswered}  ${medianError <= 0.2 ? 'ok' : 'OVER BUDGET'}`,
  );

  let falseAlarms = 0;
  log(`Never-filling traces (an alarm: "full within ${ALARM_DAYS} days"):`);
  for (const trace of NEVER) {
    const f = timeToFull(sample(trace, seed++), CAPACITY, now);
    const alarm = f.kind === 'full' && f.days <= ALARM_DAYS;
    if (alarm) falseAlarms++;
    const said =
      f.kind === 'full'
        ? `full in ${f.days.toFixed(1)} d`
        : f.kind === 'not-filling'
          ? `not filling (${f.ratePerDay.toFixed(2)}/day)`
          : `${f.kind}: ${f.reason}`;
    log(`  ${trace.kind.padEnd(28)} ${said}${alarm ? '  FALSE ALARM' : ''}`);
  }
  log(`  false alarms: ${falseAlarms} (budget 0)  ${falseAlarms === 0 ? 'ok' : 'OVER BUDGET'}`);
  log(
    `  cost: ${(us / calls / 1000).toFixed(2)} ms per forecast over ${HISTORY_DAYS} days of minute samples`,
  );
  return { medianError, falseAlarms, unanswered };
}
