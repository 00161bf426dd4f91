/**
 * The JSON path syntax a health check uses, shared by the config schema (so the editor and
 * config.json refuse the same paths) and the probes' evaluator: `$`, `$.a.b`, `$.a[0]`,
 * `$['key with spaces']`, `$["k"]`, `$.list[-1]` (from the end). No wildcards or filters:
 * a condition or metric names one value, so a path that could match many is a config error.
 */

export type PathSegment = string | number;

export class JsonPathError extends Error {
  constructor(path: string, at: number, what: string) {
    super(`invalid JSON path ${JSON.stringify(path)}: ${what} at character ${at + 1}`);
    this.name = 'JsonPathError';
  }
}

const cache = new Map<string, PathSegment[]>();
const CACHE_MAX = 1000;

/** Parses a path into segments; throws JsonPathError saying what is wrong and where. */
export function parseJsonPath(path: string): PathSegment[] {
  const hit = cache.get(path);
  if (hit) return hit;
  const segments = parse(path);
  if (cache.size >= CACHE_MAX) cache.clear();
  cache.set(path, segments);
  return segments;
}

function parse(path: string): PathSegment[] {
  if (path[0] !== '$') throw new JsonPathError(path, 0, 'expected $ at the start');
  const out: PathSegment[] = [];
  let i = 1;
  while (i < path.length) {
    const c = path[i];
    if (c === '.') {
      const m = /^[A-Za-z0-9_$-]+/.exec(path.slice(i + 1));
      if (!m) throw new JsonPathError(path, i + 1, 'expected a field name after "."');
      out.push(m[0]);
      i += 1 + m[0].length;
    } else if (c === '[') {
      const rest = path.slice(i + 1);
      const num = /^(-?\d+)\]/.exec(rest);
      if (num) {
        out.push(Number(num[1]));
        i += 1 + num[0].length;
        continue;
      }
      const quote = rest[0];
      if (quote !== "'" && quote !== '"')
        throw new JsonPathError(path, i + 1, 'expected an index or a quoted key after "["');
      let key = '';
      let j = 1;
      for (; j < rest.length && rest[j] !== quote; j++) {
        if (rest[j] === '\\' && j + 1 < rest.length) j++;
        key += rest[j];
      }
      if (j >= rest.length) throw new JsonPathError(path, i + 1, 'unterminated quoted key');
      if (rest[j + 1] !== ']') throw new JsonPathError(path, i + j + 2, 'expected "]"');
      out.push(key);
      i += j + 3;
    } else {
      throw new JsonPathError(path, i, `unexpected ${JSON.stringify(c)}`);
    }
  }
  return out;
}

/** Why a path does not parse, or null when it does (for the schema's field messages). */
export function jsonPathProblem(path: string): string | null {
  try {
    parseJsonPath(path);
    return null;
  } catch (err) {
    if (err instanceof JsonPathError) return err.message;
    throw err;
  }
}
