import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { analyzeWindow, StoreReader, type AnalysisSource } from '../../electron/main/analysis';
import { ConfigStore } from '../../electron/main/config/config-store';
import { listSegments } from '../../electron/main/store/layout';
import { SampleStore } from '../../electron/main/store/sample-store';
import { generateHistory } from '../../scripts/gen';
import type { Config } from '../../shared/config-schema';
import type { TargetSample } from '../../shared/sample';
import { DAY, HOUR, MIN } from './helpers';

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'opspulse-columns-'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

/** 2026-03-10T12:00Z: the generated history ends here and hand-made hours follow. */
const END = Date.UTC(2026, 2, 10, 12);
const STEP = 60_000;

/**
 * Two generated days (the older one compressed by the generator's maintenance), then three
 * hours after a 20-minute gap: a target added at the gap, outages with changing error
 * texts and status codes, a sample whose clock stepped back, and corrupt lines.
 */
async function history(): Promise<Config> {
  await generateHistory({ out: dir, days: 2, interval: 60, targets: 4, end: END, seed: 11 });
  const store = await SampleStore.open(dir, { now: () => END + 3 * HOUR });
  const raw = (await listSegments(dir, 'raw')).at(-1)!.file;
  for (let t = END + 20 * MIN, i = 0; t < END + 3 * HOUR; t += STEP, i++) {
    const outage = (t >= END + HOUR && t < END + HOUR + 7 * MIN) || t === END + 2 * HOUR;
    const first: TargetSample = outage
      ? { up: 0, st: 503, err: i % 2 === 0 ? 'HTTP 503' : 'timeout' }
      : { up: 1, ms: 20 + (i % 7) * 1.25, fb: 11.5, st: 200, m: { depth: i % 5 } };
    store.append({
      v: 1,
      t,
      sys: { cpu: 40 + (i % 9), mem: 61.5, disk: { '/': 70 + i / 1000 } },
      tg: { scheduler: first, late: { up: i % 13 === 0 ? 0 : 1, ms: 5 + i / 3 } },
    });
    if (i === 30) store.append({ v: 1, t: t - 5 * MIN, tg: { scheduler: { up: 0 } } });
    if (i % 40 === 0) {
      store.flush();
      await fs.appendFile(raw, '{"v":1,"t":' + t + ',"tg":{"x"\nnot json at all\n');
    }
  }
  await store.close();
  return (await ConfigStore.open(dir)).get();
}

const WINDOWS = [
  { from: END - 36 * HOUR, to: END + 3 * HOUR },
  { from: END - 30 * MIN, to: END + 2 * HOUR + 30 * MIN },
  { from: END + 10 * MIN, to: END + 3 * HOUR, targets: ['scheduler', 'late', 'nope'] },
  { from: END + 2 * HOUR, to: END + 18 * HOUR },
];

/** A zone an hour off UTC, so local days and UTC segments do not line up. */
const OPTS = { timeZone: 'Europe/Berlin', now: END + 3 * HOUR };

async function both(cfg: Config, reader: StoreReader): Promise<void> {
  // The line path: the same reader without its columns.
  const lines: AnalysisSource = { read: (r) => reader.read(r) };
  for (const range of WINDOWS) {
    const want = await analyzeWindow(lines, cfg, range, undefined, OPTS);
    const got = await analyzeWindow(reader, cfg, range, undefined, OPTS);
    expect(got).toEqual(want);
    // Same key order too, so every rendered report is byte for byte the same.
    expect(JSON.stringify(got)).toBe(JSON.stringify(want));
  }
}

describe('analysis from raw columns', () => {
  it('gives the same WindowAnalysis as parsing every line, cold and from the caches', async () => {
    const cfg = await history();
    const reader = await StoreReader.open(dir);
    const probe = await analyzeWindow(reader, cfg, WINDOWS[0], undefined, OPTS);
    const sched = probe.targets.find((t) => t.id === 'scheduler')!;
    // The history has what the comparison is about.
    expect(sched.incidents.length).toBeGreaterThanOrEqual(2);
    expect(sched.statusCodes['503']).toBeGreaterThan(0);
    expect(probe.gaps.length).toBeGreaterThan(0);
    expect(probe.targets.find((t) => t.id === 'late')?.configured).toBe(false);
    const segs = await listSegments(dir, 'raw');
    expect(segs.some((s) => s.gz)).toBe(true);

    await both(cfg, reader);
    const derived = await fs.readdir(path.join(dir, 'samples', '.columns', 'raw'));
    const details = derived.filter((n) => n.endsWith('.det'));
    expect(details.sort()).toEqual(segs.map((s) => path.basename(s.file) + '.det').sort());
    await both(cfg, reader);
  });

  it('parses the lines appended after the caches and rebuilds them once far behind', async () => {
    const cfg = await history();
    const reader = await StoreReader.open(dir);
    await both(cfg, reader);
    const store = await SampleStore.open(dir, { now: () => END + 5 * HOUR });
    const more = (t: number): void =>
      store.append({ v: 1, t, tg: { scheduler: { up: t % 3 === 0 ? 1 : 0, err: `e${t % 4}` } } });
    for (let t = END + 3 * HOUR; t < END + 3 * HOUR + 10 * MIN; t += STEP) more(t);
    store.flush();
    await both(cfg, reader);
    for (let t = END + 3 * HOUR + 10 * MIN; t < END + 3 * HOUR + DAY / 2; t += 5_000) more(t);
    await store.close();
    await both(cfg, reader);
  });
});
