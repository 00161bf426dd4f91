import { AnomalyQuery } from './anomaly';
import { z } from 'zod';
import type { InvokeMethod } from './ipc';

/**
 * The one schema per API payload: the Electron main process checks IPC arguments with
 * INVOKE_ARGS, and `opspulse serve` checks HTTP query strings and bodies with the same
 * payload schemas (electron/main/server/params.ts), so both refuse the same requests with
 * the same limits.
 */

/** Generous but bounded: a chart never needs more than a few thousand points. */
export const MAX_POINTS = 20_000;
export const MAX_SERIES = 500;

const UnixMs = z.number().finite().min(0).max(8.64e15);
const Id = z.string().min(1).max(63);
const SeriesName = z.string().min(1).max(300);

const ordered = { message: 'to must be after from', path: ['to'] };

export const RangePayload = z
  .strictObject({ from: UnixMs, to: UnixMs })
  .refine((q) => q.to > q.from, ordered);

/**
 * Targets are checked field by field in the core, which answers with FieldError[] the form
 * can show; here we only insist on a plain object so a bad form still gets those messages.
 */
export const TargetPayload = z.record(z.string().max(200), z.unknown());
/** Likewise for rules: the core names each bad field. */
export const RulePayload = z.record(z.string().max(200), z.unknown());

export const QueryPayload = z
  .strictObject({
    from: UnixMs,
    to: UnixMs,
    series: z.array(SeriesName).min(1).max(MAX_SERIES),
    maxPoints: z.number().int().min(1).max(MAX_POINTS),
  })
  .refine((q) => q.to > q.from, ordered);

export const ReportPayload = z
  .strictObject({
    from: UnixMs,
    to: UnixMs,
    format: z.enum(['md', 'json', 'html']),
    targets: z.array(Id).max(MAX_SERIES).optional(),
  })
  .refine((q) => q.to > q.from, ordered);

export const EventsPayload = z.strictObject({ since: UnixMs, target: Id.optional() });

/** HTTP bodies of the switches; over IPC the same values travel as plain arguments. */
export const EnabledPayload = z.strictObject({ enabled: z.boolean() });
export const PausedPayload = z.strictObject({ paused: z.boolean() });
export const MutePayload = z.strictObject({ until: UnixMs, target: Id.optional() });

export const INVOKE_ARGS = {
  getConfig: z.tuple([]),
  saveTarget: z.tuple([TargetPayload]),
  deleteTarget: z.tuple([Id]),
  setTargetEnabled: z.tuple([Id, EnabledPayload.shape.enabled]),
  testTarget: z.tuple([TargetPayload]),
  saveRule: z.tuple([RulePayload]),
  deleteRule: z.tuple([Id]),
  setRuleEnabled: z.tuple([Id, EnabledPayload.shape.enabled]),
  query: z.tuple([QueryPayload]),
  analyze: z.tuple([RangePayload]),
  health: z.tuple([]),
  events: z.tuple([EventsPayload]),
  exportReport: z.tuple([ReportPayload]),
  setPaused: z.tuple([PausedPayload.shape.paused]),
  mute: z.tuple([MutePayload.shape.until, MutePayload.shape.target]),
  anomalies: z.tuple([AnomalyQuery]),
  forecasts: z.tuple([]),
  saveEmail: z.tuple([z.union([z.record(z.string().max(200), z.unknown()), z.null()])]),
} as const satisfies Record<InvokeMethod, z.ZodType<unknown[]>>;

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
