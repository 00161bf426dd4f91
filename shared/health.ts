import type { TargetSlo } from './slo';

/** Health states, worst last. `paused` and `unknown` rank below warn: they mean "no verdict". */
export const HEALTH_STATES = ['ok', 'paused', 'unknown', 'warn', 'crit'] as const;
export type HealthState = (typeof HEALTH_STATES)[number];

const RANK: Record<HealthState, number> = { ok: 0, paused: 1, unknown: 2, warn: 3, crit: 4 };

export function worse(a: HealthState, b: HealthState): HealthState {
  return RANK[a] >= RANK[b] ? a : b;
}

export function worstOf(
  states: Iterable<HealthState>,
  empty: HealthState = 'unknown',
): HealthState {
  let out: HealthState | null = null;
  for (const s of states) out = out === null ? s : worse(out, s);
  return out ?? empty;
}

export interface TargetHealth {
  id: string;
  name: string;
  state: HealthState;
  /** The latest figure shown in the tray menu, e.g. "12 ms" or "down: ECONNREFUSED". */
  figure: string;
  /** Why the state is what it is (the rule that fired, suppression, mute). */
  reason?: string;
  /** Unix ms of the latest sample for this target: its last check. */
  lastT?: number;
  /** What a person reads: Down (no answer) and Critical (answers, but breaks a rule) apart. */
  verdict?: Verdict;
  /** Unix ms of the last change to this state; kept across restarts with the alert state. */
  since?: number;
}

export interface HealthSnapshot {
  t: number;
  overall: HealthState;
  /** The overall state in the one vocabulary (Down when any target is down). */
  verdict?: Verdict;
  /** One line for the tray tooltip. */
  summary: string;
  targets: TargetHealth[];
  paused: boolean;
  /** Unix ms until which notifications are muted, if they are. */
  mutedUntil?: number;
  /** Error budgets and burn rates of the targets with an objective (shared/slo.ts). */
  slos?: TargetSlo[];
}

/**
 * One vocabulary for pill, banner, tray, notifications and CLI. `crit` splits in two: a
 * target that does not answer is Down; one that answers but breaks a critical rule (too
 * slow, a bad metric) is Critical, with its reason.
 */
export const VERDICTS = ['ok', 'paused', 'nodata', 'degraded', 'critical', 'down'] as const;
export type Verdict = (typeof VERDICTS)[number];

export const VERDICT_LABEL: Record<Verdict, string> = {
  ok: 'OK',
  degraded: 'Degraded',
  down: 'Down',
  critical: 'Critical',
  nodata: 'No data',
  paused: 'Paused',
};

const STATE_VERDICT: Record<HealthState, Verdict> = {
  ok: 'ok',
  paused: 'paused',
  unknown: 'nodata',
  warn: 'degraded',
  crit: 'critical',
};

/** The verdict of a target or snapshot; older snapshots without one read crit as Critical. */
export function verdictOf(h: {
  state?: HealthState;
  overall?: HealthState;
  verdict?: Verdict;
}): Verdict {
  if (h.verdict) return h.verdict;
  return STATE_VERDICT[h.state ?? h.overall ?? 'unknown'];
}

/** Worst first: down, critical, degraded, no data, paused, ok. */
export function verdictRank(v: Verdict): number {
  return VERDICTS.indexOf(v);
}
