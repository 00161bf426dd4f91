import fs from 'node:fs';
import path from 'node:path';
import type { Sample } from '../../../shared/sample';
import { readJsonFile, writeJsonAtomic } from './atomic-file';
import { emptyRuns, type MachineState, type Runs } from './hysteresis';

/** The rule id of every target's built-in up/down rule. */
export const DOWN_RULE = 'down';

/** The key of a target's up/down rule in `AlertState.keys`. */
export function downKey(target: string): string {
  return `${DOWN_RULE}:${target}`;
}

/** The persisted state of one rule on one series (or the up/down rule of one target). */
export interface KeyState {
  /** `DOWN_RULE` for the default up/down rule, else the threshold rule's id. */
  rule: string;
  target?: string;
  series?: string;
  state: MachineState;
  /** Unix ms of the last state change. */
  since: number;
  runs: Runs;
  /** The latest value seen. */
  value?: number;
  /** Message of the last transition: the reason shown next to the state. */
  message: string;
  /** Times of recent state changes, for flap detection. */
  changes: number[];
  flapping: boolean;
  flapNotified: boolean;
  /** What the user was last told (unknown counts as ok), and when. */
  notified: 'ok' | 'warn' | 'crit';
  notifiedAt: number;
  /** Set when a down key saw a good sample right after a gap in collection. */
  gap?: { from: number; to: number };
}

export interface AlertState {
  v: 1;
  /** Unix ms of the last sample evaluated. */
  lastT?: number;
  /** The latest sample, for the figures a snapshot shows (also after a restart). */
  last?: Sample;
  /** Target id -> Unix ms of its latest sample. */
  seen: Record<string, number>;
  keys: Record<string, KeyState>;
  /** Why the collector is not keeping up (overload, hung checks, no system metrics), if it is not. */
  collectorError?: string;
}

export function stateFile(dataDir: string): string {
  return path.join(dataDir, 'state', 'alerts.json');
}

export function emptyState(): AlertState {
  return { v: 1, seen: {}, keys: {} };
}

function looksLikeState(x: unknown): x is AlertState {
  if (typeof x !== 'object' || x === null) return false;
  const s = x as Record<string, unknown>;
  return (
    s.v === 1 &&
    typeof s.keys === 'object' &&
    s.keys !== null &&
    typeof s.seen === 'object' &&
    s.seen !== null
  );
}

/**
 * Loads the alert state. A damaged file is moved aside (kept for inspection) and the
 * engine starts fresh rather than refusing to run; `problem` says what happened.
 */
export function loadAlertState(
  dataDir: string,
  now: number,
): { state: AlertState; problem?: string } {
  const file = stateFile(dataDir);
  let raw: unknown;
  try {
    raw = readJsonFile(file);
  } catch (err) {
    raw = err;
  }
  if (raw === undefined) return { state: emptyState() };
  if (looksLikeState(raw)) return { state: raw };
  const aside = `${file}.bad-${now}`;
  try {
    fs.renameSync(file, aside);
  } catch {
    // Nothing to keep if it cannot be moved; the next save replaces it.
  }
  const why = raw instanceof Error ? raw.message : 'not an alert state file';
  return { state: emptyState(), problem: `${file}: ${why}; moved to ${aside}, starting fresh` };
}

export function saveAlertState(dataDir: string, state: AlertState): void {
  writeJsonAtomic(stateFile(dataDir), state);
}

/** A rule key's state before its first evaluation: unknown since t, nothing notified. */
export function newKeyState(rule: string, t: number, target?: string, series?: string): KeyState {
  const k: KeyState = {
    rule,
    state: 'unknown',
    since: t,
    runs: emptyRuns(),
    message: '',
    changes: [],
    flapping: false,
    flapNotified: false,
    notified: 'ok',
    notifiedAt: 0,
  };
  if (target !== undefined) k.target = target;
  if (series !== undefined) k.series = series;
  return k;
}
