import { parseTargetSeries } from '../../../shared/series';
import type { Sample } from '../../../shared/sample';

export type Accessor = (s: Sample) => number | undefined;

const SYS_FIELDS = new Set(['cpu', 'mem', 'swap', 'load1', 'load5', 'load15', 'temp', 'battery']);
const TG_FIELDS = new Map<string, 'up' | 'ms' | 'fb' | 'cd'>([
  ['up', 'up'],
  ['ms', 'ms'],
  ['ttfb', 'fb'],
  ['cert', 'cd'],
]);

/** Reads one named series (shared/series.ts) out of a raw sample; undefined when absent. */
export function seriesAccessor(name: string): Accessor {
  if (name.startsWith('sys.')) {
    const rest = name.slice(4);
    if (SYS_FIELDS.has(rest)) {
      const f = rest as 'cpu';
      return (s) => num(s.sys?.[f]);
    }
    if (rest === 'net.rx') return (s) => num(s.sys?.rx);
    if (rest === 'net.tx') return (s) => num(s.sys?.tx);
    if (rest.startsWith('disk.')) {
      const mount = rest.slice(5);
      return (s) => num(s.sys?.disk?.[mount]);
    }
    return () => undefined;
  }
  const p = parseTargetSeries(name);
  if (!p) return () => undefined;
  const { id, rest } = p;
  if (rest.startsWith('m.')) {
    const metric = rest.slice(2);
    return (s) => num(s.tg[id]?.m?.[metric]);
  }
  const field = TG_FIELDS.get(rest);
  if (!field) return () => undefined;
  return (s) => num(s.tg[id]?.[field]);
}

function num(x: unknown): number | undefined {
  return typeof x === 'number' && Number.isFinite(x) ? x : undefined;
}
