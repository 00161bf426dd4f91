/**
 * Writes a realistic monitoring history through the real store code: daily cycles, noise,
 * outages, latency spikes, drifting custom metrics, one target added mid-history and one
 * retired. Also writes a config.json naming the generated targets.
 *
 *   npm run gen -- --days 365 --interval 60 --targets 10 --out DIR
 *                  [--recent-days 14 --recent-interval 5] [--seed 1]
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import type { ConfigInput, TargetInput } from '../shared/config-schema';
import { round3, type Sample, type TargetSample } from '../shared/sample';
import { validateConfig, CONFIG_FILE } from '../electron/main/config/config-store';
import { DAY } from '../electron/main/store/layout';
import { SampleStore, type Retention } from '../electron/main/store/sample-store';

export interface GenerateOptions {
  out: string;
  days: number;
  /** Seconds between samples. */
  interval: number;
  targets: number;
  /** End of the history, unix ms (default: now). */
  end?: number;
  /** The last recentDays are sampled every recentInterval seconds instead (default: none). */
  recentDays?: number;
  recentInterval?: number;
  seed?: number;
  retention?: Retention;
  /** Write config.json (default true). */
  config?: boolean;
}

export interface GenerateResult {
  from: number;
  to: number;
  samples: number;
  /** Numeric values written (series points). */
  values: number;
  /** Bytes the same history takes as one uncompressed raw JSONL file. */
  rawJsonlBytes: number;
  targetIds: string[];
  /** The target added mid-history and the one retired (not in config.json). */
  addedId: string | null;
  retiredId: string;
}

const NAMES = [
  'scheduler',
  'task-queue',
  'ops-manager',
  'orchestrator',
  'llm-local',
  'llm-cloud',
  'llm-gateway',
  'api',
  'db',
  'cache',
];
const TCP = new Set(['task-queue', 'db', 'cache']);

/** The plan of a history: which targets exist, and when. */
function plan(opts: GenerateOptions) {
  const end = Math.floor((opts.end ?? Date.now()) / 1000) * 1000;
  const from = end - opts.days * DAY;
  const ids = Array.from({ length: opts.targets }, (_, i) => NAMES[i] ?? `svc-${i + 1}`);
  return {
    from,
    end,
    recentFrom: end - (opts.recentDays ?? 0) * DAY,
    ids,
    addedId: ids.length > 1 ? ids[ids.length - 1] : null,
    addedAt: from + (end - from) * 0.4,
    retiredId: 'legacy-api',
    retiredAt: from + (end - from) * 0.3,
  };
}

/** The samples of a history, oldest first, without storing them (benchmarks feed them to stores). */
export function* historySamples(opts: Omit<GenerateOptions, 'out'>): Generator<Sample> {
  const p = plan({ ...opts, out: '' });
  const rnd = mulberry32(opts.seed ?? 1);
  const models = new Map([...p.ids, p.retiredId].map((id, i) => [id, targetModel(id, i, rnd)]));
  const sys = systemModel(rnd);
  for (let t = p.from; t < p.end;) {
    const step =
      (t >= p.recentFrom ? (opts.recentInterval ?? opts.interval) : opts.interval) * 1000;
    const tg: Record<string, TargetSample> = {};
    for (const [id, m] of models) {
      if (id === p.addedId && t < p.addedAt) continue;
      if (id === p.retiredId && t >= p.retiredAt) continue;
      tg[id] = m.next(t, step);
    }
    yield { v: 1, t, sys: sys.next(t, step), tg };
    t += step;
  }
}

export async function generateHistory(opts: GenerateOptions): Promise<GenerateResult> {
  const p = plan(opts);
  await fs.mkdir(opts.out, { recursive: true });
  if (opts.config !== false) await writeConfig(opts.out, p.ids, opts.interval);
  let simNow = p.from;
  const store = await SampleStore.open(opts.out, { retention: opts.retention, now: () => simNow });
  const result: GenerateResult = {
    from: p.from,
    to: p.end,
    samples: 0,
    values: 0,
    rawJsonlBytes: 0,
    targetIds: p.ids,
    addedId: p.addedId,
    retiredId: p.retiredId,
  };
  // Retention and compression run once a simulated day, as they would in a running app.
  let nextMaintain = p.from + DAY;
  try {
    for (const sample of historySamples(opts)) {
      simNow = sample.t;
      store.append(sample);
      result.samples++;
      result.values += countValues(sample);
      result.rawJsonlBytes += Buffer.byteLength(JSON.stringify(sample)) + 1;
      if (sample.t >= nextMaintain) {
        await store.maintain();
        nextMaintain += DAY;
      }
    }
    simNow = p.end;
    await store.maintain();
  } finally {
    await store.close();
  }
  return result;
}

function countValues(s: Sample): number {
  let n = 0;
  const sys = s.sys ?? {};
  for (const [k, v] of Object.entries(sys)) {
    if (k === 'disk') n += Object.keys(v as object).length;
    else if (typeof v === 'number') n++;
  }
  for (const x of Object.values(s.tg)) {
    n++;
    if (x.ms !== undefined) n++;
    if (x.fb !== undefined) n++;
    if (x.m) n += Object.keys(x.m).length;
  }
  return n;
}

async function writeConfig(dir: string, ids: string[], interval: number): Promise<void> {
  const targets: TargetInput[] = ids.map((id, i) => {
    const name = id.replace(/-/g, ' ').replace(/\b\w/g, (c) => c.toUpperCase());
    if (TCP.has(id)) return { kind: 'tcp', id, name, host: '127.0.0.1', port: 6379 + i };
    return { kind: 'http', id, name, url: `http://127.0.0.1:${8080 + i}/health` };
  });
  const input: ConfigInput = { interval: Math.max(1, Math.min(3600, interval)), targets };
  const file = path.join(dir, CONFIG_FILE);
  const cfg = validateConfig(input, file);
  await fs.writeFile(file, JSON.stringify(cfg, null, 2) + '\n');
}

