import { describe, expect, it } from 'vitest';
import { quantilesSelect } from '../../electron/main/analysis/quantile';

/** The textbook definition, on a sorted copy. */
function reference(values: number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(s.length - 1, lo + 1);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}

describe('quantilesSelect', () => {
  it('matches interpolated ranks of the sorted values, duplicates and all', () => {
    let seed = 1;
    const rnd = (): number => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
    const qs = [0.99, 0, 0.5, 0.95, 1, 0.25];
    for (let n = 1; n <= 60; n++) {
      for (const spread of [3, 1000]) {
        const values = Array.from({ length: n }, () => Math.floor(rnd() * spread));
        const got = quantilesSelect(Float64Array.from(values), qs);
        qs.forEach((q, i) => expect(got[i]).toBeCloseTo(reference(values, q), 9));
      }
    }
  });

  it('answers null for no values and handles sorted and constant input', () => {
    expect(quantilesSelect(new Float64Array(0), [0.5])).toEqual([null]);
    const sorted = Float64Array.from({ length: 1000 }, (_, i) => i + 1);
    expect(quantilesSelect(sorted, [0.5, 0.95, 0.99])).toEqual([500.5, 950.05, 990.01]);
    expect(quantilesSelect(new Float64Array(500).fill(7), [0.01, 0.99])).toEqual([7, 7]);
  });
});
