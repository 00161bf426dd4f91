import fs from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateHistory, type GenerateResult } from '../../scripts/gen';
import { HOUR, listSegments } from '../../electron/main/store/layout';
import { SKETCH_RELATIVE_ERROR } from '../../electron/main/store/sketch';
import { SampleStore } from '../../electron/main/store/sample-store';
import { upCount } from '../../electron/main/store/rollup';
import { makeTmpDir, removeDir } from '../helpers/tmp-dir';
import { bruteForce, compareWithBrute, mergedRollups } from './helpers';

const END = Date.UTC(2026, 2, 3, 5, 17, 13);

let dir: string;
let gen: GenerateResult;
beforeAll(async () => {
  dir = await makeTmpDir();
  gen = await generateHistory({ out: dir, days: 2, interval: 30, targets: 4, end: END, seed: 5 });
});
afterAll(async () => {
  await removeDir(dir);
});

describe('rollup tiers on generated data', () => {
  it('match a brute-force computation over raw: count, sum, min, max and up-count', async () => {
    const store = await SampleStore.open(dir);
    try {
      for (const tier of ['1m', '1h'] as const) {
        const brute = await bruteForce(store, tier);
        const roll = await mergedRollups(store, tier);
        expect(compareWithBrute(roll, brute)).toEqual([]);
        for (const [t, series] of brute) {
          const up = series.get('tg.scheduler.up');
          const agg = roll.get(t)?.series.get('tg.scheduler.up');
          if (up && agg) expect(upCount(agg)).toBe(up.filter((v) => v === 1).length);
        }
      }
      expect(gen.samples).toBe(2 * 2880);
    } finally {
      await store.close();
    }
  });

  it('answer p50/p95/p99 from hour sketches within the stated error', async () => {
    const store = await SampleStore.open(dir);
    try {
      const brute = await bruteForce(store, '1h');
      const roll = await mergedRollups(store, '1h');
      let checked = 0;
      for (const [t, series] of brute) {
        for (const [name, vs] of series) {
          if (!name.endsWith('.ms')) continue;
          const sketch = roll.get(t)?.series.get(name)?.sketch;
          expect(sketch).toBeDefined();
          const sorted = [...vs].sort((a, b) => a - b);
          for (const q of [0.5, 0.95, 0.99]) {
            const want = sorted[Math.floor(q * (sorted.length - 1))];
            const got = sketch?.quantile(q) as number;
            expect(Math.abs(got - want) / want).toBeLessThanOrEqual(SKETCH_RELATIVE_ERROR + 1e-12);
            checked++;
          }
        }
      }
      expect(checked).toBeGreaterThan(100);
    } finally {
      await store.close();
    }
  });

  it('keep a target added or retired mid-history readable', async () => {
    const store = await SampleStore.open(dir);
    try {
      const roll = await mergedRollups(store, '1h');
      const hours = [...roll.values()].sort((a, b) => a.t - b.t);
      const has = (id: string) => hours.map((h) => h.series.has(`tg.${id}.up`));
      expect(has(gen.addedId as string).slice(0, 5)).toEqual([false, false, false, false, false]);
      expect(has(gen.addedId as string).at(-1)).toBe(true);
      expect(has(gen.retiredId)[0]).toBe(true);
      expect(has(gen.retiredId).at(-1)).toBe(false);
      const r = await store.query({
        from: END - 2 * 86_400_000,
        to: END,
        series: [`tg.${gen.addedId}.ms`, `tg.${gen.retiredId}.ms`],
        maxPoints: 40,
      });
      expect(r.tier).toBe('1h');
      expect(r.series[`tg.${gen.addedId}.ms`].avg[0]).toBeNull();
      expect(r.series[`tg.${gen.addedId}.ms`].avg.at(-1)).not.toBeNull();
      expect(r.series[`tg.${gen.retiredId}.ms`].avg[1]).not.toBeNull();
      expect(r.series[`tg.${gen.retiredId}.ms`].avg.at(-1)).toBeNull();
    } finally {
      await store.close();
    }
  });

  it('rebuild from raw reproduces the same rollups', async () => {
    const store = await SampleStore.open(dir);
    try {
      const before = await mergedRollups(store, '1h');
      const beforeMin = await mergedRollups(store, '1m');
      const report = await store.rebuild();
      expect(report.days.length).toBe(3);
      const after = await mergedRollups(store, '1h');
      const afterMin = await mergedRollups(store, '1m');
      expect(after.size).toBe(before.size);
      expect(afterMin.size).toBe(beforeMin.size);
      for (const [t, line] of before) {
        const other = after.get(t);
        expect(other?.n).toBe(line.n);
        for (const [name, a] of line.series) {
          const b = other?.series.get(name);
          expect([b?.count, b?.min, b?.max]).toEqual([a.count, a.min, a.max]);
          expect(b?.sum).toBeCloseTo(a.sum, 6);
        }
      }
      const segs = await listSegments(dir, '1h');
      expect(segs.length).toBeGreaterThan(0);
      expect(HOUR).toBe(3_600_000);
      const text = await fs.readFile(segs.at(-1)?.file as string, 'utf8').catch(() => '');
      expect(text === '' || text.endsWith('\n')).toBe(true);
    } finally {
      await store.close();
    }
  }, 60_000);
});
