import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeWindow, StoreReader } from '../../electron/main/analysis';
import { ConfigSchema, type Config } from '../../shared/config-schema';
import type { TargetAnalysis, WindowAnalysis } from '../../shared/analysis';
import {
  DAY,
  DEGRADED_MS,
  END,
  HOUR,
  INTERVAL_MS,
  LATE_FROM,
  MIN,
  script,
  writeHistory,
} from './differential-history';
import { loadRaw, oracleCpu, oracleTarget, type OracleHistory, type OracleOptions } from './oracle';

/**
 * The differential suite: one generated history (differential-history.ts), analysed once
 * from raw samples and once from rollups only (retention set so that no raw is planned),
 * both held against an oracle that loops over the raw JSONL itself (oracle.ts). Windows of
 * 24 h, 7 d, 30 d and 90 d, aligned to midnight and unaligned (minute-aligned, off the
 * hour at both ends). Incidents, up/down/degraded time and status codes must be exactly
 * equal; latency avg equal to rounding; quantiles within 1 %; CPU p95 and time above
 * 90 % within 2 %.
 */

let dir: string;
let raw: OracleHistory;
let ticks = 0;
const S = script();
const INCIDENT_GAP_INTERVALS = 10;

const targets = [
  { id: 'api', name: 'API', kind: 'http', url: 'http://127.0.0.1:8080/', degradedMs: DEGRADED_MS },
  { id: 'db', name: 'DB', kind: 'tcp', host: '127.0.0.1', port: 5432 },
  { id: 'late', name: 'Late', kind: 'http', url: 'http://127.0.0.1:8081/' },
];

/** Raw kept for everything: the raw analysis. */
const rawConfig: Config = ConfigSchema.parse({
  interval: INTERVAL_MS / 1000,
  incidentGapIntervals: INCIDENT_GAP_INTERVALS,
  targets,
  retention: { rawDays: 400, minuteDays: 400, hourDays: 1825 },
});
/** Raw "expired" at analysis time: every part of every window comes from rollups. */
const rollupConfig: Config = {
  ...rawConfig,
  retention: { rawDays: 1, minuteDays: 400, hourDays: 1825 },
};
const ROLLUP_NOW = END + 3 * DAY;

const LENGTHS = { '24h': DAY, '7d': 7 * DAY, '30d': 30 * DAY, '90d': 90 * DAY };
const UNALIGNED_END = END - 5 * HOUR - 17 * MIN;

function windows(): { name: string; from: number; to: number }[] {
  const out: { name: string; from: number; to: number }[] = [];
  for (const [name, len] of Object.entries(LENGTHS)) {
    out.push({ name: `${name} aligned`, from: END - len, to: END });
    out.push({
      name: `${name} unaligned`,
      from: UNALIGNED_END - len - 23 * MIN,
      to: UNALIGNED_END,
    });
  }
  // One inside the history, away from its end, across the clock step and a restart.
  out.push({ name: '7d mid', from: END - 35 * DAY + 13 * MIN, to: END - 28 * DAY - 41 * MIN });
  return out;
}

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'opspulse-differential-'));
  ticks = await writeHistory(dir, S);
  raw = loadRaw(dir);
}, 300_000);

afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

function options(from: number, to: number, degradedMs?: number): OracleOptions {
  return {
    from,
    to,
    intervalMs: INTERVAL_MS,
    gapMs: 2.5 * INTERVAL_MS,
    incidentGapMs: INCIDENT_GAP_INTERVALS * INTERVAL_MS,
    degradedMs,
  };
}

const near = (got: number | null, want: number | null, rel: number): boolean =>
  got === want ||
  (got !== null && want !== null && Math.abs(got - want) <= rel * Math.max(Math.abs(want), 1e-9));

