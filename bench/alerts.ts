import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ConfigSchema } from '../shared/config-schema';
import type { Notification } from '../shared/notification';
import { SAMPLE_VERSION, type Sample } from '../shared/sample';
import { flattenSample } from '../shared/series';
import { AlertEngine } from '../electron/main/alerts/alert-engine';
import { median } from './stats';

export interface AlertBenchResult {
  targets: number;
  rules: number;
  ticks: number;
  /** Median wall time of one `ingest` (evaluation + event append + state save), ms. */
  ingestMedianMs: number;
  ingestP95Ms: number;
  /** Baseline in the same run: serialising the sample as the store does, ms. */
  baselineMedianMs: number;
  ratioToBaseline: number;
  /** Median wall time of `snapshot` (tray/dashboard health), ms. */
  snapshotMedianMs: number;
  /** A storm of every target going down: notifications produced. */
  stormNotifications: number;
  stateFileBytes: number;
}

function p95(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length * 0.95)];
}

/**
 * Cost of alert evaluation per collection tick for 100 targets and 6 rules (two of them
 * wildcards over every target), against the cost of serialising the same sample.
 */
export async function benchAlerts(
  opts: { targets?: number; ticks?: number } = {},
): Promise<AlertBenchResult> {
  const n = opts.targets ?? 100;
  const ticks = opts.ticks ?? 400;
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'opspulse-bench-alerts-'));
  try {
    const ids = Array.from({ length: n }, (_, i) => `t${i}`);
    const config = ConfigSchema.parse({
      interval: 5,
      targets: ids.map((id, i) => ({
        id,
        name: id,
        kind: 'tcp',
        host: '127.0.0.1',
        port: 1,
        ...(i > 0 && i % 10 === 0 ? { dependsOn: 't0' } : {}),
      })),
      rules: [
        { id: 'latency', series: 'tg.*.ms', op: '>', warn: 500, crit: 2000, forSamples: 3 },
        { id: 'cert', series: 'tg.*.cert', op: '<', warn: 14, crit: 3 },
        { id: 'cpu', series: 'sys.cpu', op: '>', crit: 90, forSec: 300 },
        { id: 'mem', series: 'sys.mem', op: '>', warn: 90 },
        { id: 'disk', series: 'sys.disk.*', op: '>', warn: 90, crit: 95 },
        { id: 'conf', series: 'tg.t1.m.confidence', op: '<', warn: 0.6 },
      ],
    });
    const sent: Notification[] = [];
    let t = Date.UTC(2026, 10, 25);
    const engine = await AlertEngine.open({
      dataDir: dir,
      notifier: { notify: (x) => sent.push(x) },
      now: () => t,
    });
    const sampleAt = (i: number, up: boolean): Sample => {
      const s: Sample = {
        v: SAMPLE_VERSION,
        t,
        sys: { cpu: 20 + (i % 50), mem: 60, disk: { '/': 70, '/home': 80 } },
        tg: {},
      };
      for (const id of ids)
        s.tg[id] = up
          ? { up: 1, ms: 5 + ((i * 7) % 900), st: 200, cd: 40, m: { confidence: 0.8 } }
          : { up: 0, err: 'ECONNREFUSED' };
      return s;
    };
    const ingest: number[] = [];
    const baseline: number[] = [];
    for (let i = 0; i < ticks; i++) {
      t += 5000;
      const s = sampleAt(i, true);
      const b0 = performance.now();
      JSON.stringify(s);
      flattenSample(s);
      baseline.push(performance.now() - b0);
      const t0 = performance.now();
      engine.ingest(s, config);
      ingest.push(performance.now() - t0);
    }
    const snaps: number[] = [];
    for (let i = 0; i < 50; i++) {
      const s0 = performance.now();
      engine.snapshot(config);
      snaps.push(performance.now() - s0);
    }
    sent.length = 0;
    for (let i = 0; i < 3; i++) {
      t += 5000;
      engine.ingest(sampleAt(i, false), config);
    }
    const stormNotifications = sent.length;
    await engine.close();
    const stateFileBytes = (await fs.stat(path.join(dir, 'state', 'alerts.json'))).size;
    const ingestMedianMs = median(ingest);
    const baselineMedianMs = median(baseline);
    return {
      targets: n,
      rules: config.rules.length,
      ticks,
      ingestMedianMs: Number(ingestMedianMs.toFixed(3)),
      ingestP95Ms: Number(p95(ingest).toFixed(3)),
      baselineMedianMs: Number(baselineMedianMs.toFixed(3)),
      ratioToBaseline: Number((ingestMedianMs / baselineMedianMs).toFixed(1)),
      snapshotMedianMs: Number(median(snaps).toFixed(3)),
      stormNotifications,
      stateFileBytes,
    };
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(await benchAlerts());
}
