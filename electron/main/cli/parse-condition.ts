import { CompareOp, type JsonCondition } from '../../../shared/config-schema';

const OPS = ['==', '!=', '<=', '>=', '<', '>'] as const;

/**
 * `$.status == "healthy"`, `$.confidence >= 0.7`, `$.ready exists` -> a JsonCondition.
 * The value is read as JSON when it parses (numbers stay numbers, floats stay floats),
 * else as a bare string.
 */
export function parseCondition(text: string): JsonCondition {
  const s = text.trim();
  const exists = /^(\$\S*)\s+exists$/.exec(s);
  if (exists) return { path: exists[1], op: 'exists' };
  for (const op of OPS) {
    const at = s.indexOf(` ${op} `);
    if (at > 0) {
      const path = s.slice(0, at).trim();
      const raw = s.slice(at + op.length + 2).trim();
      if (!path.startsWith('$'))
        throw new Error(`condition "${text}": the left side must be a JSON path starting with $`);
      return { path, op: CompareOp.parse(op), value: parseValue(raw) };
    }
  }
  throw new Error(
    `condition "${text}": expected "<$.path> <op> <value>" with op one of ${OPS.join(' ')} or "<$.path> exists"`,
  );
}

function parseValue(raw: string): string | number | boolean | null {
  try {
    const v: unknown = JSON.parse(raw);
    if (v === null || ['string', 'number', 'boolean'].includes(typeof v))
      return v as string | number | boolean | null;
  } catch {
    // Not JSON: a bare word such as healthy.
  }
  return raw;
}
