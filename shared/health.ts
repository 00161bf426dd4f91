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
  /** Unix ms of the latest sample for this target. */
  lastT?: number;
}

export interface HealthSnapshot {
  t: number;
  overall: HealthState;
  /** One line for the tray tooltip. */
  summary: string;
  targets: TargetHealth[];
  paused: boolean;
  /** Unix ms until which notifications are muted, if they are. */
  mutedUntil?: number;
}
