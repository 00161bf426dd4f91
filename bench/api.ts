/**
 * `npm run bench -- api`: what a hostile range costs the core (issue 12). Over a store with
 * a year of history (every 10 min, the last 3 days every 5 s, 5 targets), through the real
 * HTTP server: a year-long analysis and report answered, a 1000-year one refused, and the
 * longest stall of the event loop (the collector's thread) meanwhile, next to the same
 * analysis run unbounded. Budget: answered or refused within 1 s, no stall near an interval.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ConfigStore } from '../electron/main/config/config-store';
import { analyzeWindow } from '../electron/main/analysis';
import { Monitor } from '../electron/main/core/monitor';
import { startServer } from '../electron/main/server/server';
import { SampleStore } from '../electron/main/store/sample-store';
import type { Sample } from '../shared/sample';
import { median } from './stats';

const DAY = 86_400_000;
const YEAR = 365 * DAY;
const TARGETS = ['api', 'db', 'queue', 'llm', 'cache'];

async function seed(dir: string, end: number): Promise<number> {
  const store = await SampleStore.open(dir, { now: () => end });
  let n = 0;
  const add = (t: number): void => {
    const tg: Sample['tg'] = {};
    TARGETS.forEach(
      (id, i) =>
        (tg[id] = { up: (t / 1000 + i) % 97 === 0 ? 0 : 1, ms: 5 + ((t / 1000) % (7 + i)) }),
    );
    store.append({ v: 1, t, sys: { cpu: 10 + ((t / 1000) % 13), mem: 40, load1: 0.5 }, tg });
    n++;
  };
  const recent = end - 3 * DAY;
  for (let t = Math.ceil((end - YEAR) / 600_000) * 600_000; t < recent; t += 600_000) add(t);
  for (let t = Math.ceil(recent / 5000) * 5000; t < end; t += 5000) add(t);
  await store.close();
  const cfg = await ConfigStore.open(dir);
  await cfg.update((d) => {
    d.interval = 5;
    d.system.enabled = false;
  });
  return n;
}

/** Largest lateness of a 5 ms timer while `work` runs: how long the thread was held. */
async function longestStall<T>(
  work: () => Promise<T>,
): Promise<{ value: T; stallMs: number; ms: number }> {
  let stall = 0;
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    stall = Math.max(stall, now - last - 5);
    last = now;
  }, 5);
  const t0 = performance.now();
  try {
    const value = await work();
    return { value, stallMs: stall, ms: performance.now() - t0 };
  } finally {
    clearInterval(timer);
  }
}

export async function benchApi(): Promise<void> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'opspulse-bench-api-'));
  try {
    const end = Date.now();
    const s0 = performance.now();
    const samples = await seed(dir, end);
    console.log(
      `api: ${samples} samples seeded in ${((performance.now() - s0) / 1000).toFixed(1)} s`,
    );
    const monitor = await Monitor.open({ dataDir: dir, systemMetrics: false });
    const server = await startServer({ api: monitor, host: '127.0.0.1', port: 0, staticDir: dir });
    const get = async (p: string): Promise<{ status: number; ms: number }> => {
      const t0 = performance.now();
      const r = await fetch(`${server.url}${p}`);
      await r.arrayBuffer();
      return { status: r.status, ms: performance.now() - t0 };
    };
    try {
      const now = Date.now();
      const yearQ = `from=${now - YEAR}&to=${now}`;
      // Warm: the first read builds the column cache, as the store's own bench measures.
      await get(`/api/analyze?${yearQ}`);
      const rows: string[][] = [];
      const runs = 5;
      const measure = async (label: string, p: string): Promise<void> => {
        const times: number[] = [];
        let status = 0;
        let stall = 0;
        for (let i = 0; i < runs; i++) {
          const r = await longestStall(() => get(p));
          times.push(r.value.ms);
          status = r.value.status;
          stall = Math.max(stall, r.stallMs);
        }
        rows.push([label, String(status), median(times).toFixed(0), stall.toFixed(0)]);
      };
      await measure('analyze 1 y', `/api/analyze?${yearQ}`);
      await measure('report 1 y (html)', `/api/report?${yearQ}&format=html`);
      await measure('analyze 1000 y', `/api/analyze?from=0&to=${1000 * YEAR}`);
      await measure('analyze 0 .. 8.64e15', `/api/analyze?from=0&to=8640000000000000`);
      await measure('report 1000 y', `/api/report?from=0&to=${1000 * YEAR}&format=md`);
      await measure(
        'query 1000 y',
        `/api/query?from=0&to=${1000 * YEAR}&series=sys.cpu&maxPoints=500`,
      );

      // The same year-long analysis straight on the store, without the bounded view.
      const cfg = (await monitor.getConfig()) as Parameters<typeof analyzeWindow>[1];
      const bare: number[] = [];
      let bareStall = 0;
      for (let i = 0; i < runs; i++) {
        const r = await longestStall(() =>
          analyzeWindow(monitor.store, cfg, { from: now - YEAR, to: now }, undefined, { now }),
        );
        bare.push(r.ms);
        bareStall = Math.max(bareStall, r.stallMs);
      }
      rows.push([
        'analyze 1 y, unbounded (in-process)',
        '-',
        median(bare).toFixed(0),
        bareStall.toFixed(0),
      ]);

      const widths = [0, 1, 2, 3].map((c) =>
        Math.max(
          ...[['request', 'status', 'median ms', 'longest stall ms'], ...rows].map(
            (r) => r[c].length,
          ),
        ),
      );
      const line = (r: string[]): string => r.map((x, i) => x.padEnd(widths[i])).join('  ');
      console.log(line(['request', 'status', 'median ms', 'longest stall ms']));
      for (const r of rows) console.log(line(r));
      const boundedStall = Number(rows[0][3]);
      console.log(
        `api: longest event-loop stall, bounded vs unbounded year analysis: ${boundedStall} vs ${bareStall.toFixed(0)} ms ` +
          `(ratio ${(boundedStall / Math.max(1, bareStall)).toFixed(2)}); budget: answer or refusal < 1000 ms, stall well under the 1000 ms shortest interval`,
      );
    } finally {
      await server.close();
      await monitor.close();
    }
  } finally {
    if (!process.env.OPSPULSE_BENCH_KEEP) await fs.rm(dir, { recursive: true, force: true });
    else console.log(`api: kept ${dir}`);
  }
}
