import type { Rule, Target } from '../../../shared/config-schema';
import { DOWN_RULE, type KeyState } from './alert-state';
import { formatDuration, formatValue } from './format';
import type { Level, MachineState } from './hysteresis';
import { thresholdFor } from './threshold';
import { SLO_RULE } from '../slo/slo-alerts';

/** What a notification calls a key: `API`, `API latency`, or a system rule's name. */
export function subject(
  k: KeyState,
  targets: ReadonlyMap<string, Target>,
  rules: readonly Rule[],
): string {
  if (k.target !== undefined) {
    const name = targets.get(k.target)?.name ?? k.target;
    if (k.rule === DOWN_RULE) return name;
    if (k.rule === SLO_RULE) return `${name} ${k.series ?? 'availability'} SLO`;
    const rule = rules.find((r) => r.id === k.rule);
    return `${name} ${rule?.name ?? k.rule}`;
  }
  const rule = rules.find((r) => r.id === k.rule);
  return rule?.name ?? k.rule;
}

/** A target's up/down transition; `k` already holds the new state. */
export function downMessage(
  target: Target,
  k: KeyState,
  c: {
    from: MachineState;
    prevSince: number;
    err?: string;
    ms?: number;
    checks: number;
    t: number;
  },
): string {
  const name = target.name;
  if (k.state === 'crit')
    return `${name} is down: ${c.err ?? 'no response'} (${c.checks} failed ${
      c.checks === 1 ? 'check' : 'checks'
    })`;
  const latency = c.ms !== undefined ? ` (${formatValue(c.ms)} ms)` : '';
  if (c.from === 'unknown') return `${name} is up${latency}`;
  if (k.gap)
    return `${name} recovered while OpsPulse was not running (no checks for ${formatDuration(
      k.gap.to - k.gap.from,
    )})${latency}`;
  return `${name} is back up${latency}, was down for ${formatDuration(c.t - c.prevSince)}`;
}

/** A threshold rule's transition on one series; `k` already holds the new state. */
export function ruleMessage(rule: Rule, k: KeyState, from: MachineState, t: number): string {
  const label = rule.name ?? rule.id;
  const series = k.series ?? rule.series;
  const value = k.value !== undefined ? formatValue(k.value) : '?';
  if (from === 'unknown' && k.state === 'ok')
    return `${label}: ${series} is ${value}, within limits`;
  if (k.state === 'ok' || k.state === 'unknown') {
    const gap = k.gap
      ? `, while OpsPulse was not running (no checks for ${formatDuration(k.gap.to - k.gap.from)})`
      : '';
    return `${label}: ${series} back to normal at ${value}${gap}`;
  }
  const level: Level = k.state === 'crit' ? 2 : 1;
  const threshold = thresholdFor(rule, level);
  const over =
    rule.forSec > 0 ? ` for ${formatDuration(t - (level === 2 ? k.runs.cs : k.runs.ws))}` : '';
  return `${label}: ${series} is ${value} (${k.state} ${rule.op} ${
    threshold !== undefined ? formatValue(threshold) : '?'
  })${over}`;
}

export function flappingMessage(subject: string, changes: number, windowMs: number): string {
  return `${subject} is flapping: ${changes} changes in ${formatDuration(
    windowMs,
  )}; notifications held until it settles`;
}

export function settledMessage(subject: string, state: MachineState, stableMs: number): string {
  return `${subject} stopped flapping; ${state} for ${formatDuration(stableMs)}`;
}
