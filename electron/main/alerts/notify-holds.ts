import type { Target } from '../../../shared/config-schema';
import { DOWN_RULE, downKey, type KeyState } from './alert-state';
import { mutedUntil } from './control-file';
import { activeMaintenance } from './maintenance';
import type { Tick } from './tick';
import { isSloKey } from '../slo/slo-alerts';

/** The root-most target up the dependsOn chain that is down: the likely cause. */
export function downAncestor(
  id: string,
  targets: ReadonlyMap<string, Target>,
  keys: Readonly<Record<string, KeyState>>,
): Target | undefined {
  const visited = new Set<string>([id]);
  let found: Target | undefined;
  let cur = targets.get(id)?.dependsOn;
  while (cur !== undefined && !visited.has(cur)) {
    visited.add(cur);
    const parent = targets.get(cur);
    if (!parent) break;
    if (keys[downKey(cur)]?.state === 'crit') found = parent;
    cur = parent.dependsOn;
  }
  return found;
}

/** Why a key must not notify now, or undefined when it may. */
export function holdReason(
  k: KeyState,
  tick: Tick,
  keys: Readonly<Record<string, KeyState>>,
): string | undefined {
  const m = activeMaintenance(tick.config.maintenance, tick.t, k.target);
  if (m) return `maintenance: ${m.name}`;
  if (mutedUntil(tick.control, tick.t, k.target) > 0) return 'muted';
  if (k.target !== undefined) {
    // While a target's checks fail, its up/down rule speaks for it; a latency rule that
    // fires on the first timeout would only race it.
    const down = keys[downKey(k.target)];
    // Burn-rate pages are the budget's own news and are exempt.
    if (k.rule !== DOWN_RULE && !isSloKey(k) && down && (down.state === 'crit' || down.runs.c > 0))
      return 'target is down';
    const parent = downAncestor(k.target, tick.targets, keys);
    if (parent) return `depends on ${parent.name}, which is down`;
  }
  return undefined;
}

/** The incident log says why a transition was not notified (dependency, mute, ...). */
export function explainHeld(tick: Tick, keys: Readonly<Record<string, KeyState>>): void {
  tick.events.forEach((e, i) => {
    if (e.from === e.to || e.from === 'unknown') return;
    const k = tick.eventKeys[i];
    const reason = holdReason(k, tick, keys) ?? (k.flapping ? 'flapping' : undefined);
    if (reason !== undefined) e.message += ` (not notified: ${reason})`;
  });
}
