import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Sample } from '../../shared/sample';
import { DAY, listSegments } from '../../electron/main/store/layout';
import { SampleStore } from '../../electron/main/store/sample-store';
import { sidecarFile } from '../../electron/main/store/sidecar';
import { makeTmpDir, removeDir } from '../helpers/tmp-dir';
import { duSamples } from './du';

const NOW = Date.UTC(2026, 5, 20, 12, 0, 0);
const START = NOW - 60 * DAY;
const retention = { rawDays: 3, minuteDays: 5, hourDays: 40 };

function sample(t: number): Sample {
  return { v: 1, t, sys: { cpu: 10 }, tg: { a: { up: 1, ms: 5 } } };
}

const names = async (dir: string, tier: 'raw' | '1m' | '1h') =>
  (await listSegments(dir, tier)).map((s) => path.basename(s.file));

let dir: string;
beforeEach(async () => {
  dir = await makeTmpDir();
  const store = await SampleStore.open(dir, { retention, now: () => NOW });
  for (let t = START; t < NOW; t += 600_000) store.append(sample(t));
  await store.close();
});
afterEach(async () => {
  await removeDir(dir);
});

describe('retention and compression', () => {
  it('drops each tier past its days, at segment boundaries, and gzips closed segments', async () => {
    const store = await SampleStore.open(dir, { retention, now: () => NOW });
    const report = await store.maintain();
    expect(await names(dir, 'raw')).toEqual([
      '2026-06-17.jsonl.gz',
      '2026-06-18.jsonl.gz',
      '2026-06-19.jsonl',
      '2026-06-20.jsonl',
    ]);
    // 1m: June 15 ends after the 5-day cutoff (June 15 12:00) and stays.
    expect((await names(dir, '1m'))[0]).toBe('2026-06-15.jsonl.gz');
    expect(await names(dir, '1h')).toEqual(['2026-05.jsonl.gz', '2026-06.jsonl']);
    expect(report.expired.length).toBeGreaterThan(0);

    const first: Sample[] = [];
    for await (const s of store.read({ from: 0, to: NOW })) {
      first.push(s);
      break;
    }
    expect(first[0].t).toBe(Date.UTC(2026, 5, 17));

    // A 24 h chart over a day raw no longer holds falls back to the minute tier.
    const old = await store.query({
      from: NOW - 4 * DAY,
      to: NOW - 3 * DAY,
      series: ['sys.cpu'],
      maxPoints: 500,
    });
    expect(old.tier).toBe('1m');
    expect(old.series['sys.cpu'].avg.filter((v) => v !== null).length).toBe(144);
    const recent = await store.query({
      from: NOW - 3 * DAY,
      to: NOW,
      series: ['sys.cpu'],
      maxPoints: 5000,
    });
    expect(recent.tier).toBe('raw');
    expect(recent.t.length).toBe(3 * 144);
    await store.close();
  });

  it('takes a late sample for a compressed day and folds it into the .gz later', async () => {
    const store = await SampleStore.open(dir, { retention, now: () => NOW });
    await store.maintain();
    const late = Date.UTC(2026, 5, 17, 3, 1, 2);
    store.append(sample(late));
    store.append(sample(NOW));
    expect(await names(dir, 'raw')).toContain('2026-06-17.jsonl');
    const count = async () => {
      let n = 0;
      for await (const s of store.read({ from: Date.UTC(2026, 5, 17), to: Date.UTC(2026, 5, 18) }))
        if (s) n++;
      return n;
    };
    expect(await count()).toBe(145);
    await store.maintain();
    expect((await names(dir, 'raw')).filter((n) => n.startsWith('2026-06-17'))).toEqual([
      '2026-06-17.jsonl.gz',
    ]);
    expect(await count()).toBe(145);
    await store.close();
  });

  it('trims the oldest raw first to stay under a byte cap, keeping the newest segment of each tier', async () => {
    let store = await SampleStore.open(dir, { retention, now: () => NOW });
    await store.maintain();
    // Queries leave column sidecars beside the raw segments: they count against the cap.
    await store.query({
      from: Date.UTC(2026, 5, 17),
      to: NOW,
      series: ['sys.cpu'],
      maxPoints: 10_000,
    });
    await store.close();
    const [oldestRaw] = await listSegments(dir, 'raw');
    const withSidecar =
      (await fs.stat(oldestRaw.file)).size + (await fs.stat(sidecarFile(oldestRaw))).size;
    const total = await duSamples(dir);

    // Over the cap only by the oldest raw segment and its sidecar: those two go.
    const cap = total - withSidecar;
    store = await SampleStore.open(dir, {
      retention: { ...retention, maxBytes: cap },
      now: () => NOW,
    });
    const r1 = await store.maintain();
    expect(r1.trimmed).toEqual([oldestRaw.file]);
    await expect(fs.stat(sidecarFile(oldestRaw))).rejects.toThrow();
    expect(await duSamples(dir)).toBeLessThanOrEqual(cap);
    await store.close();

    store = await SampleStore.open(dir, {
      retention: { ...retention, maxBytes: 1 },
      now: () => NOW,
    });
    await store.maintain();
    expect(await names(dir, 'raw')).toEqual(['2026-06-20.jsonl']);
    expect(await names(dir, '1m')).toEqual(['2026-06-20.jsonl']);
    expect(await names(dir, '1h')).toEqual(['2026-06.jsonl']);
    // A sidecar stays only beside a segment kept.
    const columns = path.join(dir, 'samples', '.columns');
    const left = await fs.readdir(columns, { recursive: true, withFileTypes: true });
    expect(left.filter((e) => e.isFile()).map((e) => e.name)).toEqual(['2026-06-20.jsonl.col']);
    await store.close();
  });
});
