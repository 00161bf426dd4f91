import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sample } from '../../shared/sample';
import { HOUR, MINUTE } from '../../electron/main/store/layout';
import { SampleStore } from '../../electron/main/store/sample-store';
import { makeTmpDir, removeDir } from '../helpers/tmp-dir';

// Three days every 10 s, a two-hour gap on day 2, one latency spike.
const START = Date.UTC(2026, 8, 1);
const END = START + 3 * 24 * HOUR;
const GAP = [START + 30 * HOUR, START + 32 * HOUR];
const SPIKE = START + 50 * HOUR + 12 * 60_000 + 30_000;

function ms(t: number): number {
  return t === SPIKE ? 5000 : 10 + ((t / 10_000) % 7);
}

let dir: string;
let store: SampleStore;
beforeAll(async () => {
  dir = await makeTmpDir();
  store = await SampleStore.open(dir);
  for (let t = START; t < END; t += 10_000) {
    if (t >= GAP[0] && t < GAP[1]) continue;
    const s: Sample = { v: 1, t, sys: { cpu: 50 }, tg: { a: { up: 1, ms: ms(t) } } };
    store.append(s);
  }
});
afterAll(async () => {
  await store.close();
  await removeDir(dir);
});

describe('query', () => {
  it('returns raw points one to one when they fit', async () => {
    const r = await store.query({
      from: END - HOUR,
      to: END,
      series: ['tg.a.ms', 'sys.cpu'],
      maxPoints: 2000,
    });
    expect(r.tier).toBe('raw');
    expect(r.step).toBe(0);
    expect(r.t).toHaveLength(360);
    expect(r.t[0]).toBe(END - HOUR);
    expect(r.series['tg.a.ms'].avg[5]).toBe(ms(END - HOUR + 50_000));
    expect(r.series['sys.cpu'].max.every((v) => v === 50)).toBe(true);
  });

  it('picks the coarsest tier that still gives maxPoints points, and keeps a spike in max', async () => {
    const day = await store.query({
      from: START + 48 * HOUR,
      to: START + 72 * HOUR,
      series: ['tg.a.ms'],
      maxPoints: 2000,
    });
    expect(day.tier).toBe('raw');
    expect(day.step).toBe(Math.ceil((24 * HOUR) / 2000));
    const three = await store.query({ from: START, to: END, series: ['tg.a.ms'], maxPoints: 2000 });
    expect(three.tier).toBe('1m');
    expect(three.step).toBe(3 * MINUTE);
    expect(three.t.length).toBeLessThanOrEqual(2001);
    const hours = await store.query({ from: START, to: END, series: ['tg.a.ms'], maxPoints: 50 });
    expect(hours.tier).toBe('1h');
    expect(hours.step).toBe(2 * HOUR);

    for (const r of [day, three, hours]) {
      const col = r.t.findIndex((t, i) => t <= SPIKE && (r.t[i + 1] ?? Infinity) > SPIKE);
      expect(r.series['tg.a.ms'].max[col]).toBe(5000);
      expect(r.series['tg.a.ms'].avg[col] as number).toBeLessThan(5000);
      expect(r.series['tg.a.ms'].min[col] as number).toBeGreaterThanOrEqual(10);
    }
  });

  it('averages exactly what lies in each column and leaves gaps null', async () => {
    const r = await store.query({
      from: START,
      to: END,
      series: ['tg.a.ms', 'tg.zz.ms'],
      maxPoints: 2000,
    });
    const step = r.step;
    for (const k of [0, 100, 700, 1439]) {
      const from = r.t[k];
      const vals: number[] = [];
      for (let t = from; t < from + step; t += 10_000)
        if (!(t >= GAP[0] && t < GAP[1])) vals.push(ms(t));
      expect(r.series['tg.a.ms'].avg[k]).toBeCloseTo(
        vals.reduce((a, b) => a + b, 0) / vals.length,
        9,
      );
    }
    const inGap = r.t
      .map((t, k) => (t >= GAP[0] && t + step <= GAP[1] ? k : -1))
      .filter((k) => k >= 0);
    expect(inGap.length).toBe(40);
    for (const k of inGap) expect(r.series['tg.a.ms'].avg[k]).toBeNull();
    expect(r.series['tg.zz.ms'].avg.every((v) => v === null)).toBe(true);
  });

  it('sees new samples and the open bucket in the next query', async () => {
    const before = await store.query({
      from: END - 10 * MINUTE,
      to: END + 10 * MINUTE,
      series: ['sys.cpu'],
      maxPoints: 10,
    });
    store.append({ v: 1, t: END + 5 * MINUTE, sys: { cpu: 99 }, tg: {} });
    const after = await store.query({
      from: END - 10 * MINUTE,
      to: END + 10 * MINUTE,
      series: ['sys.cpu'],
      maxPoints: 10,
    });
    expect(before.series['sys.cpu'].max.includes(99)).toBe(false);
    expect(after.series['sys.cpu'].max.includes(99)).toBe(true);
    const big = await store.query({
      from: END - 48 * HOUR,
      to: END + HOUR,
      series: ['sys.cpu'],
      maxPoints: 20,
    });
    expect(big.tier).toBe('1h');
    expect(big.series['sys.cpu'].max.at(-1)).toBe(99);
  });

  it('says what is wrong with a bad request', async () => {
    await expect(store.query({ from: 10, to: 5, series: [], maxPoints: 10 })).rejects.toThrow(
      /"from"/,
    );
    await expect(store.query({ from: 0, to: 5, series: [], maxPoints: 0 })).rejects.toThrow(
      /maxPoints/,
    );
  });
});

describe('tier choice on a young store', () => {
  it('keeps the fine tier when the store is younger than the range', async () => {
    const young = await makeTmpDir();
    const now = Date.UTC(2026, 10, 29, 15, 30);
    const first = now - 6 * HOUR;
    const s = await SampleStore.open(young, { now: () => now });
    try {
      for (let t = first; t < now; t += 5_000)
        s.append({ v: 1, t, sys: { cpu: 20 }, tg: { a: { up: 1, ms: 12 } } });
      const day = await s.query({
        from: now - 24 * HOUR,
        to: now,
        series: ['tg.a.ms'],
        maxPoints: 1200,
      });
      // Two-minute points, not hourly ones, on a first day: the minute tier is as old as any.
      expect(day.tier).toBe('1m');
      expect(day.step).toBe(2 * MINUTE);
      expect(day.t.filter((_, i) => day.series['tg.a.ms'].avg[i] !== null)).toHaveLength(180);
    } finally {
      await s.close();
      await removeDir(young);
    }
  });

  it('falls back to a coarser tier where retention trimmed the fine one', async () => {
    const trimmed = await makeTmpDir();
    const end = Date.UTC(2026, 10, 29);
    let s = await SampleStore.open(trimmed, { now: () => end });
    try {
      for (let t = end - 3 * 24 * HOUR; t < end; t += 60_000)
        s.append({ v: 1, t, sys: { cpu: 20 }, tg: {} });
      await s.close();
      s = await SampleStore.open(trimmed, {
        now: () => end,
        retention: { rawDays: 1, minuteDays: 90, hourDays: 1825 },
      });
      await s.maintain();
      const req = { from: end - 48 * HOUR, to: end, series: ['sys.cpu'], maxPoints: 5000 };
      const r = await s.query(req);
      expect(r.tier).toBe('1m');
      expect(r.series['sys.cpu'].avg.filter((v) => v !== null)).toHaveLength(48 * 60);
    } finally {
      await s.close();
      await removeDir(trimmed);
    }
  });
});