interface Model<T> {
  next(t: number, stepMs: number): T;
}

/** A target with a base latency, a daily cycle, log-normal noise, rare spikes and outages. */
function targetModel(id: string, i: number, rnd: () => number): Model<TargetSample> {
  const base = 3 + rnd() * 60;
  const http = !TCP.has(id);
  const metricKind = i % 3;
  let downUntil = -Infinity;
  let drift = 0.85;
  let walk = 0;
  let queue = 5;
  return {
    next(t, stepMs) {
      // About two outages a month, 2 to 30 minutes long.
      if (t >= downUntil && rnd() < (2 * stepMs) / (30 * DAY))
        downUntil = t + (2 + rnd() * 28) * 60_000;
      if (t < downUntil) return { up: 0, err: http ? 'ECONNREFUSED' : 'connect timeout' };
      const cycle = 1 + 0.35 * Math.sin(((hourOfDay(t) - 8) / 24) * 2 * Math.PI);
      let ms = base * cycle * Math.exp(0.25 * gauss(rnd));
      if (rnd() < 0.002) ms *= 5 + rnd() * 15;
      const s: TargetSample = { up: 1, ms: round3(ms) };
      if (!http) return s;
      s.fb = round3(ms * 0.7);
      s.st = 200;
      if (metricKind === 0) {
        drift = clamp(drift + 0.0005 * gauss(rnd), 0.55, 0.97);
        walk = 0.9 * walk + 0.02 * gauss(rnd);
        s.m = {
          confidence: round3(clamp(drift + walk, 0, 1)),
          quality: round3(clamp(drift - 0.1 + walk / 2, 0, 1)),
        };
      } else if (metricKind === 1) {
        queue = Math.max(0, queue + gauss(rnd) * 2 + (queue > 20 ? -1 : 0.2));
        s.m = { queue_depth: Math.round(queue) };
      }
      return s;
    },
  };
}

function systemModel(rnd: () => number): Model<NonNullable<Sample['sys']>> {
  let disk = 40;
  let mem = 45;
  return {
    next(t, stepMs) {
      const day = Math.sin(((hourOfDay(t) - 9) / 24) * 2 * Math.PI);
      let cpu = 18 + 14 * day + 6 * gauss(rnd);
      if (rnd() < 0.003) cpu += 40 + rnd() * 30;
      mem = clamp(mem + 0.02 * gauss(rnd) + (50 - mem) * 0.0005, 20, 95);
      disk += (stepMs / DAY) * 0.08;
      if (disk > 85) disk = 55;
      cpu = clamp(cpu, 0.5, 100);
      return {
        cpu: round1(cpu),
        mem: round1(mem + 5 * day),
        swap: round1(clamp(2 + gauss(rnd) * 0.3, 0, 100)),
        load1: round3(cpu / 50),
        load5: round3(cpu / 55),
        load15: round3(cpu / 60),
        disk: { '/': round1(disk) },
        rx: Math.round(Math.max(0, 120_000 * (1 + day) + 20_000 * gauss(rnd))),
        tx: Math.round(Math.max(0, 30_000 * (1 + day) + 8_000 * gauss(rnd))),
      };
    },
  };
}

function hourOfDay(t: number): number {
  return (t % DAY) / 3_600_000;
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gauss(rnd: () => number): number {
  const u = Math.max(rnd(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rnd());
}

const USAGE = `Usage: npm run gen -- --out DIR [options]

Writes a generated monitoring history (system + targets) through the real store, and a
config.json naming the targets, into DIR.

Options:
  --out DIR               data directory to write (required)
  --days N                days of history (default 30)
  --interval S            seconds between samples (default 60)
  --targets N             number of targets (default 10)
  --recent-days N         the last N days at a finer interval (default 0)
  --recent-interval S     seconds between those recent samples
  --seed N                random seed, for repeatable histories (default 1)
  -h, --help              show this help`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      help: { type: 'boolean', short: 'h' },
      days: { type: 'string', default: '30' },
      interval: { type: 'string', default: '60' },
      targets: { type: 'string', default: '10' },
      out: { type: 'string' },
      'recent-days': { type: 'string', default: '0' },
      'recent-interval': { type: 'string' },
      seed: { type: 'string', default: '1' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (!values.out) throw new Error('--out DIR is required (see --help)');
  const num = (name: string, v: string | undefined, min: number): number => {
    const x = Number(v);
    if (!Number.isFinite(x) || x < min)
      throw new Error(`--${name} must be a number >= ${min} (got ${v})`);
    return x;
  };
  const started = Date.now();
  const r = await generateHistory({
    out: values.out,
    days: num('days', values.days, 0.01),
    interval: num('interval', values.interval, 1),
    targets: num('targets', values.targets, 0),
    recentDays: num('recent-days', values['recent-days'], 0),
    recentInterval:
      values['recent-interval'] === undefined
        ? undefined
        : num('recent-interval', values['recent-interval'], 1),
    seed: num('seed', values.seed, 0),
  });
  console.log(
    `wrote ${r.samples} samples (${r.values} values, ${r.targetIds.length} targets) from ` +
      `${new Date(r.from).toISOString()} to ${new Date(r.to).toISOString()} into ${values.out} ` +
      `in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    console.error(`gen: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  });
}
