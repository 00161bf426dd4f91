import { z } from 'zod';
import type { InvokeMethod } from './ipc';

/** Payload schemas for the channels in ipc.ts: argument tuples, one per method. */

const UnixMs = z.number().finite().min(0).max(8.64e15);
const Id = z.string().min(1).max(63);
const Range = z.strictObject({ from: UnixMs, to: UnixMs });

/**
 * Targets are checked field by field in the core, which answers with FieldError[] the form
 * can show; here we only insist on a plain object so a bad form still gets those messages.
 */
const TargetPayload = z.record(z.string().max(200), z.unknown());
/** Likewise for rules: the core names each bad field. */
const RulePayload = z.record(z.string().max(200), z.unknown());

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

export const INVOKE_ARGS = {
  getConfig: z.tuple([]),
  saveTarget: z.tuple([TargetPayload]),
  deleteTarget: z.tuple([Id]),
  setTargetEnabled: z.tuple([Id, z.boolean()]),
  testTarget: z.tuple([TargetPayload]),
  saveRule: z.tuple([RulePayload]),
  deleteRule: z.tuple([Id]),
  setRuleEnabled: z.tuple([Id, z.boolean()]),
  query: z.tuple([QueryPayload]),
  analyze: z.tuple([Range]),
  health: z.tuple([]),
  events: z.tuple([EventsPayload]),
  exportReport: z.tuple([ReportPayload]),
  setPaused: z.tuple([z.boolean()]),
  mute: z.tuple([UnixMs, Id.optional()]),
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
