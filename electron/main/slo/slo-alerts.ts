import type { AlertEvent } from '../../../shared/events';
import type { SloIndicator, TargetSlo } from '../../../shared/slo';
import { newKeyState, type AlertState, type KeyState } from '../alerts/alert-state';
import { formatDuration, formatValue } from '../alerts/format';
import { step, type Hysteresis, type Level } from '../alerts/hysteresis';
import type { Tick } from '../alerts/tick';

/** The rule id of burn-rate alerts; no configured rule can take it (see sloKey). */
export const SLO_RULE = 'slo';

export function sloKey(target: string, sli: string): string {
  return `${SLO_RULE}:${target}:${sli}`;
}

export function isSloKey(k: Pick<KeyState, 'rule'>): boolean {
  return k.rule === SLO_RULE;
}

/**
 * The multiwindow rules already need two windows to agree, so one evaluation fires; a rate
 * hovering at a threshold would flap, so recovery waits for five minutes below it.
 */
const RECOVER_MS = 5 * 60_000;

function hysteresis(intervalSec: number): Hysteresis {
  return {
    fireSamples: 1,
    fireMs: 0,
    recoverSamples: Math.max(1, Math.ceil(RECOVER_MS / (intervalSec * 1000))),
  };
}

const LEVEL: Record<SloIndicator['alert'], Level> = { ok: 0, ticket: 1, page: 2 };

/**
 * Steps one alert key per target and indicator through the engine's state machine: a page
 * is crit, a ticket warn. Transitions land in the tick's events like any rule's, so they
 * are logged, held (maintenance, mutes, quiet hours) and notified the same way.
 */
export function evaluateSlos(state: AlertState, tick: Tick, slos: readonly TargetSlo[]): void {
  const wanted = new Set<string>();
  const h = hysteresis(tick.config.interval);
  const alerting = new Set(tick.config.slos.filter((o) => o.alerts).map((o) => o.target));
  for (const slo of slos) {
    if (!alerting.has(slo.target) || !tick.targets.has(slo.target)) continue;
    for (const ind of slo.indicators) {
      const key = sloKey(slo.target, ind.sli);
      wanted.add(key);
      const k = (state.keys[key] ??= newKeyState(SLO_RULE, tick.t, slo.target, ind.sli));
      const worst = Math.max(ind.burn['1h'] ?? 0, ind.burn['6h'] ?? 0, ind.burn['3d'] ?? 0);
      k.value = Math.round(worst * 10) / 10;
      const from = k.state;
      const next = step(from, k.runs, LEVEL[ind.alert], tick.t, h);
      k.runs = next.runs;
      if (next.state === from) continue;
      k.state = next.state;
      k.since = tick.t;
      k.message = burnMessage(slo.name, ind);
      // A first verdict of "fine" is not news; anything else is a transition to log.
      if (from === 'unknown' && k.state === 'ok') continue;
      const e: AlertEvent = {
        t: tick.t,
        target: slo.target,
        rule: SLO_RULE,
        from,
        to: k.state,
        value: k.value,
        message: k.message,
      };
      tick.events.push(e);
      tick.eventKeys.push(k);
    }
  }
  for (const [key, k] of Object.entries(state.keys))
    if (isSloKey(k) && !wanted.has(key)) delete state.keys[key];
}

function objectiveText(ind: SloIndicator): string {
  const what =
    ind.sli === 'latency'
      ? `${ind.objectivePct} % under ${ind.thresholdMs} ms`
      : `${ind.objectivePct} % up`;
  return `${ind.sli} objective ${what} over ${ind.windowDays} d`;
}

function rate(x: number | null): string {
  return x === null ? '–' : `${formatValue(x)}×`;
}

/** e.g. "API availability objective 99.5 % up over 30 d: burning the error budget 200× …". */
export function burnMessage(name: string, ind: SloIndicator): string {
  const b = ind.burn;
  const left =
    ind.budgetRemaining === null
      ? ''
      : `; ${Math.round(ind.budgetRemaining * 100)} % of the budget left`;
  if (ind.alert === 'page') {
    const fast = (b['1h'] ?? 0) > 14.4 && (b['5m'] ?? 0) > 14.4;
    const [lw, sw] = fast ? (['1h', '5m'] as const) : (['6h', '30m'] as const);
    const worst = Math.max(b['1h'] ?? 0, b['6h'] ?? 0);
    const budgetMs = ind.windowDays * 86_400_000;
    const gone =
      ind.budgetRemaining !== null && ind.budgetRemaining > 0 && worst > 0
        ? `; at this rate the rest is gone in ${formatDuration((ind.budgetRemaining * budgetMs) / worst)}`
        : '';
    return `${name} ${objectiveText(ind)}: error budget burning fast, ${rate(b[lw])} over ${lw} and ${rate(b[sw])} over ${sw} (page)${left}${gone}`;
  }
  if (ind.alert === 'ticket')
    return `${name} ${objectiveText(ind)}: error budget burning, ${rate(b['3d'])} over 3d and ${rate(b['6h'])} over 6h (ticket)${left}`;
  return `${name} ${objectiveText(ind)}: burn rate back within budget (1h ${rate(b['1h'])}, 6h ${rate(b['6h'])})${left}`;
}
