import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Ajv } from 'ajv';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { analyzeWindow, StoreReader } from '../../electron/main/analysis';
import { planTiers } from '../../electron/main/analysis/plan';
import { buildReport, renderReport } from '../../electron/main/reports';
import { SampleStore } from '../../electron/main/store/sample-store';
import { SKETCH_RELATIVE_ERROR } from '../../electron/main/store/sketch';
import { generateHistory } from '../../scripts/gen';
import type { WindowAnalysis } from '../../shared/analysis';
import type { Sample } from '../../shared/sample';
import { config, DAY, down, HOUR, httpTarget, MIN, series, T0, up } from './helpers';

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'opspulse-analysis-'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const retention = { rawDays: 1, minuteDays: 90, hourDays: 1825 };

async function storeWith(samples: Sample[], now: number): Promise<SampleStore> {
  const store = await SampleStore.open(dir, { retention, now: () => now });
  for (const s of samples) store.append(s);
  return store;
}

describe('planTiers', () => {
  const now = T0 + 30 * DAY;
  const r = { rawDays: 14, minuteDays: 90, hourDays: 1825 };
  it('reads short windows raw, a week from 1-minute rollups and longer from 1-hour ones', () => {
    expect(planTiers(now - DAY, now, r, now)).toEqual([{ tier: 'raw', from: now - DAY, to: now }]);
    expect(planTiers(now - 7 * DAY, now, r, now)).toEqual([
      { tier: '1m', from: now - 7 * DAY, to: now },
    ]);
    expect(planTiers(now - 365 * DAY, now, r, now)).toEqual([
      { tier: '1h', from: now - 365 * DAY, to: now },
    ]);
  });

  it('falls back to a coarser tier for the part older than the finer one keeps', () => {
    const from = now - 15 * DAY;
    expect(planTiers(from, from + 2 * DAY, r, now)).toEqual([
      { tier: '1m', from, to: now - 14 * DAY },
      { tier: 'raw', from: now - 14 * DAY, to: from + 2 * DAY },
    ]);
    const mid = now + 30 * MIN + 5_000; // half an hour into an open hour bucket
    // Edges inside a bucket go to the finest tier keeping them: minutes for the start (raw
    // is gone there), minutes then raw for the partial hour and minute at the end.
    expect(planTiers(mid - 30 * DAY, mid, r, mid)).toEqual([
      { tier: '1m', from: mid - 30 * DAY, to: now - 30 * DAY + HOUR },
      { tier: '1h', from: now - 30 * DAY + HOUR, to: now },
      { tier: '1m', from: now, to: now + 30 * MIN },
      { tier: 'raw', from: now + 30 * MIN, to: mid },
    ]);
    const old = now - 100 * DAY;
    expect(planTiers(old, old + 7 * DAY, r, now)).toEqual([
      { tier: '1h', from: old, to: old + 7 * DAY },
    ]);
  });
});

