import type { Config, Target } from '../../../shared/config-schema';
import {
  SAMPLE_VERSION,
  toTargetSample,
  type ProbeResult,
  type Sample,
  type SystemSample,
  type TargetSample,
} from '../../../shared/sample';
import { mapLimit } from './map-limit';

export type RunProbe = (target: Target, ctx: { intervalSec: number }) => Promise<ProbeResult>;

export interface SystemSource {
  collect(opts: { slow: boolean }): Promise<SystemSample>;
}

export interface CollectorDeps {
  runProbe: RunProbe;
  /** Absent when system metrics are off or unavailable. */
  system?: SystemSource;
}

/**
 * Builds one sample: system metrics and every enabled target, probed concurrently with
 * the configured cap. A probe that throws despite its contract becomes a down result, so
 * one bad target never costs the others their sample.
 */
export class Collector {
  private tickNo = 0;

  constructor(private readonly deps: CollectorDeps) {}

  async collect(config: Config, t: number): Promise<Sample> {
    const slow = this.tickNo % config.system.slowEvery === 0;
    this.tickNo++;
    const targets = config.targets.filter((x) => x.enabled);
    const sysPromise =
      config.system.enabled && this.deps.system
        ? this.deps.system.collect({ slow }).catch(() => undefined)
        : Promise.resolve(undefined);
    const results = await mapLimit(targets, config.concurrency, (target) =>
      this.deps
        .runProbe(target, { intervalSec: config.interval })
        .catch((err: unknown): ProbeResult => ({
          up: false,
          error: `probe failed: ${String(err)}`,
        })),
    );
    const tg: Record<string, TargetSample> = {};
    targets.forEach((target, i) => {
      tg[target.id] = toTargetSample(results[i]);
    });
    const sample: Sample = { v: SAMPLE_VERSION, t, tg };
    const sys = await sysPromise;
    if (sys) sample.sys = sys;
    return sample;
  }
}
