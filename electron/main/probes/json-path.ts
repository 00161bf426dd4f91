import { parseJsonPath } from '../../../shared/json-path';

export { JsonPathError, parseJsonPath, type PathSegment } from '../../../shared/json-path';

/** Evaluates paths of the syntax in shared/json-path.ts against parsed JSON documents. */

export type Lookup = { found: true; value: unknown } | { found: false };

/** Looks a path up in a parsed JSON document. A missing step is `found: false`, not an error. */
export function getJsonPath(doc: unknown, path: string): Lookup {
  let cur: unknown = doc;
  for (const seg of parseJsonPath(path)) {
    if (typeof seg === 'number') {
      if (!Array.isArray(cur)) return { found: false };
      const idx = seg < 0 ? cur.length + seg : seg;
      if (idx < 0 || idx >= cur.length) return { found: false };
      cur = cur[idx];
    } else {
      if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return { found: false };
      if (!Object.prototype.hasOwnProperty.call(cur, seg)) return { found: false };
      cur = (cur as Record<string, unknown>)[seg];
    }
  }
  return { found: true, value: cur };
}
