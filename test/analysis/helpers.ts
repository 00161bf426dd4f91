import {
  ConfigSchema,
  type Config,
  type ConfigInput,
  type TargetInput,
} from '../../shared/config-schema';
import type { Sample, SystemSample, TargetSample } from '../../shared/sample';
import type { AnalysisSource } from '../../electron/main/analysis';

export const MIN = 60_000;
export const HOUR = 60 * MIN;
export const DAY = 24 * HOUR;
/** 2026-01-05T00:00:00Z, a Monday far from any DST change. */
export const T0 = Date.UTC(2026, 0, 5);

/** An in-memory source honouring the store's contract: [from, to), in time order. */
export function arraySource(samples: Sample[]): AnalysisSource & { reads: number } {
  return {
    reads: 0,
    async *read({ from, to }) {
      this.reads++;
      for (const s of samples) if (s.t >= from && s.t < to) yield s;
    },
  };
}

export function config(input: Partial<ConfigInput> = {}): Config {
  return ConfigSchema.parse({ interval: 30, ...input });
}

export function httpTarget(id: string, name = id): TargetInput {
  return { id, name, kind: 'http', url: `http://127.0.0.1/${id}` };
}

/**
 * Samples every `stepMs` in [from, to): `tg` and `sys` are functions of time, so a test
 * states the truth ("down from 10:00 to 10:05") and the expected figures follow from it.
 */
export function series(
  from: number,
  to: number,
  stepMs: number,
  tg: (t: number) => Record<string, TargetSample>,
  sys?: (t: number) => SystemSample | undefined,
): Sample[] {
  const out: Sample[] = [];
  for (let t = from; t < to; t += stepMs) {
    const s: Sample = { v: 1, t, tg: tg(t) };
    const y = sys?.(t);
    if (y) s.sys = y;
    out.push(s);
  }
  return out;
}

export const up = (ms = 10): TargetSample => ({ up: 1, ms, st: 200 });
export const down = (err = 'ECONNREFUSED'): TargetSample => ({ up: 0, err });
