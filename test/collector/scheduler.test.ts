import { describe, expect, it } from 'vitest';
import { Scheduler } from '../../electron/main/collector/scheduler';
import { ManualClock } from '../helpers/manual-clock';

/** Fires every timer 1 ms before it is due, as Node's timers sometimes do. */
class EarlyClock extends ManualClock {
  override setTimeout(fn: () => void, ms: number): unknown {
    return super.setTimeout(fn, ms - 1);
  }
}

const START = Date.UTC(2026, 0, 1, 12, 0, 0) + 1_234;

describe('Scheduler', () => {
  it('ticks once per interval on wall-clock boundaries', async () => {
    const clock = new ManualClock(START);
    const due: number[] = [];
    const s = new Scheduler({
      tickAtStart: false,
      intervalMs: 5_000,
      clock,
      tick: async (d) => void due.push(d),
    });
    s.start();
    await clock.advance(20_000);
    expect(due).toEqual([5_000, 10_000, 15_000, 20_000].map((x) => START - 1_234 + x));
    expect(s.stats).toEqual({ ticks: 4, skipped: 0, late: 0, failed: 0 });
    await s.stop();
  });

  it('skips (and counts) a tick that is due while the previous one still runs', async () => {
    const clock = new ManualClock(START);
    let release!: () => void;
    let calls = 0;
    const s = new Scheduler({
      tickAtStart: false,
      intervalMs: 1_000,
      clock,
      tick: () => {
        calls++;
        return calls === 1 ? new Promise<void>((r) => (release = r)) : Promise.resolve();
      },
    });
    s.start();
    await clock.advance(3_500); // first tick at +1 s hangs; the ones at +2 s and +3 s skip
    expect(calls).toBe(1);
    expect(s.stats.skipped).toBe(1); // +2 s; +3 s waits for the running one
    release();
    await clock.advance(0); // it ends half an interval after +3 s: too late to run +3 s
    expect(s.stats.skipped).toBe(2);
    await clock.advance(1_000);
    expect(calls).toBe(2);
    expect(s.stats).toMatchObject({ ticks: 2, skipped: 2 });
    await s.stop();
  });

  it('does not burst catch-up ticks after a sleep or a clock jump', async () => {
    const clock = new ManualClock(START);
    const due: number[] = [];
    const s = new Scheduler({
      tickAtStart: false,
      intervalMs: 10_000,
      clock,
      tick: async (d) => void due.push(d),
    });
    s.start();
    await clock.advance(10_000);
    expect(due).toHaveLength(1);
    clock.jump(3_600_000); // the machine slept an hour; the pending timer fires late, once
    const woke = clock.now();
    await clock.advance(1);
    expect(due).toHaveLength(2);
    expect(due[1]).toBe(woke); // stamped with the real time, not the stale boundary
    await clock.advance(10_000);
    expect(due).toHaveLength(3);
    expect(due[2] % 10_000).toBe(0);
    expect(due[2] - due[1]).toBeLessThanOrEqual(10_000);
    expect(clock.pending).toBe(1);
    await s.stop();
  });

  it('keeps going after a tick throws, and stop() waits for the running tick', async () => {
    const clock = new ManualClock(START);
    const errors: unknown[] = [];
    let finished = false;
    let n = 0;
    const s = new Scheduler({
      tickAtStart: false,
      intervalMs: 1_000,
      clock,
      onError: (e) => errors.push(e),
      tick: async () => {
        n++;
        if (n === 1) throw new Error('boom');
        await Promise.resolve();
        finished = true;
      },
    });
    s.start();
    await clock.advance(2_000);
    expect(errors).toHaveLength(1);
    expect(s.stats).toMatchObject({ ticks: 2, failed: 1 });
    await s.stop();
    expect(finished).toBe(true);
    expect(clock.pending).toBe(0);
  });

  it('pauses and resumes via stop/start without losing its interval', async () => {
    const clock = new ManualClock(START);
    let n = 0;
    const s = new Scheduler({
      tickAtStart: false,
      intervalMs: 1_000,
      clock,
      tick: async () => void n++,
    });
    s.start();
    await clock.advance(2_000);
    await s.stop();
    await clock.advance(5_000);
    expect(n).toBe(2);
    s.start();
    await clock.advance(2_000);
    expect(n).toBe(4);
    await s.stop();
  });

  it('ticks at start, then on the first boundary at least half an interval later', async () => {
    const clock = new ManualClock(START);
    const due: number[] = [];
    const s = new Scheduler({ intervalMs: 5_000, clock, tick: async (d) => void due.push(d) });
    s.start();
    await clock.advance(0);
    expect(due).toEqual([START]);
    await clock.advance(10_000);
    const base = START - 1_234;
    expect(due).toEqual([START, base + 5_000, base + 10_000]);

    // Started 1 s before a boundary: that boundary is too close and is not a tick of its own.
    const late = new ManualClock(base + 4_000);
    const due2: number[] = [];
    const s2 = new Scheduler({
      intervalMs: 5_000,
      clock: late,
      tick: async (d) => void due2.push(d),
    });
    s2.start();
    await late.advance(6_000);
    expect(due2).toEqual([base + 4_000, base + 10_000]);
    expect(s2.stats.skipped).toBe(0);
    await Promise.all([s.stop(), s2.stop()]);
  });

  it('never ticks a boundary twice when timers fire a millisecond early', async () => {
    const clock = new EarlyClock(START);
    const due: number[] = [];
    const s = new Scheduler({
      tickAtStart: false,
      intervalMs: 1_000,
      clock,
      tick: async (d) => void due.push(d),
    });
    s.start();
    await clock.advance(300_000);
    expect(new Set(due).size).toBe(due.length);
    expect(due.length).toBe(300);
    for (let i = 1; i < due.length; i++) expect(due[i] - due[i - 1]).toBe(1_000);
    expect(s.stats).toEqual({ ticks: 300, skipped: 0, late: 0, failed: 0 });
    await s.stop();
  });

  it('runs a boundary late, not never, when the previous tick overran it by a little', async () => {
    const clock = new ManualClock(START);
    const due: number[] = [];
    let release!: () => void;
    const s = new Scheduler({
      tickAtStart: false,
      intervalMs: 1_000,
      clock,
      tick: (d) => {
        due.push(d);
        return due.length === 1 ? new Promise<void>((r) => (release = r)) : Promise.resolve();
      },
    });
    s.start();
    // The first tick (:02) still runs when :03 comes; it ends 334 ms after :03.
    await clock.advance(2_100);
    release();
    await clock.advance(0);
    const base = START - 1_234;
    expect(due).toEqual([base + 2_000, base + 3_000]);
    expect(s.stats).toMatchObject({ ticks: 2, late: 1, skipped: 0 });
    await s.stop();
  });
});
