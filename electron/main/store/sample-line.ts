import { SAMPLE_VERSION, type Sample } from '../../../shared/sample';

export function serializeSample(sample: Sample): string {
  return JSON.stringify(sample) + '\n';
}

/** A stored sample, or null when the line is not one (corrupt, foreign or empty). */
export function parseSample(line: string): Sample | null {
  if (line.length === 0) return null;
  let x: unknown;
  try {
    x = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof x !== 'object' || x === null) return null;
  const s = x as Partial<Sample>;
  if (s.v !== SAMPLE_VERSION || typeof s.t !== 'number' || !Number.isFinite(s.t)) return null;
  if (typeof s.tg !== 'object' || s.tg === null) return null;
  return s as Sample;
}

/**
 * The time of a line without parsing it all: lines written here start with {"v":1,"t":
 * (samples and old rollup lines) or {"v":2,"t": (rollup lines since the transition log).
 * Falls back to a full parse for lines written by hand in another key order.
 */
export function lineTime(line: string): number | null {
  const prefix = '{"v":1,"t":';
  if (line.startsWith('{"v":') && line.startsWith(',"t":', 6)) {
    const end = line.indexOf(',', prefix.length);
    const t = Number(line.slice(prefix.length, end < 0 ? undefined : end));
    if (Number.isFinite(t)) return t;
  }
  try {
    const x = JSON.parse(line) as { t?: unknown };
    return typeof x.t === 'number' && Number.isFinite(x.t) ? x.t : null;
  } catch {
    return null;
  }
}
