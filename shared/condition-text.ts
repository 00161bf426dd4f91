import type { JsonCondition } from './config-schema';

/*
 * The one text form of a JSON condition, as typed in the CLI (`--condition`) and in the
 * dashboard's target editor: `$.status == "healthy"`, `$.confidence >= 0.7`, `$.ready exists`.
 */

const OPERATOR = /^(==|!=|<=|>=|<|>)\s*(.+)$/;

const CONDITION_HELP = 'write $.path op value (op one of == != < <= > >=) or $.path exists';

/**
 * Where the JSON path at the start of `s` ends: `$` followed by `.name`, `[index]` and
 * quoted keys (`['a b']`, `["x==1"]`), whose spaces and operators belong to the path.
 */
function pathEnd(s: string): number {
  let i = 1;
  while (i < s.length) {
    if (s[i] === '.') {
      const m = /^[A-Za-z0-9_$-]+/.exec(s.slice(i + 1));
      if (!m) return i;
      i += 1 + m[0].length;
    } else if (s[i] === '[') {
      const quote = s[i + 1];
      if (quote === "'" || quote === '"') {
        let j = i + 2;
        while (j < s.length && s[j] !== quote) j += s[j] === '\\' ? 2 : 1;
        if (s[j + 1] !== ']') return s.length;
        i = j + 2;
      } else {
        const m = /^\[-?\d+\]/.exec(s.slice(i));
        if (!m) return i;
        i += m[0].length;
      }
    } else return i;
  }
  return i;
}

/** A condition, or why the text is not one. */
export function parseConditionText(text: string): JsonCondition | { error: string } {
  const s = text.trim();
  if (!s.startsWith('$'))
    return s.includes(' ') || /[=<>!]/.test(s)
      ? { error: `"${text}": the left side must be a JSON path starting with $` }
      : { error: `"${text}": ${CONDITION_HELP}` };
  const end = pathEnd(s);
  const path = s.slice(0, end);
  const rest = s.slice(end).trim();
  if (/^exists$/.test(rest) && end < s.length && /\s/.test(s[end])) return { path, op: 'exists' };
  const m = OPERATOR.exec(rest);
  if (!m && /^[\w.[\]'"$-]/.test(rest) && !/^exists\b/.test(rest))
    return {
      error: `"${text}": the JSON path ends at "${rest}"; quote a key with spaces or symbols: $['a b']`,
    };
  if (!m) return { error: `"${text}": ${CONDITION_HELP}` };
  return { path, op: m[1] as JsonCondition['op'], value: parseConditionValue(m[2]) };
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
