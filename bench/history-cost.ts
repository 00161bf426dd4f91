import fs from 'node:fs/promises';
import path from 'node:path';
import { historySamples } from '../scripts/gen';
import { SampleStore } from '../electron/main/store/sample-store';
import { sidecarBytes } from '../electron/main/store/sidecar';
import { median } from './stats';
import { pairedIngest } from './paired-ingest';

/**
 * What the transition log and the extra rollup fields (status codes, error texts, runs,
 * system sketches) cost, against rollups without them (the store's `transitions: false`,
 * the format before them), budgets 10 % each:
 *  1. ingest time per sample with 1m + 1h rollups, paired runs over the same samples;
 *  2. bytes on disk of the same history (30 days at 60 s, then 2 days at 5 s; system + 10
 *     targets with outages), after maintenance (gzip of closed segments, rollup caches).
 */
export async function benchHistoryCost(root: string): Promise<void> {
  const end = Date.UTC(2026, 0, 2);
  const samples = [...historySamples({ days: 1, interval: 5, targets: 10, end, seed: 5 })];
  const {
    base: before,
    candidate: after,
    ratios,
    chunk,
  } = await pairedIngest(
    root,
    samples,
    { transitions: false },
    { transitions: true },
    { warmups: 2, pairs: 12 },
  );
  console.log(
    `history cost, ingest (system + 10 targets at 5 s, 1m + 1h rollups, 12 paired runs of ${chunk}): ` +
      `before ${median(before).toFixed(1)} us/sample, with the transition log and extra fields ` +
      `${median(after).toFixed(1)} us/sample, median paired ratio ${median(ratios).toFixed(3)} (budget <= 1.10)`,
  );

  const diskEnd = Date.UTC(2026, 1, 1);
  const opts = {
    days: 30,
    interval: 60,
    recentDays: 2,
    recentInterval: 5,
    targets: 10,
    end: diskEnd,
    seed: 9,
  };
  const bytes: Record<string, { total: number; rollups: number }> = {};
  for (const transitions of [false, true]) {
    const dir = path.join(root, `disk-${transitions}`);
    const store = await SampleStore.open(dir, { transitions, now: () => diskEnd + 2 * 86_400_000 });
    for (const s of historySamples(opts)) store.append(s);
    await store.maintain();
    const stats = await store.stats();
    await store.close();
    const side = await sidecarBytes(dir);
    const rollups = stats.filter((s) => s.tier !== 'raw').reduce((a, s) => a + s.bytes, 0);
    bytes[String(transitions)] = {
      total: stats.reduce((a, s) => a + s.bytes, 0) + side,
      rollups,
    };
    await fs.rm(dir, { recursive: true, force: true });
  }
  const b = bytes['false'];
  const a = bytes['true'];
  const kb = (x: number): string => `${(x / 1024).toFixed(0)} KB`;
  console.log(
    `history cost, disk (30 d at 60 s + 2 d at 5 s, after maintenance, column caches included): ` +
      `before ${kb(b.total)}, after ${kb(a.total)}, ratio ${(a.total / b.total).toFixed(3)} (budget <= 1.10); ` +
      `rollup tiers alone ${kb(b.rollups)} -> ${kb(a.rollups)}, ratio ${(a.rollups / b.rollups).toFixed(3)}`,
  );
}
