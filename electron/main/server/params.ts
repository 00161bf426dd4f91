import { z } from 'zod';
import { formatPath } from '../../../shared/config-schema';
import type { FieldError } from '../../../shared/api';

/** Unix ms; a string from a query parameter or a number from a JSON body. */
const Millis = z.coerce.number().int().min(0).max(8.64e15);

/** Generous but bounded: a chart never needs more than a few thousand points. */
export const MAX_POINTS = 20_000;
export const MAX_SERIES = 500;

export const QueryParams = z
  .object({
    from: Millis,
    to: Millis,
    series: z.array(z.string().min(1).max(200)).min(1).max(MAX_SERIES),
    maxPoints: z.coerce.number().int().min(1).max(MAX_POINTS),
  })
  .refine((q) => q.to > q.from, { message: 'to must be after from', path: ['to'] });

export const RangeParams = z
  .object({ from: Millis, to: Millis })
  .refine((q) => q.to > q.from, { message: 'to must be after from', path: ['to'] });

export const EventsParams = z.object({
  since: Millis,
  target: z.string().min(1).max(63).optional(),
});

export const ReportParams = z
  .object({
    from: Millis,
    to: Millis,
    format: z.enum(['md', 'json', 'html']),
    targets: z.array(z.string().min(1).max(63)).max(MAX_SERIES).optional(),
  })
  .refine((q) => q.to > q.from, { message: 'to must be after from', path: ['to'] });

export const EnabledBody = z.object({ enabled: z.boolean() });
export const PausedBody = z.object({ paused: z.boolean() });
export const MuteBody = z.object({
  until: Millis,
  target: z.string().min(1).max(63).optional(),
});

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
