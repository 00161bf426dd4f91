import { forEachValue } from '../../shared/series';
import { HOUR, MINUTE } from '../../electron/main/store/layout';
import { mergeLine, newLine, type RollupLine } from '../../electron/main/store/rollup';
import type { SampleStore } from '../../electron/main/store/sample-store';
import type { Sample } from '../../shared/sample';

export type Brute = Map<number, Map<string, number[]>>;

/** Every raw value grouped by bucket start and series: the reference the rollups must match. */
export async function bruteForce(store: SampleStore, tier: '1m' | '1h'): Promise<Brute> {
  const d = tier === '1m' ? MINUTE : HOUR;
  const out: Brute = new Map();
  for await (const s of store.read({ from: -Infinity, to: Infinity })) addTo(out, s, d);
  return out;
}

export function addTo(out: Brute, s: Sample, d: number): void {
  const t = Math.floor(s.t / d) * d;
  let b = out.get(t);
  if (!b) out.set(t, (b = new Map()));
  const bucket = b;
  forEachValue(s, (name, v) => {
    // Rollup latency counts successful probes only, as raw analyses do.
    if (name.startsWith('tg.') && name.endsWith('.ms') && s.tg[name.slice(3, -3)]?.up !== 1) return;
    const list = bucket.get(name);
    if (list) list.push(v);
    else bucket.set(name, [v]);
  });
}

/** Rollup lines merged by bucket (lines sharing t are parts of one bucket). */
export async function mergedRollups(
  store: SampleStore,
  tier: '1m' | '1h',
): Promise<Map<number, RollupLine>> {
  const out = new Map<number, RollupLine>();
  for await (const line of store.readRollups(tier, { from: -Infinity, to: Infinity })) {
    let m = out.get(line.t);
    if (!m) out.set(line.t, (m = newLine(line.t, line.d)));
    mergeLine(m, line);
  }
  return out;
}

/** Compares rollups with the brute force: exact count/min/max/up-count, sum to 1e-9. */
export function compareWithBrute(roll: Map<number, RollupLine>, brute: Brute): string[] {
  const problems: string[] = [];
  if (roll.size !== brute.size) problems.push(`buckets: ${roll.size} rollup vs ${brute.size} raw`);
  for (const [t, series] of brute) {
    const line = roll.get(t);
    if (!line) {
      problems.push(`bucket ${new Date(t).toISOString()} missing`);
      continue;
    }
    for (const [name, vs] of series) {
      const a = line.series.get(name);
      if (!a) {
        problems.push(`${name} missing at ${t}`);
        continue;
      }
      const sum = vs.reduce((x, y) => x + y, 0);
      if (a.count !== vs.length) problems.push(`${name}@${t} count ${a.count} != ${vs.length}`);
      if (a.min !== Math.min(...vs)) problems.push(`${name}@${t} min`);
      if (a.max !== Math.max(...vs)) problems.push(`${name}@${t} max`);
      if (Math.abs(a.sum - sum) > 1e-9 * Math.max(1, Math.abs(sum)))
        problems.push(`${name}@${t} sum ${a.sum} != ${sum}`);
    }
    if (line.series.size !== series.size) problems.push(`series count at ${t}`);
  }
  return problems.slice(0, 10);
}
