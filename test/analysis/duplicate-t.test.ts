import { describe, expect, it } from 'vitest';
import { analyzeWindow } from '../../electron/main/analysis';
import type { Sample } from '../../shared/sample';
import { arraySource, config, httpTarget, MIN, T0 } from './helpers';

/**
 * A timer that fired early used to stamp two samples with the same boundary; the analysis
 * must count such a sample once, not twice.
 */
describe('a repeated sample time', () => {
  it('is counted once', async () => {
    const cfg = config({ interval: 30, targets: [httpTarget('api')] });
    const samples: Sample[] = [];
    for (let t = T0; t < T0 + 10 * MIN; t += 30_000)
      samples.push({ v: 1, t, tg: { api: { up: t === T0 + 3 * MIN ? 0 : 1, ms: 10 } } });
    const dup = samples.findIndex((s) => s.t === T0 + 3 * MIN);
    const withDup = [...samples.slice(0, dup + 1), samples[dup], ...samples.slice(dup + 1)];
    const range = { from: T0, to: T0 + 10 * MIN };
    const once = await analyzeWindow(arraySource(samples), cfg, range, undefined, {
      now: range.to,
    });
    const twice = await analyzeWindow(arraySource(withDup), cfg, range, undefined, {
      now: range.to,
    });
    expect(twice).toEqual(once);
  });
});
