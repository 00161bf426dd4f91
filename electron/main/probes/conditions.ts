import type { JsonCondition } from '../../../shared/config-schema';
import { getJsonPath, JsonPathError, parseJsonPath } from './json-path';

/**
 * Checks conditions on a parsed JSON document and pulls numeric fields out as metrics.
 * Failures are messages a user can act on, e.g. `$.status is "degraded" (expected == "healthy")`.
 */

/** The first failing condition's message, or undefined when all hold. */
export function checkConditions(
  doc: unknown,
  conditions: readonly JsonCondition[],
): string | undefined {
  for (const c of conditions) {
    const failure = checkCondition(doc, c);
    if (failure !== undefined) return failure;
  }
  return undefined;
}

export function checkCondition(doc: unknown, c: JsonCondition): string | undefined {
  let lookup;
  try {
    lookup = getJsonPath(doc, c.path);
  } catch (err) {
    if (err instanceof JsonPathError) return err.message;
    throw err;
  }
  const expected = c.op === 'exists' ? 'expected to exist' : `expected ${c.op} ${show(c.value)}`;
  if (!lookup.found) return `${c.path} is missing (${expected})`;
  if (c.op === 'exists') return undefined;
  const actual = lookup.value;
  const want = coerce(c.value, actual);
  const ok = compare(actual, c.op, want);
  if (ok === 'incomparable')
    return `${c.path} is ${show(actual)}, not comparable with ${show(c.value)} (${expected})`;
  return ok ? undefined : `${c.path} is ${show(actual)} (${expected})`;
}

/**
 * A number typed into a text field arrives as "0.7"; compare it as the number it names when
 * the document holds a number, so `$.confidence >= "0.7"` behaves like `>= 0.7`.
 */
function coerce(value: JsonCondition['value'], actual: unknown): JsonCondition['value'] {
  if (typeof actual === 'number' && typeof value === 'string' && value.trim() !== '') {
    const n = Number(value);
    if (Number.isFinite(n)) return n;
  }
  return value;
}

function compare(
  actual: unknown,
  op: Exclude<JsonCondition['op'], 'exists'>,
  want: JsonCondition['value'],
): boolean | 'incomparable' {
  if (op === '==') return actual === (want ?? null);
  if (op === '!=') return actual !== (want ?? null);
  const bothNumbers = typeof actual === 'number' && typeof want === 'number';
  const bothStrings = typeof actual === 'string' && typeof want === 'string';
  if (!bothNumbers && !bothStrings) return 'incomparable';
  const a = actual as number | string;
  const b = want as number | string;
  switch (op) {
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
  }
}

/**
 * Numeric values named by `metrics` (name -> path). A path that is missing or not a finite
 * number is left out: an absent value charts as a gap, a made-up 0 would lie.
 */
export function extractMetrics(
  doc: unknown,
  metrics: Readonly<Record<string, string>>,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, path] of Object.entries(metrics)) {
    let lookup;
    try {
      lookup = getJsonPath(doc, path);
    } catch {
      continue;
    }
    if (lookup.found && typeof lookup.value === 'number' && Number.isFinite(lookup.value))
      out[name] = lookup.value;
  }
  return out;
}

/** Every top-level finite number, for a file target that names no metrics. */
export function topLevelNumbers(doc: unknown): Record<string, number> {
  const out: Record<string, number> = {};
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return out;
  for (const [k, v] of Object.entries(doc)) {
    if (typeof v === 'number' && Number.isFinite(v) && /^[A-Za-z0-9_]{1,64}$/.test(k)) out[k] = v;
  }
  return out;
}

/** A short, JSON-looking rendering of a value for an error message. */
export function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  let s: string;
  try {
    s = JSON.stringify(value) ?? String(value);
  } catch {
    s = String(value);
  }
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/**
 * Problems with the JSON paths of a target's conditions and metrics, each naming the field
 * (`conditions[1].path: invalid JSON path ...`), so config validation can show them where
 * they are instead of the probe silently recording nothing.
 */
export function jsonPathProblems(target: {
  conditions?: readonly JsonCondition[];
  metrics?: Readonly<Record<string, string>>;
}): string[] {
  const problems: string[] = [];
  const check = (where: string, path: string): void => {
    try {
      parseJsonPath(path);
    } catch (err) {
      if (!(err instanceof JsonPathError)) throw err;
      problems.push(`${where}: ${err.message}`);
    }
  };
  (target.conditions ?? []).forEach((c, i) => check(`conditions[${i}].path`, c.path));
  for (const [name, path] of Object.entries(target.metrics ?? {})) check(`metrics.${name}`, path);
  return problems;
}