describe('analyzeWindow over the real store', () => {
  it('joins 1-minute rollups and raw samples in a window that straddles tiers', async () => {
    const now = T0 + 3 * DAY;
    const a0 = T0 + DAY + 10 * HOUR + 30_000; // in the 1m part, not on a minute boundary
    const a1 = a0 + 20 * MIN;
    const b0 = T0 + 2 * DAY + 14 * HOUR; // in the raw part
    const b1 = b0 + 5 * MIN;
    const samples = series(T0, now, 30_000, (t) => ({
      api: (t >= a0 && t < a1) || (t >= b0 && t < b1) ? down() : up(10 + ((t / 30_000) % 100)),
    }));
    const store = await storeWith(samples, now);
    try {
      const cfg = config({ retention, targets: [httpTarget('api')] });
      const from = T0 + DAY;
      const a = await analyzeWindow(store, cfg, { from, to: now }, undefined, {
        timeZone: 'UTC',
        now,
      });
      expect(a.tiers).toEqual([
        { tier: '1m', from, to: T0 + 2 * DAY },
        { tier: 'raw', from: T0 + 2 * DAY, to: now },
      ]);
      expect(a.exact).toBe(false);
      expect(a.gaps).toEqual([]);
      expect(a.coveredMs).toBe(2 * DAY);
      const api = a.targets[0];
      expect(api.samples).toBe(2 * 2880);
      expect(api.downMs).toBe(25 * MIN);
      expect(api.incidents.map((i) => [i.start, i.end])).toEqual([
        [a0, a1],
        [b0, b1],
      ]);
      expect(api.uptimePct).toBeCloseTo((100 * (2 * DAY - 25 * MIN)) / (2 * DAY), 10);
      expect(a.days.map((d) => d.targets.api.samples)).toEqual([2880, 2880]);

      // The JSON report of a rollup-backed window still follows the published schema.
      const report = await buildReport(store, cfg, { from, to: now }, { timeZone: 'UTC', now });
      expect(report.previous?.samples).toBe(2880);
      expect(report.analysis.tiers).toEqual(a.tiers);
      const validate = new Ajv({ strict: true }).compile(
        JSON.parse(await fs.readFile('resources/schemas/report.schema.json', 'utf8')) as object,
      );
      expect(validate(JSON.parse(renderReport(report, 'json')))).toBe(true);
    } finally {
      await store.close();
    }
  });

  // Generating the history through the real store takes a few seconds on a busy machine.
  it(
    'gives rollup answers within the sketch error of the exact raw ones',
    { timeout: 90_000 },
    async () => {
      const end = Date.UTC(2026, 5, 10);
      await generateHistory({ out: dir, days: 3, interval: 60, targets: 4, end, seed: 7 });
      const store = await SampleStore.open(dir, { now: () => end });
      try {
        const cfg = config({ interval: 60 });
        const range = { from: end - 2 * DAY, to: end };
        const opts = { timeZone: 'UTC', now: end };
        const run = (tier: 'raw' | '1m' | '1h'): Promise<WindowAnalysis> =>
          analyzeWindow(store, cfg, range, undefined, { ...opts, tier });
        const raw = await run('raw');
        expect(raw.exact).toBe(true);

        // The lock-free reader the CLI uses answers exactly as the store does, and skips
        // lines that are not rollups.
        const minuteDir = path.join(dir, 'samples', '1m');
        const seg = (await fs.readdir(minuteDir)).find((f) => f.endsWith('.jsonl'))!;
        await fs.appendFile(path.join(minuteDir, seg), 'not json\n{"v":1,"t":"x"}\n');
        const reader = await StoreReader.open(dir);
        for (const tier of ['1m', '1h'] as const)
          expect(await analyzeWindow(reader, cfg, range, undefined, { ...opts, tier })).toEqual(
            await analyzeWindow(store, cfg, range, undefined, { ...opts, tier }),
          );
        for (const tier of ['1m', '1h'] as const) {
          const r = await run(tier);
          expect(r.tiers).toEqual([{ tier, ...range }]);
          expect(r.samples).toBe(raw.samples);
          expect(r.coveredMs).toBe(raw.coveredMs);
          for (const t of raw.targets) {
            const x = r.targets.find((y) => y.id === t.id)!;
            expect(x.samples).toBe(t.samples);
            expect(x.upSamples).toBe(t.upSamples);
            // Each incident's edges may move by up to a bucket.
            const slack = (tier === '1m' ? MIN : HOUR) * (t.incidents.length + 1) * 2;
            expect(Math.abs(x.downMs - t.downMs)).toBeLessThanOrEqual(slack);
            if (t.latency.p95 !== null && t.downMs === 0) {
              const err = 2 * SKETCH_RELATIVE_ERROR;
              expect(Math.abs(x.latency.p95! - t.latency.p95) / t.latency.p95).toBeLessThan(err);
              expect(Math.abs(x.latency.p50! - t.latency.p50!) / t.latency.p50!).toBeLessThan(err);
              expect(x.latency.avg).toBeCloseTo(t.latency.avg!, 6);
              expect(x.latency.max).toBe(t.latency.max);
            }
            for (const m of t.metrics) {
              const y = x.metrics.find((z) => z.series === m.series)!;
              expect(y.avg).toBeCloseTo(m.avg!, 6);
              expect(y.min).toBe(m.min);
              expect(y.max).toBe(m.max);
            }
          }
          for (const s of raw.system) {
            const y = r.system.find((z) => z.series === s.series)!;
            expect(y.avg).toBeCloseTo(s.avg!, 6);
            expect(y.max).toBe(s.max);
            if (s.slopePerDay !== null && Math.abs(s.slopePerDay) > 1)
              expect(
                Math.abs(y.slopePerDay! - s.slopePerDay) / Math.abs(s.slopePerDay),
              ).toBeLessThan(0.1);
          }
        }
      } finally {
        await store.close();
      }
    },
  );
});
