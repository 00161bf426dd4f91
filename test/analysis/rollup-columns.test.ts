import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeWindow, StoreReader, type AnalysisSource } from '../../electron/main/analysis';
import { ConfigStore } from '../../electron/main/config/config-store';
import { listSegments } from '../../electron/main/store/layout';
import { readRollupColumns } from '../../electron/main/store/rollup-columns';
import { detailsFile } from '../../electron/main/store/sidecar';
import { SampleStore } from '../../electron/main/store/sample-store';
import { generateHistory } from '../../scripts/gen';
import type { Config } from '../../shared/config-schema';
import type { TargetSample } from '../../shared/sample';
import { DAY, HOUR, MIN } from './helpers';

/** 2026-03-10T12:00Z: the generated history ends here and hand-made hours follow. */
const END = Date.UTC(2026, 2, 10, 12);
/** Off the minute, so that the bucket open at NOW is read raw. */
const NOW = END + 6 * HOUR + 90_000;

let dir: string;
let cfg: Config;

/**
 * 35 generated days (outages, a target added part-way, one retired; older segments
 * compressed), then six hand-made hours after a 25-minute gap: a target added at the gap,
 * outages that open minute buckets (so lines list series in another order than the
 * segment first did), a clock step back, and, in the minute tier, a bucket written in two
 * lines and corrupt lines. Analyses keep 2 days of raw and 4 of minutes, so 7 and 30 day
 * windows read hours, minutes and raw.
 */
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'opspulse-rollup-columns-'));
  await generateHistory({
    out: dir,
    days: 35,
    interval: 300,
    recentDays: 3,
    recentInterval: 30,
    targets: 4,
    end: END,
    seed: 7,
  });
  const store = await SampleStore.open(dir, { now: () => NOW });
  for (let t = END + 25 * MIN, i = 0; t < NOW; t += 20_000, i++) {
    const outage = t % HOUR < 3 * MIN || (t >= END + 2 * HOUR && t < END + 2 * HOUR + 9 * MIN);
    const sched: TargetSample = outage
      ? { up: 0, st: 503, err: 'HTTP 503' }
      : { up: 1, ms: 20 + (i % 7) * 1.25, fb: 11.5, st: 200, m: { depth: i % 5 } };
    store.append({
      v: 1,
      t,
      sys: { cpu: 40 + (i % 9), mem: 61.5, disk: { '/': 70 + i / 1000 } },
      tg: { late: { up: i % 13 === 0 ? 0 : 1, ms: 5 + i / 3 }, scheduler: sched },
    });
    if (i === 300) store.append({ v: 1, t: t - 5 * MIN, tg: { scheduler: { up: 0 } } });
  }
  await store.close();
  const minute = (await listSegments(dir, '1m')).at(-1)!.file;
  const lines = (await fs.readFile(minute, 'utf8')).trimEnd().split('\n');
  // A bucket once more, as a clock step back writes it: a second line with the same time.
  const at = lines.findIndex((l) => l.startsWith(`{"v":2,"t":${END + 3 * HOUR},`));
  lines.splice(at + 1, 0, lines[at].replace(/"n":\d+/, '"n":1'));
  lines.push('{"v":1,"t":12,"s":{"x":[1,2]}}', 'not json');
  await fs.writeFile(minute, lines.join('\n') + '\n');
  cfg = (await ConfigStore.open(dir)).get();
  cfg = { ...cfg, retention: { ...cfg.retention, rawDays: 2, minuteDays: 4 } };
}, 120_000);
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const WINDOWS = [
  { from: NOW - 7 * DAY, to: NOW },
  { from: NOW - 30 * DAY, to: NOW },
  { from: NOW - 30 * DAY - 7 * HOUR, to: NOW - 3 * HOUR, targets: ['scheduler', 'late', 'nope'] },
  { from: END - 6 * DAY - 30 * MIN, to: END + DAY },
  // Opens on the first bucket after the gap, whose line lists the late target first.
  { from: END + 27 * MIN, to: NOW },
];

