import type { AlertEvent } from '../../../shared/events';
import type { HealthState } from '../../../shared/health';
import type { Sample } from '../../../shared/sample';
import { flattenSample, parseTargetSeries } from '../../../shared/series';
import {
  downMessage,
  flappingMessage,
  ruleMessage,
  settledMessage,
  subject,
} from './alert-messages';
import { DOWN_RULE, downKey, newKeyState, type AlertState, type KeyState } from './alert-state';
import { step, type Hysteresis, type Level, type MachineState } from './hysteresis';
import { levelFor, seriesMatcher } from './threshold';
import type { Tick } from './tick';
import { isSloKey } from '../slo/slo-alerts';

/**
 * Judges one sample: steps the up/down rule of every enabled target and every matching
 * threshold rule through the hysteresis state machine, watches for flapping, and records
 * each transition in `tick.events`. Keys of targets or rules no longer configured are
 * dropped first, so they neither linger in snapshots nor notify.
 */
export function evaluateSample(state: AlertState, sample: Sample, tick: Tick): void {
  pruneKeys(state, tick);
  evaluateTargets(state, sample, tick);
  evaluateRules(state, sample, tick);
  settleFlapping(state, tick);
  state.lastT = tick.t;
}

function pruneKeys(state: AlertState, tick: Tick): void {
  const rules = new Map(tick.config.rules.filter((r) => r.enabled).map((r) => [r.id, r]));
  for (const [key, k] of Object.entries(state.keys)) {
    // Burn-rate keys follow the objectives (slo/slo-alerts.ts prunes them).
    if (isSloKey(k)) continue;
    const targetGone = k.target !== undefined && !tick.targets.has(k.target);
    const rule = rules.get(k.rule);
    const ruleGone =
      k.rule !== DOWN_RULE &&
      (rule === undefined || k.series === undefined || !seriesMatcher(rule.series)(k.series));
    if (targetGone || ruleGone) delete state.keys[key];
  }
  for (const id of Object.keys(state.seen)) if (!tick.targets.has(id)) delete state.seen[id];
}

function evaluateTargets(state: AlertState, sample: Sample, tick: Tick): void {
  const h: Hysteresis = {
    fireSamples: tick.config.alerts.downAfter,
    fireMs: 0,
    recoverSamples: tick.config.alerts.upAfter,
  };
  for (const target of tick.targets.values()) {
    const ts = sample.tg[target.id];
    if (!ts) continue;
    state.seen[target.id] = tick.t;
    const k = (state.keys[downKey(target.id)] ??= newKeyState(DOWN_RULE, tick.t, target.id));
    const observed: Level = ts.up === 1 ? 0 : 2;
    if (ts.ms !== undefined) k.value = ts.ms;
    else delete k.value;
    advance(k, observed, h, tick, (from, prevSince) =>
      downMessage(target, k, {
        from,
        prevSince,
        err: ts.err,
        ms: ts.ms,
        checks: h.fireSamples,
        t: tick.t,
      }),
    );
  }
}

function evaluateRules(state: AlertState, sample: Sample, tick: Tick): void {
  const rules = tick.config.rules.filter((r) => r.enabled);
  if (rules.length === 0) return;
  const values = flattenSample(sample);
  for (const rule of rules) {
    const matches = seriesMatcher(rule.series);
    const h: Hysteresis = {
      fireSamples: rule.forSamples,
      fireMs: rule.forSec * 1000,
      recoverSamples: rule.recoverSamples,
    };
    for (const [series, value] of values) {
      if (!matches(series)) continue;
      const target = parseTargetSeries(series)?.id;
      if (target !== undefined && !tick.targets.has(target)) continue;
      const key = `rule:${rule.id}:${series}`;
      const k = (state.keys[key] ??= newKeyState(rule.id, tick.t, target, series));
      k.value = value;
      const observed = levelFor(rule, value);
      advance(k, observed, h, tick, (from) => ruleMessage(rule, k, from, tick.t));
    }
  }
}

/** Steps one key; on a change records the event and watches for flapping. */
function advance(
  k: KeyState,
  observed: Level,
  h: Hysteresis,
  tick: Tick,
  message: (from: MachineState, prevSince: number) => string,
): void {
  if (observed > 0) delete k.gap;
  else if (tick.gap && k.state !== 'ok' && k.state !== 'unknown') k.gap = tick.gap;
  const from = k.state;
  const next = step(from, k.runs, observed, tick.t, h);
  k.runs = next.runs;
  if (next.state === from) return;
  const prevSince = k.since;
  k.state = next.state;
  k.message = message(from, prevSince);
  k.since = tick.t;
  if (k.state === 'ok') delete k.gap;
  record(tick, k, from, k.message);
  // A first verdict is not a change of mind; only later changes count towards flapping.
  if (from === 'unknown') return;
  const { windowSec, changes } = tick.config.alerts.flap;
  k.changes = [...k.changes.filter((c) => c > tick.t - windowSec * 1000), tick.t];
  if (!k.flapping && k.changes.length > changes) {
    k.flapping = true;
    k.flapNotified = false;
    const name = subject(k, tick.targets, tick.config.rules);
    record(tick, k, k.state, flappingMessage(name, k.changes.length, windowSec * 1000));
  }
}

function settleFlapping(state: AlertState, tick: Tick): void {
  const windowMs = tick.config.alerts.flap.windowSec * 1000;
  for (const k of Object.values(state.keys)) {
    if (!k.flapping || tick.t - k.since < windowMs) continue;
    k.flapping = false;
    k.changes = [];
    const name = subject(k, tick.targets, tick.config.rules);
    record(tick, k, k.state, settledMessage(name, k.state, tick.t - k.since));
  }
}

function record(tick: Tick, k: KeyState, from: HealthState, message: string): void {
  const e: AlertEvent = { t: tick.t, rule: k.rule, from, to: k.state, message };
  if (k.target !== undefined) e.target = k.target;
  if (k.value !== undefined) e.value = k.value;
  tick.events.push(e);
  tick.eventKeys.push(k);
}
