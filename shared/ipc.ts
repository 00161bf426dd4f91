import { z } from 'zod';
import type { FieldError, MonitorApi } from './api';

/**
 * The one list of IPC channels between the Electron renderer and the main process, with a
 * schema for every payload. The main side refuses anything that does not parse; the
 * preload builds MonitorApi from the same list, so the two cannot drift apart.
 */

/** MonitorApi methods carried as request/reply (`ipcRenderer.invoke`). */
export type InvokeMethod = Exclude<keyof MonitorApi, 'onSample' | 'onHealth'>;

const UnixMs = z.number().finite().min(0).max(8.64e15);
const Id = z.string().min(1).max(63);
const Range = z.strictObject({ from: UnixMs, to: UnixMs });

/**
 * Targets are checked field by field in the core, which answers with FieldError[] the form
 * can show; here we only insist on a plain object so a bad form still gets those messages.
 */
const TargetPayload = z.record(z.string().max(200), z.unknown());

const QueryPayload = z.strictObject({
  from: UnixMs,
  to: UnixMs,
  series: z.array(z.string().min(1).max(300)).max(500),
  maxPoints: z.number().int().min(1).max(1_000_000),
});

const ReportPayload = z.strictObject({
  from: UnixMs,
  to: UnixMs,
  format: z.enum(['md', 'json', 'html']),
  targets: z.array(Id).max(1000).optional(),
});

const EventsPayload = z.strictObject({ since: UnixMs, target: Id.optional() });

/** Argument tuples, one per method, in MonitorApi order. */
export const INVOKE_ARGS = {
  getConfig: z.tuple([]),
  saveTarget: z.tuple([TargetPayload]),
  deleteTarget: z.tuple([Id]),
  setTargetEnabled: z.tuple([Id, z.boolean()]),
  testTarget: z.tuple([TargetPayload]),
  query: z.tuple([QueryPayload]),
  analyze: z.tuple([Range]),
  health: z.tuple([]),
  events: z.tuple([EventsPayload]),
  exportReport: z.tuple([ReportPayload]),
  setPaused: z.tuple([z.boolean()]),
  mute: z.tuple([UnixMs, Id.optional()]),
} as const satisfies Record<InvokeMethod, z.ZodType<unknown[]>>;

export const INVOKE_METHODS = Object.keys(INVOKE_ARGS) as InvokeMethod[];

export function invokeChannel(method: InvokeMethod): string {
  return `opspulse:${method}`;
}

/** Optional trailing arguments left undefined are dropped so the schemas see the real arity. */
export function trimTrailingUndefined(args: readonly unknown[]): unknown[] {
  let n = args.length;
  while (n > 0 && args[n - 1] === undefined) n--;
  return args.slice(0, n);
}

/** Main → renderer pushes, sent only to our own window. */
export const PUSH_CHANNELS = {
  sample: 'opspulse:push:sample',
  health: 'opspulse:push:health',
} as const;

/**
 * Errors cross IPC, structured clone and the context bridge as plain data: Electron keeps
 * only an Error's message, and the dashboard needs the per-field messages.
 */
export interface WireError {
  message: string;
  fields?: FieldError[];
}

export type WireReply = { ok: true; value: unknown } | { ok: false; error: WireError };

const FieldErrors = z.array(z.object({ path: z.string(), message: z.string() }));

export function toWireError(err: unknown): WireError {
  if (Array.isArray(err)) {
    const fields = FieldErrors.safeParse(err);
    if (fields.success) return { message: joinFields(fields.data), fields: fields.data };
  }
  if (err instanceof Error) {
    const fields = FieldErrors.safeParse((err as Error & { fields?: unknown }).fields);
    return fields.success
      ? { message: err.message, fields: fields.data }
      : { message: err.message };
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

/** A one-line description of why a payload was refused, naming the argument and field. */
export function describeIssues(method: string, error: z.ZodError): string {
  const where = error.issues
    .slice(0, 3)
    .map(
      (i) =>
        `${i.path.length ? `args${i.path.map((p) => `[${String(p)}]`).join('')}` : 'args'}: ${i.message}`,
    )
    .join('; ');
  return `${method}: bad payload (${where})`;
}
