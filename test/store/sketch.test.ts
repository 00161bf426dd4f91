import { describe, expect, it } from 'vitest';
import { QuantileSketch, SKETCH_RELATIVE_ERROR } from '../../electron/main/store/sketch';

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function exact(sorted: number[], q: number): number {
  return sorted[Math.floor(q * (sorted.length - 1))];
}

describe('QuantileSketch', () => {
  it('answers quantiles within the stated relative error on a heavy-tailed distribution', () => {
    const r = rng(7);
    const xs: number[] = [];
    const s = new QuantileSketch();
    for (let i = 0; i < 20_000; i++) {
      const x = Math.exp(
        3 + 1.2 * Math.sqrt(-2 * Math.log(r() || 1e-9)) * Math.cos(2 * Math.PI * r()),
      );
      xs.push(x);
      s.add(x);
    }
    xs.sort((a, b) => a - b);
    for (const q of [0, 0.01, 0.25, 0.5, 0.9, 0.95, 0.99, 0.999, 1]) {
      const want = exact(xs, q);
      const got = s.quantile(q) as number;
      expect(Math.abs(got - want) / want).toBeLessThanOrEqual(SKETCH_RELATIVE_ERROR + 1e-12);
    }
  });

  it('merges exactly like one sketch fed everything, and survives its JSON form', () => {
    const r = rng(3);
    const all = new QuantileSketch();
    const parts = [new QuantileSketch(), new QuantileSketch(), new QuantileSketch()];
    for (let i = 0; i < 3000; i++) {
      const x = i % 97 === 0 ? 0 : 0.5 + r() * (i % 3 === 0 ? 2000 : 20);
      all.add(x);
      parts[i % 3].add(x);
    }
    const merged = QuantileSketch.fromJSON(JSON.parse(JSON.stringify(parts[0])));
    merged.merge(QuantileSketch.fromJSON(JSON.parse(JSON.stringify(parts[1]))));
    merged.merge(parts[2]);
    expect(merged.toJSON()).toEqual(all.toJSON());
    expect(merged.count).toBe(3000);
    expect(merged.quantile(0)).toBe(0);
    for (const q of [0.5, 0.95, 0.99]) expect(merged.quantile(q)).toBe(all.quantile(q));
  });

  it('is compact: runs of empty buckets collapse', () => {
    const s = new QuantileSketch();
    s.add(1);
    s.add(1000);
    const json = s.toJSON();
    expect(json.length).toBe(5);
    expect(json[3]).toBeLessThan(0);
    expect(new QuantileSketch().quantile(0.5)).toBeNull();
    expect(() => QuantileSketch.fromJSON('x')).toThrow();
  });
});
