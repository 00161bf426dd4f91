import type { JsonCondition } from './config-schema';

/*
 * The one text form of a JSON condition, as typed in the CLI (`--condition`) and in the
 * dashboard's target editor: `$.status == "healthy"`, `$.confidence >= 0.7`, `$.ready exists`.
 */

const EXISTS = /^(\S+)\s+exists$/;
const COMPARE = /^(\S+?)\s*(==|!=|<=|>=|<|>)\s*(.+)$/;

const CONDITION_HELP = 'write $.path op value (op one of == != < <= > >=) or $.path exists';

/** A condition, or why the text is not one. */
export function parseConditionText(text: string): JsonCondition | { error: string } {
  const s = text.trim();
  const exists = EXISTS.exec(s);
  const m = exists ?? COMPARE.exec(s);
  if (!m) return { error: `"${text}": ${CONDITION_HELP}` };
  if (!m[1].startsWith('$'))
    return { error: `"${text}": the left side must be a JSON path starting with $` };
  return exists
    ? { path: m[1], op: 'exists' }
    : { path: m[1], op: m[2] as JsonCondition['op'], value: parseConditionValue(m[3]) };
}

/** JSON when it parses to a scalar (numbers stay numbers), else a bare string: `healthy`. */
function parseConditionValue(raw: string): string | number | boolean | null {
  const s = raw.trim();
  try {
    const v: unknown = JSON.parse(s);
    if (v === null || ['string', 'number', 'boolean'].includes(typeof v))
      return v as string | number | boolean | null;
  } catch {
    // Not JSON: a bare word such as healthy.
  }
  return s;
}
