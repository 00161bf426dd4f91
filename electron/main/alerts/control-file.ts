import path from 'node:path';
import { readJsonFile, writeJsonAtomic } from './atomic-file';

/**
 * Pause and mute, kept in a small file so the CLI can change them while a daemon runs on
 * the same data directory; the engine re-reads it every tick.
 */
export interface AlertControl {
  paused: boolean;
  /** Unix ms until which every notification is muted; 0 = not muted. */
  mutedUntil: number;
  /** Per-target mutes: target id -> Unix ms. */
  targets: Record<string, number>;
}

export function controlFile(dataDir: string): string {
  return path.join(dataDir, 'state', 'alerts-control.json');
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Reads the control file; a missing or malformed one means "not paused, not muted". */
export function readControl(dataDir: string): AlertControl {
  let raw: unknown;
  try {
    raw = readJsonFile(controlFile(dataDir));
  } catch {
    raw = undefined;
  }
  const out: AlertControl = { paused: false, mutedUntil: 0, targets: {} };
  if (!isRecord(raw)) return out;
  if (raw.paused === true) out.paused = true;
  if (typeof raw.mutedUntil === 'number') out.mutedUntil = raw.mutedUntil;
  if (isRecord(raw.targets))
    for (const [id, until] of Object.entries(raw.targets))
      if (typeof until === 'number') out.targets[id] = until;
  return out;
}

/** Read-modify-write; expired mutes are dropped on the way so the file stays small. */
export function updateControl(
  dataDir: string,
  now: number,
  change: (c: AlertControl) => void,
): AlertControl {
  const c = readControl(dataDir);
  change(c);
  if (c.mutedUntil <= now) c.mutedUntil = 0;
  for (const [id, until] of Object.entries(c.targets)) if (until <= now) delete c.targets[id];
  writeJsonAtomic(controlFile(dataDir), c);
  return c;
}

/** Applies `mute(until, target?)`: until 0 (or past) unmutes; no target means all. */
export function applyMute(c: AlertControl, until: number, target?: string): void {
  if (target === undefined) {
    c.mutedUntil = until;
    if (until === 0) c.targets = {};
  } else if (until === 0) delete c.targets[target];
  else c.targets[target] = until;
}

/** Until when a target (or, with none, a system rule) is muted; 0 if it is not. */
export function mutedUntil(c: AlertControl, t: number, target?: string): number {
  const own = target !== undefined ? (c.targets[target] ?? 0) : 0;
  const until = Math.max(c.mutedUntil, own);
  return until > t ? until : 0;
}
