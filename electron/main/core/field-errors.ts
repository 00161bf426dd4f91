import type { z } from 'zod';
import type { FieldError } from '../../../shared/api';
import { formatPath } from '../../../shared/config-schema';

/** A rejected change, carrying per-field messages the dashboard shows next to each input. */
export class ValidationError extends Error {
  constructor(readonly fields: FieldError[]) {
    super(fields.map((f) => `${f.path}: ${f.message}`).join('; '));
    this.name = 'ValidationError';
  }

  static fromZod(error: z.ZodError, prefix: readonly PropertyKey[] = []): ValidationError {
    return new ValidationError(
      error.issues.map((i) => ({ path: formatPath([...prefix, ...i.path]), message: i.message })),
    );
  }
}