/** Every mismatch between an analysed target and the oracle, as readable lines. */
function compareTarget(
  label: string,
  t: TargetAnalysis,
  want: ReturnType<typeof oracleTarget>,
  quantileError: number,
): string[] {
  const out: string[] = [];
  const eq = (what: string, got: unknown, exp: unknown): void => {
    if (JSON.stringify(got) !== JSON.stringify(exp))
      out.push(`${label} ${what}: got ${JSON.stringify(got)}, want ${JSON.stringify(exp)}`);
  };
  eq('samples', t.samples, want.samples);
  eq('upSamples', t.upSamples, want.upSamples);
  eq('upMs', t.upMs, want.upMs);
  eq('downMs', t.downMs, want.downMs);
  eq('degradedMs', t.degradedMs, want.degradedMs);
  eq('incident count', t.incidents.length, want.incidents.length);
  const shape = (i: {
    start: number;
    end: number | null;
    durationMs: number;
    startClipped?: boolean;
    error?: string;
  }) => ({
    start: new Date(i.start).toISOString(),
    end: i.end === null ? null : new Date(i.end).toISOString(),
    durationMs: i.durationMs,
    clipped: i.startClipped === true,
    // The first error of an incident cut by the window's start is the earliest one seen.
    error: i.startClipped ? undefined : i.error,
  });
  eq('incidents', t.incidents.map(shape), want.incidents.map(shape));
  eq('mttr', t.mttrMs, want.mttrMs);
  eq('mtbf', t.mtbfMs, want.mtbfMs);
  eq('status codes', sorted(t.statusCodes), sorted(want.statusCodes));
  if (!near(t.latency.avg, want.latency.avg, 1e-9))
    out.push(`${label} latency avg ${t.latency.avg} vs ${want.latency.avg}`);
  for (const q of ['p50', 'p95', 'p99'] as const)
    if (!near(t.latency[q], want.latency[q], quantileError))
      out.push(`${label} latency ${q} ${t.latency[q]} vs ${want.latency[q]}`);
  return out;
}

function sorted(o: Record<string, number>): [string, number][] {
  return Object.entries(o).sort(([a], [b]) => a.localeCompare(b));
}

function compareWindow(a: WindowAnalysis, quantileError: number, systemError: number): string[] {
  const out: string[] = [];
  for (const { id, degradedMs } of [
    { id: 'api', degradedMs: DEGRADED_MS },
    { id: 'db', degradedMs: undefined },
    { id: 'late', degradedMs: undefined },
  ]) {
    const t = a.targets.find((x) => x.id === id)!;
    const want = oracleTarget(raw.targets.get(id) ?? [], options(a.from, a.to, degradedMs));
    out.push(...compareTarget(id, t, want, quantileError));
  }
  const cpu = a.system.find((s) => s.series === 'sys.cpu')!;
  const wantCpu = oracleCpu(raw.cpu, options(a.from, a.to), 90);
  if (!near(cpu.p95, wantCpu.p95, systemError)) out.push(`cpu p95 ${cpu.p95} vs ${wantCpu.p95}`);
  if (!near(cpu.aboveMs, wantCpu.aboveMs, systemError))
    out.push(`cpu time above 90 ${cpu.aboveMs} vs ${wantCpu.aboveMs}`);
  if (cpu.p95 !== null && cpu.max !== null && cpu.p95 > cpu.max) out.push('cpu p95 above max');
  return out;
}

describe('differential: raw vs rollups vs an independent oracle', () => {
  it('the history has what the comparison is about', () => {
    expect(ticks).toBeGreaterThan(170_000);
    const api = raw.targets.get('api')!;
    expect(api[0].t).toBeLessThan(END - 61 * DAY);
    expect(raw.targets.get('late')![0].t).toBeGreaterThanOrEqual(LATE_FROM);
    const all = oracleTarget(api, options(END - 90 * DAY, END, DEGRADED_MS));
    const lengths = all.incidents.map((i) => i.durationMs);
    expect(Math.min(...lengths)).toBeLessThan(31_000);
    expect(Math.max(...lengths)).toBeGreaterThanOrEqual(3 * HOUR);
    expect(all.degradedMs).toBeGreaterThan(0);
  });

  for (const w of windows()) {
    it(`${w.name}: raw analysis equals the oracle`, async () => {
      const reader = await StoreReader.open(dir);
      const a = await analyzeWindow(reader, rawConfig, w, undefined, {
        now: END + HOUR,
        tier: 'raw',
        timeZone: 'UTC',
      });
      expect(a.exact).toBe(true);
      expect(compareWindow(a, 0, 0)).toEqual([]);
    }, 120_000);

    it(`${w.name}: rollups only equal the oracle`, async () => {
      const reader = await StoreReader.open(dir);
      const a = await analyzeWindow(reader, rollupConfig, w, undefined, {
        now: ROLLUP_NOW,
        timeZone: 'UTC',
      });
      expect(a.tiers.some((s) => s.tier === 'raw')).toBe(false);
      expect(compareWindow(a, 0.01, 0.02)).toEqual([]);
    }, 120_000);
  }

  it('the hour tier alone (minutes expired too) gives the same incidents on whole hours', async () => {
    const reader = await StoreReader.open(dir);
    const cfg = { ...rawConfig, retention: { rawDays: 1, minuteDays: 1, hourDays: 1825 } };
    const a = await analyzeWindow(reader, cfg, { from: END - 30 * DAY, to: END }, undefined, {
      now: ROLLUP_NOW,
      timeZone: 'UTC',
    });
    expect(new Set(a.tiers.map((s) => s.tier))).toEqual(new Set(['1h']));
    expect(compareWindow(a, 0.01, 0.02)).toEqual([]);
  }, 120_000);
});