/** The line path (the same source without rollup columns) and the column path agree. */
async function both(reader: Required<AnalysisSource>, now = NOW): Promise<void> {
  const lines: AnalysisSource = {
    read: (r) => reader.read(r),
    readRawColumns: (r) => reader.readRawColumns(r),
    readRollups: (tier, r) => reader.readRollups(tier, r),
  };
  for (const range of WINDOWS) {
    for (const tier of ['auto', '1m'] as const) {
      // A zone an hour off UTC, so local days and UTC segments do not line up.
      const opts = { timeZone: 'Europe/Berlin', now, tier };
      const want = await analyzeWindow(lines, cfg, range, undefined, opts);
      const got = await analyzeWindow(reader, cfg, range, undefined, opts);
      expect(got).toEqual(want);
      // Same key order too, so every rendered report is byte for byte the same.
      expect(JSON.stringify(got)).toBe(JSON.stringify(want));
    }
  }
}

describe('analysis from rollup columns', () => {
  it('gives the same WindowAnalysis as parsing every rollup line, cold and cached', async () => {
    const reader = await StoreReader.open(dir);
    const week = await analyzeWindow(reader, cfg, WINDOWS[0], undefined, {
      timeZone: 'Europe/Berlin',
      now: NOW,
    });
    // The history has what the comparison is about.
    expect(week.tiers.map((s) => s.tier)).toEqual(['1h', '1m', 'raw']);
    const sched = week.targets.find((t) => t.id === 'scheduler')!;
    expect(sched.incidents.length).toBeGreaterThanOrEqual(3);
    expect(week.gaps.length).toBeGreaterThan(0);
    expect(week.targets.find((t) => t.id === 'late')?.configured).toBe(false);
    for (const tier of ['1m', '1h'] as const) {
      const segs = await listSegments(dir, tier);
      expect(segs.some((s) => s.gz)).toBe(true);
    }
    // Lines whose series order the details file has to keep.
    let reordered = 0;
    for await (const part of readRollupColumns(dir, '1m', { from: END, to: NOW }))
      reordered += part.order.size;
    expect(reordered).toBeGreaterThan(0);

    await both(reader);
    // Every hour segment is read by some window, minute segments of the last 4 days only.
    const read = [
      ...(await listSegments(dir, '1h')),
      ...(await listSegments(dir, '1m')).filter((s) => s.end > NOW - 4 * DAY),
    ];
    for (const seg of read) await expect(fs.stat(detailsFile(seg))).resolves.toBeTruthy();
    await both(reader);
  }, 60_000);

  it('falls back to the lines and rebuilds when a details file is corrupt or stale', async () => {
    const reader = await StoreReader.open(dir);
    // maintain() wrote details for every compressed segment: keep those the reports read.
    for (const seg of [...(await listSegments(dir, '1m')), ...(await listSegments(dir, '1h'))])
      await fs.rm(detailsFile(seg), { force: true });
    await both(reader);
    const all = [...(await listSegments(dir, '1m')), ...(await listSegments(dir, '1h'))];
    const segs = [];
    for (const seg of all) if (await exists(detailsFile(seg))) segs.push(seg);
    expect(segs.length).toBeGreaterThan(4);
    const damaged = segs.filter((_, i) => i % 2 === 0).map(detailsFile);
    for (const file of damaged) {
      const buf = await fs.readFile(file);
      buf[buf.length - 3] ^= 0xff;
      await fs.writeFile(file, buf);
    }
    // An older format's file: another magic.
    const old = detailsFile(segs[1]);
    const buf = await fs.readFile(old);
    buf.write('OPSRDT0\n', 0);
    await fs.writeFile(old, buf);
    await both(reader);
    for (const file of [...damaged, old])
      expect((await fs.readFile(file)).subarray(0, 8).toString()).toBe('OPSRDT2\n');
  }, 60_000);

  it('reads the lines appended after the caches of a segment still being written', async () => {
    const reader = await StoreReader.open(dir);
    await both(reader);
    const later = NOW + 2 * HOUR;
    const store = await SampleStore.open(dir, { now: () => later });
    for (let t = NOW; t < later; t += 20_000)
      store.append({ v: 1, t, tg: { scheduler: { up: t % 3 === 0 ? 1 : 0, ms: 9 } } });
    store.flush();
    // The store itself, its open buckets in memory, as the dashboard's analyses read it.
    await both(store, later);
    await store.close();
    await both(reader, later);
  }, 60_000);
});

async function exists(file: string): Promise<boolean> {
  return (await fs.stat(file).catch(() => null)) !== null;
}
