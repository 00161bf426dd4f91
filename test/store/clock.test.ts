import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Sample } from '../../shared/sample';
import { SampleStore } from '../../electron/main/store/sample-store';
import { makeTmpDir, removeDir } from '../helpers/tmp-dir';
import { bruteForce, compareWithBrute, mergedRollups } from './helpers';

const at = (h: number, m: number, s: number) => Date.UTC(2026, 6, 1, h, m, s);

function sample(i: number, t: number): Sample {
  return {
    v: 1,
    t,
    sys: { cpu: i % 100 },
    tg: { a: { up: i % 11 === 0 ? 0 : 1, ms: 1 + (i % 40) } },
  };
}

let dir: string;
beforeEach(async () => {
  dir = await makeTmpDir();
});
afterEach(async () => {
  await removeDir(dir);
});

describe('a clock that goes backwards', () => {
  it('keeps every sample and never mixes periods into one bucket', async () => {
    const store = await SampleStore.open(dir);
    let i = 0;
    // 09:55:05 to 10:04:55, then the clock jumps back to 09:58:05 (minutes and an hour
    // already closed come round again), then it runs on past where it had been.
    for (let k = 0; k < 60; k++) store.append(sample(i++, at(9, 55, 5) + k * 10_000));
    for (let k = 0; k < 60; k++) store.append(sample(i++, at(9, 58, 5) + k * 10_000));
    for (let k = 0; k < 60; k++) store.append(sample(i++, at(10, 8, 5) + k * 10_000));

    const raw: Sample[] = [];
    for await (const s of store.read({ from: at(9, 0, 0), to: at(11, 0, 0) })) raw.push(s);
    expect(raw).toHaveLength(180);
    for (const tier of ['1m', '1h'] as const) {
      expect(
        compareWithBrute(await mergedRollups(store, tier), await bruteForce(store, tier)),
      ).toEqual([]);
    }
    const lines: number[] = [];
    for await (const l of store.readRollups('1m', { from: at(10, 0, 0), to: at(10, 1, 0) }))
      lines.push(l.n);
    expect(lines).toEqual([6, 6]);

    const q = await store.query({
      from: at(9, 0, 0),
      to: at(11, 0, 0),
      series: ['tg.a.ms'],
      maxPoints: 1000,
    });
    expect(q.tier).toBe('raw');
    expect(q.t).toHaveLength(180);
    expect([...q.t].sort((a, b) => a - b)).toEqual(q.t);
    await store.close();

    const again = await SampleStore.open(dir);
    for (const tier of ['1m', '1h'] as const) {
      expect(
        compareWithBrute(await mergedRollups(again, tier), await bruteForce(again, tier)),
      ).toEqual([]);
    }
    const byMinute = await again.query({
      from: at(9, 0, 0),
      to: at(11, 0, 0),
      series: ['tg.a.up'],
      maxPoints: 100,
    });
    expect(byMinute.tier).toBe('1m');
    const col = byMinute.t.indexOf(at(10, 0, 0) - (at(10, 0, 0) % byMinute.step));
    expect(col).toBeGreaterThanOrEqual(0);
    await again.close();
  });
});
