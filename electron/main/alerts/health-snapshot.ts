import type { Config, Rule, Target } from '../../../shared/config-schema';
import {
  verdictOf,
  verdictRank,
  worstOf,
  type HealthSnapshot,
  type TargetHealth,
  type Verdict,
} from '../../../shared/health';
import { DOWN_RULE, type AlertState, type KeyState } from './alert-state';
import { mutedUntil, type AlertControl } from './control-file';
import { describeFigure, describeSystem, formatDuration, formatValue } from './format';
import { thresholdFor } from './threshold';
import { activeMaintenance } from './maintenance';
import { downAncestor } from './notify-holds';
import { summarize } from './summarize';

/** Pseudo-target ids in snapshots; they cannot clash with real ids (no `@` allowed there). */
export const SYSTEM_ID = '@system';
export const STORAGE_ID = '@storage';
export const COLLECTOR_ID = '@collector';

/** Whether the store's writes succeed, as it last reported. */
export interface StorageHealth {
  ok: boolean;
  error?: string;
}

export interface SnapshotInput {
  config: Config;
  state: AlertState;
  control: AlertControl;
  storage: StorageHealth;
  t: number;
}

/**
 * Health at time `t` for the tray, the dashboard and `opspulse status`: every configured
 * target (with why it is not ok, or why it is not judged), the system rules as one
 * pseudo-target, storage while its writes fail, and the overall state and summary line.
 */
export function healthSnapshot(input: SnapshotInput): HealthSnapshot {
  const { config, state, control, storage, t } = input;
  const enabled = new Map(config.targets.filter((x) => x.enabled).map((x) => [x.id, x]));
  const byTarget = new Map<string, KeyState[]>();
  for (const k of Object.values(state.keys)) {
    if (k.target === undefined) continue;
    const list = byTarget.get(k.target);
    if (list) list.push(k);
    else byTarget.set(k.target, [k]);
  }
  const targets: TargetHealth[] = config.targets.map((target) =>
    targetHealth(target, byTarget.get(target.id) ?? [], enabled, input),
  );
  const system = systemHealth(input);
  if (system) targets.push(system);
  if (!storage.ok)
    targets.push({
      id: STORAGE_ID,
      name: 'Storage',
      state: 'crit',
      figure: 'writes failing',
      reason: storage.error,
    });
  if (state.collectorError !== undefined)
    targets.push({
      id: COLLECTOR_ID,
      name: 'Collector',
      state: 'warn',
      figure: 'not keeping up',
      reason: state.collectorError,
    });
  const globalMute = control.mutedUntil > t ? control.mutedUntil : undefined;
  const { overall, summary } = summarize(targets, {
    paused: control.paused,
    mutedUntil: globalMute,
    now: t,
  });
  for (const h of targets) h.verdict ??= verdictOf(h);
  const snap: HealthSnapshot = {
    t,
    overall,
    verdict: overallVerdict(targets, overall),
    summary,
    targets,
    paused: control.paused,
  };
  if (globalMute !== undefined) snap.mutedUntil = globalMute;
  return snap;
}

