import type { FieldError, MonitorApi } from './api';

/**
 * The one list of IPC channels between the Electron renderer and the main process. The
 * payload schemas live beside it in ipc-schemas.ts (the main side refuses anything that
 * does not parse); this file stays free of zod because the sandboxed preload bundles it.
 * The preload builds MonitorApi from the same list, so the two sides cannot drift apart.
 */

/** MonitorApi methods carried as request/reply (`ipcRenderer.invoke`). */
export type InvokeMethod = Exclude<keyof MonitorApi, 'onSample' | 'onHealth' | 'onConnection'>;

/** A record, not an array, so the compiler insists on every method exactly once. */
const METHODS: Record<InvokeMethod, true> = {
  getConfig: true,
  saveTarget: true,
  deleteTarget: true,
  setTargetEnabled: true,
  testTarget: true,
  saveRule: true,
  deleteRule: true,
  setRuleEnabled: true,
  query: true,
  analyze: true,
  health: true,
  events: true,
  exportReport: true,
  setPaused: true,
  mute: true,
  anomalies: true,
  forecasts: true,
  saveEmail: true,
};

export const INVOKE_METHODS = Object.keys(METHODS) as InvokeMethod[];

export function invokeChannel(method: InvokeMethod): string {
  return `opspulse:${method}`;
}

/** Main → renderer pushes, sent only to our own window. */
export const PUSH_CHANNELS = {
  sample: 'opspulse:push:sample',
  health: 'opspulse:push:health',
} as const;

/** Optional trailing arguments left undefined are dropped so the schemas see the real arity. */
export function trimTrailingUndefined(args: readonly unknown[]): unknown[] {
  let n = args.length;
  while (n > 0 && args[n - 1] === undefined) n--;
  return args.slice(0, n);
}

/**
 * Errors cross IPC, structured clone and the context bridge as plain data: Electron keeps
 * only an Error's message, and the dashboard needs the per-field messages.
 */
export interface WireError {
  message: string;
  fields?: FieldError[];
}

export type WireReply = { ok: true; value: unknown } | { ok: false; error: WireError };

function asFieldErrors(x: unknown): FieldError[] | null {
  if (!Array.isArray(x)) return null;
  const ok = x.every(
    (f: unknown) =>
      typeof f === 'object' &&
      f !== null &&
      typeof (f as FieldError).path === 'string' &&
      typeof (f as FieldError).message === 'string',
  );
  return ok ? x.map((f: FieldError) => ({ path: f.path, message: f.message })) : null;
}

export function toWireError(err: unknown): WireError {
  const direct = asFieldErrors(err);
  if (direct) return { message: joinFields(direct), fields: direct };
  if (err instanceof Error) {
    const fields = asFieldErrors((err as Error & { fields?: unknown }).fields);
    return fields ? { message: err.message, fields } : { message: err.message };
  }
  return { message: String(err) };
}

/** What a MonitorApi promise rejects with: FieldError[] for a rejected change, else an Error. */
export function fromWireError(e: WireError): Error | FieldError[] {
  return e.fields && e.fields.length > 0 ? e.fields : new Error(e.message);
}

function joinFields(fields: FieldError[]): string {
  return fields.map((f) => `${f.path}: ${f.message}`).join('; ');
}
