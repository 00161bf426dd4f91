import type { Config, Target } from '../../../shared/config-schema';
import type { AlertEvent } from '../../../shared/events';
import type { Sample } from '../../../shared/sample';
import type { KeyState } from './alert-state';
import type { AlertControl } from './control-file';

/** Context of one tick, shared by the evaluation, hold and dispatch steps. */
export interface Tick {
  t: number;
  config: Config;
  /** Enabled targets by id. */
  targets: Map<string, Target>;
  control: AlertControl;
  events: AlertEvent[];
  /** The key behind each event, in the same order. */
  eventKeys: KeyState[];
  /** Set when this sample is the first after collection stopped for a while. */
  gap?: { from: number; to: number };
}

/**
 * A tick for `sample`. Silence longer than three intervals, and longer than one interval
 * plus a minute, is a gap: a recovery seen right after it is reported as having happened
 * while nobody watched.
 */
export function startTick(
  sample: Sample,
  config: Config,
  control: AlertControl,
  lastT: number | undefined,
): Tick {
  const t = sample.t;
  const tick: Tick = {
    t,
    config,
    targets: new Map(config.targets.filter((x) => x.enabled).map((x) => [x.id, x])),
    control,
    events: [],
    eventKeys: [],
  };
  const gapMs = Math.max(3 * config.interval * 1000, config.interval * 1000 + 60_000);
  if (lastT !== undefined && t - lastT > gapMs) tick.gap = { from: lastT, to: t };
  return tick;
}