function targetHealth(
  target: Target,
  keys: KeyState[],
  enabled: ReadonlyMap<string, Target>,
  { config, state, control, t }: SnapshotInput,
): TargetHealth {
  const h: TargetHealth = { id: target.id, name: target.name, state: 'unknown', figure: '' };
  const lastT = state.seen[target.id];
  if (lastT !== undefined) h.lastT = lastT;
  const ts = state.last?.tg[target.id];
  h.figure = ts ? describeFigure(ts) : 'no data';
  if (control.paused) return { ...h, state: 'paused', reason: 'paused' };
  if (!target.enabled) return { ...h, state: 'paused', reason: 'disabled' };
  const m = activeMaintenance(config.maintenance, t, target.id);
  if (m) return { ...h, state: 'paused', reason: `maintenance: ${m.name}` };
  const staleMs = config.alerts.staleAfterTicks * config.interval * 1000;
  if (lastT === undefined) return { ...h, state: 'unknown', reason: 'no data yet' };
  if (t - lastT > staleMs)
    return {
      ...h,
      state: 'unknown',
      since: lastT,
      reason: `no data for ${formatDuration(t - lastT)}`,
    };

  const down = keys.find((k) => k.rule === DOWN_RULE);
  h.state = worstOf(
    keys.map((k) => k.state),
    'unknown',
  );
  const notes: string[] = [];
  const parent = downAncestor(target.id, enabled, state.keys);
  if (parent) notes.push(`depends on ${parent.name}, which is down`);
  const driver = keys.find((k) => k.state === h.state && k.state !== 'ok');
  h.since = stateSince(keys, h.state);
  if (h.state === 'crit') h.verdict = down?.state === 'crit' ? 'down' : 'critical';
  const rule =
    driver && driver !== down ? config.rules.find((r) => r.id === driver.rule) : undefined;
  if (driver && rule && !parent) notes.push(breachText(rule, driver));
  else if (driver && driver !== down && !parent) notes.push(driver.message);
  if (down?.state === 'unknown' && h.state === 'unknown') notes.push('checking');
  if (keys.some((k) => k.flapping)) notes.push('flapping');
  const muted = mutedUntil(control, t, target.id);
  if (muted > 0 && muted !== control.mutedUntil)
    notes.push(`muted for ${formatDuration(muted - t)}`);
  if (notes.length > 0) h.reason = notes.join('; ');
  return h;
}

function systemHealth({ config, state, control, t }: SnapshotInput): TargetHealth | null {
  const sysRules = config.rules.filter((r) => r.enabled && !r.series.startsWith('tg.'));
  if (sysRules.length === 0) return null;
  const keys = Object.values(state.keys).filter(
    (k) => k.target === undefined && sysRules.some((r) => r.id === k.rule),
  );
  const h: TargetHealth = {
    id: SYSTEM_ID,
    name: 'System',
    state: 'unknown',
    figure: state.last?.sys ? describeSystem(state.last.sys) : 'no data',
  };
  if (state.last) h.lastT = state.last.t;
  if (control.paused) return { ...h, state: 'paused', reason: 'paused' };
  const m = activeMaintenance(config.maintenance, t, undefined);
  if (m) return { ...h, state: 'paused', reason: `maintenance: ${m.name}` };
  if (keys.length === 0) return { ...h, reason: 'no data yet' };
  h.state = worstOf(keys.map((k) => (k.state === 'unknown' ? 'ok' : k.state)));
  const bad = keys.filter((k) => k.state === 'warn' || k.state === 'crit');
  if (bad.length > 0) h.reason = bad.map((k) => k.message).join('; ');
  return h;
}

/**
 * When the target entered its current state: the earliest change into it among the keys
 * holding it, or, when all is well, the latest change (the last recovery).
 */
function stateSince(keys: readonly KeyState[], state: TargetHealth['state']): number | undefined {
  let out: number | undefined;
  for (const k of keys) {
    if (state === 'ok') out = out === undefined ? k.since : Math.max(out, k.since);
    else if (k.state === state) out = out === undefined ? k.since : Math.min(out, k.since);
  }
  return out;
}

/** "slow: 6120 ms > 5000 ms": the rule, the value and the threshold it broke, with units. */
function breachText(rule: Rule, k: KeyState): string {
  const unit = /\.(ms|ttfb)$/.test(k.series ?? rule.series) ? ' ms' : '';
  const threshold = thresholdFor(rule, k.state === 'crit' ? 2 : 1);
  const value = k.value === undefined ? '?' : formatValue(k.value);
  const limit = threshold === undefined ? '' : ` ${rule.op} ${formatValue(threshold)}${unit}`;
  return `${rule.name ?? rule.id}: ${value}${unit}${limit}`;
}

/** Down when any counting target is down; otherwise the worst verdict, paused ones aside. */
function overallVerdict(targets: readonly TargetHealth[], overall: TargetHealth['state']): Verdict {
  if (overall === 'paused' || overall === 'ok' || overall === 'unknown')
    return verdictOf({ state: overall });
  let worst: Verdict = 'ok';
  for (const h of targets) {
    const v = verdictOf(h);
    if (v !== 'paused' && verdictRank(v) > verdictRank(worst)) worst = v;
  }
  return worst;
}
