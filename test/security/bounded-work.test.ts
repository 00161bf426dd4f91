import { describe, expect, it } from 'vitest';
import {
  clampToExtent,
  dataExtent,
  MAX_RANGE_MS,
  OverBudgetError,
  runBounded,
  SLICE_MS,
} from '../../electron/main/core/bounded-work';
import { ValidationError } from '../../electron/main/core/field-errors';
import { SampleStore } from '../../electron/main/store/sample-store';
import { makeTmpDir, removeDir } from '../helpers/tmp-dir';

const DAY = 86_400_000;

/** A source whose reads are endless and cost ~0.2 ms of this thread per item. */
const busySource = {
  async *read(): AsyncGenerator<number> {
    for (let i = 0; ; i++) {
      const end = performance.now() + 0.2;
      while (performance.now() < end);
      yield i;
    }
  },
};

async function consume(src: typeof busySource): Promise<number> {
  let n = 0;
  for await (const _ of src.read()) n++;
  return n;
}

/** Longest lateness of a 5 ms timer while `work` runs. */
async function stallDuring(work: Promise<unknown>): Promise<number> {
  let worst = 0;
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    worst = Math.max(worst, now - last - 5);
    last = now;
  }, 5);
  await work.catch(() => undefined);
  clearInterval(timer);
  return worst;
}

describe('bounded work', () => {
  it('refuses a range longer than any store holds, naming the field', () => {
    const now = Date.now();
    expect(() => clampToExtent({ from: 0, to: 1000 * 365 * DAY }, null, now)).toThrow(
      ValidationError,
    );
    try {
      clampToExtent({ from: 0, to: 8.64e15 }, null, now);
    } catch (err) {
      expect((err as ValidationError).fields).toEqual([
        { path: 'to', message: expect.stringMatching(/at most 100 years/) },
      ]);
    }
    expect(() => clampToExtent({ from: 0, to: MAX_RANGE_MS }, null, now)).not.toThrow();
  });

  it('cuts a range to the stored data, keeping a live end and other fields', () => {
    const now = Date.UTC(2026, 5, 15, 12);
    const extent = { from: Date.UTC(2026, 5, 1), to: Date.UTC(2026, 5, 16) };
    expect(clampToExtent({ from: 0, to: now, format: 'md' }, extent, now)).toEqual({
      from: extent.from,
      to: now,
      format: 'md',
    });
    // Inside the data: untouched.
    const inside = { from: now - DAY, to: now };
    expect(clampToExtent(inside, extent, now)).toEqual(inside);
    // Nothing stored in the range: a day at its end at most, answered at once.
    const empty = clampToExtent({ from: 0, to: 365 * DAY }, extent, now);
    expect(empty).toEqual({ from: 364 * DAY, to: 365 * DAY });
  });

  it('reads the extent from segment names only', async () => {
    const dir = await makeTmpDir('opspulse-extent-');
    try {
      expect(await dataExtent(dir)).toBeNull();
      const t = Date.UTC(2026, 0, 10, 5);
      const store = await SampleStore.open(dir, { now: () => t });
      store.append({ v: 1, t, tg: { a: { up: 1, ms: 3 } } });
      await store.close();
      const e = await dataExtent(dir);
      expect(e?.from).toBeLessThanOrEqual(Date.UTC(2026, 0, 10));
      expect(e?.to).toBeGreaterThanOrEqual(Date.UTC(2026, 0, 11));
    } finally {
      await removeDir(dir);
    }
  });

  it('gives the event loop a turn every few ms during a long read', async () => {
    const work = runBounded(busySource, consume, { budgetMs: 400 });
    const stall = await stallDuring(work);
    await expect(work).rejects.toBeInstanceOf(OverBudgetError);
    // Generous for a shared CPU: unbounded, this read would hold the thread for the whole 400 ms.
    expect(stall).toBeLessThan(SLICE_MS + 150);
  });

  it('stops when the caller aborts, and says so as an abort, not a budget', async () => {
    const abort = new AbortController();
    const work = runBounded(busySource, consume, { signal: abort.signal, budgetMs: 10_000 });
    setTimeout(() => abort.abort(new Error('client gone')), 50);
    const t0 = performance.now();
    await expect(work).rejects.toThrow('client gone');
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});
