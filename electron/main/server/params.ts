import type { z } from 'zod';
import { formatPath } from '../../../shared/config-schema';
import type { FieldError } from '../../../shared/api';

export {
  EnabledPayload as EnabledBody,
  EventsPayload as EventsParams,
  MAX_POINTS,
  MAX_SERIES,
  MutePayload as MuteBody,
  PausedPayload as PausedBody,
  QueryPayload as QueryParams,
  RangePayload as RangeParams,
  ReportPayload as ReportParams,
  RulePayload as RuleBody,
  TargetPayload as TargetBody,
} from '../../../shared/ipc-schemas';

/** Query-string fields that are numbers in the payload schemas. */
const NUMERIC = new Set(['from', 'to', 'since', 'until', 'maxPoints']);

/**
 * A query string as the typed values the shared payload schemas take (they serve IPC too,
 * where numbers are numbers): a numeric field becomes a number when it reads as one, and
 * stays a string (refused by the schema, by name) when it does not.
 */
export function typedQuery(raw: Record<string, string | string[]>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (typeof value === 'string' && NUMERIC.has(key) && /^\s*-?\d+(\.\d+)?\s*$/.test(value))
      out[key] = Number(value);
    else out[key] = value;
  }
  return out;
}

export function toFieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.map((i) => ({ path: formatPath(i.path), message: i.message }));
}

export function isFieldErrors(x: unknown): x is FieldError[] {
  return (
    Array.isArray(x) &&
    x.length > 0 &&
    x.every(
      (e) =>
        typeof e === 'object' &&
        e !== null &&
        typeof (e as FieldError).path === 'string' &&
        typeof (e as FieldError).message === 'string',
    )
  );
}
