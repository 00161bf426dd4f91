import type { FieldError } from '../../../shared/api';

/** MonitorApi rejects a bad change with FieldError[] (both transports); anything else is an Error. */
export function fieldErrorsOf(err: unknown): FieldError[] | null {
  if (!Array.isArray(err)) return null;
  const ok = err.every(
    (e: unknown) =>
      typeof e === 'object' &&
      e !== null &&
      typeof (e as FieldError).path === 'string' &&
      typeof (e as FieldError).message === 'string',
  );
  return ok ? (err as FieldError[]) : null;
}

export function errorText(err: unknown): string {
  const fields = fieldErrorsOf(err);
  if (fields) return fields.map((f) => `${f.path}: ${f.message}`).join('; ');
  return err instanceof Error ? err.message : String(err);
}

/**
 * A failed load, shown where its data would be: what could not be loaded and why, in
 * words (never a bare "Failed to fetch").
 */
export function loadError(what: string, err: unknown): HTMLElement {
  const p = document.createElement('p');
  p.className = 'load-error';
  p.setAttribute('role', 'alert');
  p.textContent = `Cannot load ${what}: ${errorText(err)}`;
  return p;
}
