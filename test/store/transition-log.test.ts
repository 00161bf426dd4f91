import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { analyzeWindow, StoreReader } from '../../electron/main/analysis';
import { listSegments } from '../../electron/main/store/layout';
import { addSample, newLine, parseRollup, serializeRollup } from '../../electron/main/store/rollup';
import { SampleStore } from '../../electron/main/store/sample-store';
import { MAX_CODES, RunMemory } from '../../electron/main/store/target-runs';
import { ConfigSchema } from '../../shared/config-schema';
import type { Sample } from '../../shared/sample';
import { makeTmpDir, removeDir } from '../helpers/tmp-dir';
import { dropLastLines } from '../helpers/crash';

const T0 = Date.UTC(2026, 4, 1, 22, 41, 7);
const STEP = 10_000;

/** 3 h 20 min every 10 s across a UTC midnight; target a has outages with two errors. */
function sample(i: number): Sample {
  const down = (i >= 100 && i < 137) || (i >= 700 && i < 703) || (i >= 1000 && i < 1090);
  return {
    v: 1,
    t: T0 + i * STEP,
    sys: { cpu: (i * 13) % 100 },
    tg: {
      a: down
        ? { up: 0, ms: 2, st: i % 2 === 0 ? 503 : 500, err: i < 900 ? 'HTTP 503' : 'refused' }
        : { up: 1, ms: 3 + ((i * 31) % 50), st: 200 },
      b: { up: 1, ms: 10 + (i % 9) },
    },
  };
}

const config = ConfigSchema.parse({
  interval: STEP / 1000,
  targets: [
    { id: 'a', name: 'A', kind: 'http', url: 'http://127.0.0.1:1/' },
    { id: 'b', name: 'B', kind: 'tcp', host: '127.0.0.1', port: 2 },
  ],
  retention: { rawDays: 400, minuteDays: 400, hourDays: 1825 },
});
const window = { from: T0 - (T0 % 60_000), to: T0 + 1200 * STEP + 60_000 };

/** Raw and rollups-only analyses of the window agree on every history figure. */
async function expectSameHistory(dir: string): Promise<void> {
  const reader = await StoreReader.open(dir);
  const raw = await analyzeWindow(reader, config, window, undefined, {
    now: window.to,
    tier: 'raw',
  });
  const rollupOnly = { ...config, retention: { ...config.retention, rawDays: 1 } };
  const roll = await analyzeWindow(reader, rollupOnly, window, undefined, {
    now: window.to + 3 * 86_400_000,
  });
  expect(roll.exact).toBe(false);
  for (const id of ['a', 'b']) {
    const x = raw.targets.find((t) => t.id === id)!;
    const y = roll.targets.find((t) => t.id === id)!;
    const pick = (t: typeof x) => ({
      incidents: t.incidents,
      upMs: t.upMs,
      downMs: t.downMs,
      samples: t.samples,
      statusCodes: t.statusCodes,
      mttr: t.mttrMs,
      mtbf: t.mtbfMs,
    });
    expect(pick(y)).toEqual(pick(x));
  }
  expect(raw.targets[0].incidents.map((i) => i.error)).toEqual(['HTTP 503', 'HTTP 503', 'refused']);
}

let dir: string;
beforeEach(async () => {
  dir = await makeTmpDir();
  const store = await SampleStore.open(dir);
  for (let i = 0; i < 1200; i++) store.append(sample(i));
  await store.close();
});
afterEach(async () => {
  await removeDir(dir);
});

describe('the transition log in the rollups', () => {
  it('gives the same incidents, times and codes as raw', async () => {
    await expectSameHistory(dir);
  });

  it('is rebuilt from raw after a crash lost minute and hour lines', async () => {
    for (const tier of ['1m', '1h'] as const) {
      const last = (await listSegments(dir, tier)).at(-1)!.file;
      // A crash: the newest lines never reached the disk, and the last one is torn.
      await dropLastLines(last, tier === '1m' ? 40 : 1, true);
    }
    const store = await SampleStore.open(dir);
    expect(store.openReport.replayedSamples).toBeGreaterThan(0);
    await store.close();
    await expectSameHistory(dir);
  });

  it('is rewritten by store rebuild the same way', async () => {
    const store = await SampleStore.open(dir);
    await store.rebuild();
    await store.close();
    await expectSameHistory(dir);
  });

  it('charts latency of successful probes only, from raw columns and rollups alike', async () => {
    const store = await SampleStore.open(dir);
    try {
      for (const maxPoints of [100_000, 50]) {
        const q = await store.query({
          from: T0,
          to: T0 + 1200 * STEP,
          series: ['tg.a.ms'],
          maxPoints,
        });
        const mins = q.series['tg.a.ms'].min.filter((v): v is number => v !== null);
        expect(mins.length).toBeGreaterThan(0);
        // Failed probes took 2 ms; successful ones at least 3.
        expect(Math.min(...mins)).toBeGreaterThanOrEqual(3);
      }
    } finally {
      await store.close();
    }
  });

  it('round-trips through the line format, bounded, and still reads version 1 lines', () => {
    const line = newLine(T0 - (T0 % 60_000), 60_000);
    const memory = new RunMemory();
    for (let i = 0; i < 6; i++) addSample(line, sample(100 + i), memory);
    for (let code = 0; code < MAX_CODES + 3; code++)
      addSample(line, { v: 1, t: line.t + 59_000, tg: { c: { up: 1, st: 200 + code } } }, memory);
    const back = parseRollup(serializeRollup(line).trimEnd())!;
    expect(back.v).toBe(2);
    expect(back.targets.get('a')!.runs).toEqual(line.targets.get('a')!.runs);
    expect(back.targets.get('a')!.codes).toEqual(line.targets.get('a')!.codes);
    expect(back.targets.get('a')!.errors).toEqual(new Map([['HTTP 503', 6]]));
    // Codes past the top MAX_CODES are counted, not listed.
    const c = back.targets.get('c')!.codes;
    expect(c.size).toBe(MAX_CODES + 1);
    expect([...c.values()].reduce((s, n) => s + n, 0)).toBe(MAX_CODES + 3);
    // No latency for failed probes: one latency definition at every tier.
    expect(back.series.get('tg.a.ms')).toBeUndefined();

    const old = parseRollup(
      '{"v":1,"t":60000,"d":60000,"n":2,"f":0,"l":10000,"s":{"tg.a.up":[2,1,0,1],"tg.a.ms":[2,7,2,5]}}',
    )!;
    expect(old.v).toBe(1);
    expect(old.targets.size).toBe(0);
    expect(old.series.get('tg.a.ms')!.count).toBe(2);
  });
});
