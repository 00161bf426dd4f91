import type { HealthState } from '../../../shared/health';

/** What one sample says on its own: 0 ok, 1 warn, 2 crit. */
export type Level = 0 | 1 | 2;

/**
 * Consecutive-sample runs a rule needs to decide. Kept as a plain object so it persists
 * as JSON with the rest of the alert state.
 */
export interface Runs {
  /** Samples in a row at warn or worse, and the time of the first of them. */
  w: number;
  ws: number;
  /** Samples in a row at crit, and the time of the first of them. */
  c: number;
  cs: number;
  /** Samples in a row at ok. */
  o: number;
  /** Samples in a row at warn or better. */
  ow: number;
}

export interface Hysteresis {
  /** Consecutive samples past a level before the state rises to it. */
  fireSamples: number;
  /** And at least this long since the first of them. */
  fireMs: number;
  /** Consecutive samples at a better level before the state falls to it. */
  recoverSamples: number;
}

export type MachineState = Extract<HealthState, 'ok' | 'warn' | 'crit' | 'unknown'>;

export function emptyRuns(): Runs {
  return { w: 0, ws: 0, c: 0, cs: 0, o: 0, ow: 0 };
}

const LEVEL_STATE: Record<Level, MachineState> = { 0: 'ok', 1: 'warn', 2: 'crit' };

function levelOf(state: MachineState): number {
  return state === 'unknown' ? -1 : state === 'ok' ? 0 : state === 'warn' ? 1 : 2;
}

/**
 * One step of the state machine shared by the up/down rule and threshold rules: a state
 * rises only after `fireSamples` samples (and `fireMs`) at that level or worse, and falls
 * only after `recoverSamples` samples at a better level, so a single bad or good sample
 * never flips it. A rule with no verdict yet (unknown) takes its first good sample as ok.
 */
export function step(
  state: MachineState,
  runs: Runs,
  observed: Level,
  t: number,
  h: Hysteresis,
): { state: MachineState; runs: Runs } {
  const r: Runs = { ...runs };
  if (observed >= 1) {
    if (r.w === 0) r.ws = t;
    r.w++;
  } else r.w = 0;
  if (observed >= 2) {
    if (r.c === 0) r.cs = t;
    r.c++;
  } else r.c = 0;
  r.o = observed === 0 ? r.o + 1 : 0;
  r.ow = observed <= 1 ? r.ow + 1 : 0;

  const cur = levelOf(state);
  const fired = (n: number, since: number): boolean => n >= h.fireSamples && t - since >= h.fireMs;
  let next: MachineState = state;
  if (fired(r.c, r.cs) && cur < 2) next = LEVEL_STATE[2];
  else if (fired(r.w, r.ws) && cur < 1) next = LEVEL_STATE[1];
  else if (cur === 2 && r.ow >= h.recoverSamples)
    next = r.o >= h.recoverSamples ? LEVEL_STATE[0] : LEVEL_STATE[1];
  else if (cur === 1 && r.o >= h.recoverSamples) next = LEVEL_STATE[0];
  else if (cur === -1 && observed === 0) next = LEVEL_STATE[0];
  return { state: next, runs: r };
}
