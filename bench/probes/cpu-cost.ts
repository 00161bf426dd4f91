import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { ConfigSchema, type Config } from '../../shared/config-schema';
import { Collector } from '../../electron/main/collector/collector';
import { Scheduler } from '../../electron/main/collector/scheduler';
import { closeHttpAgents, runProbe } from '../../electron/main/probes';
import { SystemProbe } from '../../electron/main/probes/system';
import type { LoopbackServer } from '../loopback-server';
import { bareSystemInformation, f2, sleep, verdict } from './harness';

/*
 * Part 4. CPU is measured in steady state: V8 compiles the tick's code during its first dozens
 * of runs, which at a 5 s interval would make a 30 s window mostly start-up cost (measured
 * here: about 3x the steady figure). That start-up cost is printed on its own line.
 * It is measured in a child process running plain Node on an esbuild bundle, as the product
 * runs (electron-vite bundles): under tsx every module, the system worker's included, goes
 * through tsx's loader, which the product never pays for (measured, system worker alone at
 * 5 s: 0.85 % of a core in this bench under tsx, 0.36 % after 90 s under tsx, 0.15 %
 * bundled).
 */

/** CPU time of this process (all threads) plus its waited-for children, in ms. */
function cpuMs(): number {
  const u = process.cpuUsage();
  let children = 0;
  if (process.platform === 'linux') {
    // Fields after the command name: cutime and cstime are the 14th and 15th, in clock ticks.
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    children = ((Number(f[13]) + Number(f[14])) * 1000) / 100;
  }
  return (u.user + u.system) / 1000 + children;
}

/** A full collection now, so earlier parts' garbage is not collected (and billed) later. */
function fullGc(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

interface CpuFigure {
  /** Percent of one core in steady state. */
  pct: number;
  /** CPU ms per tick in steady state. */
  perTickMs: number;
  /** CPU ms per tick over the warm-up ticks (run back to back). */
  warmUpMs: number;
}

const WARM_UP_TICKS = 20;

async function cpuOver(
  durationMs: number,
  intervalMs: number,
  tick: () => Promise<unknown>,
): Promise<CpuFigure> {
  const w0 = cpuMs();
  for (let i = 0; i < WARM_UP_TICKS; i++) await tick();
  const warmUpMs = (cpuMs() - w0) / WARM_UP_TICKS;
  fullGc();
  let ticks = 0;
  const scheduler = new Scheduler({
    intervalMs,
    tick: async () => {
      ticks++;
      await tick();
    },
  });
  const c0 = cpuMs();
  const t0 = performance.now();
  scheduler.start();
  await sleep(durationMs);
  await scheduler.stop();
  const used = cpuMs() - c0;
  return {
    pct: (used / (performance.now() - t0)) * 100,
    perTickMs: used / Math.max(1, ticks),
    warmUpMs,
  };
}

async function cpuCost(server: LoopbackServer): Promise<void> {
  const seconds = Number(process.env.BENCH_PROBES_CPU_SECONDS ?? 30);
  console.log(
    `\n4. CPU cost, % of one core over ${seconds} s per run (this process, its threads and children),` +
      ` steady state after ${WARM_UP_TICKS} warm-up ticks`,
  );
  const base: Config = ConfigSchema.parse({
    interval: 5,
    targets: Array.from({ length: 20 }, (_, i) => ({
      id: `c${i}`,
      name: `c${i}`,
      kind: 'http',
      url: `${server.url}/?i=${i}`,
      conditions: [{ path: '$.status', op: '==', value: 'healthy' }],
      metrics: { hold: '$.hold' },
    })),
  });
  // What this process costs doing nothing (GC, timers): inside every figure below. Right
  // after start V8 still compiles and collects in the background, so it is measured again
  // at the end, and the lower of the two is taken off (never flattering the collector).
  const idle = async (): Promise<number> => {
    fullGc();
    const c0 = cpuMs();
    const t0 = performance.now();
    await sleep(seconds * 1000);
    return ((cpuMs() - c0) / (performance.now() - t0)) * 100;
  };
  const idleAtStart = await idle();
  const collectorRun = async (cfg: Config): Promise<CpuFigure> => {
    const system = cfg.system.enabled ? await SystemProbe.start() : undefined;
    const collector = new Collector({ runProbe, system });
    try {
      return await cpuOver(seconds * 1000, cfg.interval * 1000, () =>
        collector.collect(cfg, Date.now()),
      );
    } finally {
      await system?.close();
      await closeHttpAgents();
    }
  };
  const figures = new Map<string, CpuFigure>();
  for (const intervalSec of [5, 1]) {
    const cfg = { ...base, interval: intervalSec };
    if (intervalSec === 5) {
      // The parts alone, to tell which one costs what.
      figures.set('5 sys', await collectorRun({ ...cfg, targets: [] }));
      figures.set(
        '5 http',
        await collectorRun({ ...cfg, system: { ...cfg.system, enabled: false } }),
      );
    }
    figures.set(`${intervalSec} collector`, await collectorRun(cfg));
    figures.set(
      `${intervalSec} bare`,
      await cpuOver(seconds * 1000, intervalSec * 1000, bareSystemInformation),
    );
  }
  const idleAtEnd = await idle();
  const idlePct = Math.min(idleAtStart, idleAtEnd);
  console.log(
    `   idle process floor: ${f2(idleAtStart)} % at start, ${f2(idleAtEnd)} % at the end; ${f2(idlePct)} % taken off`,
  );
  const show = (label: string, key: string): string => {
    const x = figures.get(key)!;
    return `     ${label} ${f2(x.pct)} % (${f2(x.perTickMs)} ms CPU per tick; ${f2(x.pct - idlePct)} % above the idle floor)`;
  };
  for (const intervalSec of [5, 1]) {
    console.log(`   interval ${intervalSec} s:`);
    if (intervalSec === 5) {
      console.log(show('system worker alone:', '5 sys'));
      console.log(show('20 http probes alone:', '5 http'));
    }
    console.log(show('collector (system + 20 http):', `${intervalSec} collector`));
    console.log(show('bare systeminformation:', `${intervalSec} bare`));
    const collector = figures.get(`${intervalSec} collector`)!;
    const bare = figures.get(`${intervalSec} bare`)!;
    const ratio = collector.pct / bare.pct;
    const net = collector.pct - idlePct;
    console.log(
      `     start-up (JIT warm-up): collector ${f2(collector.warmUpMs)} ms CPU per tick over its first` +
        ` ${WARM_UP_TICKS}, bare systeminformation ${f2(bare.warmUpMs)} ms`,
    );
    if (intervalSec === 5)
      console.log(
        `     budget <= 1 % above the idle floor: ${verdict(net <= 1)} (${f2(net)} %; ${f2(collector.pct)} % with it),` +
          ` ratio ${f2(ratio)} <= 1.2: ${verdict(ratio <= 1.2)}`,
      );
    else console.log(`     ratio ${f2(ratio)}`);
  }
}

/** Set in the bundled child that runs part 4: the bench server's URL. */
const CPU_CHILD_ENV = 'OPSPULSE_BENCH_PROBES_CPU_SERVER';

/** Part 4 in a child: this file and the system worker bundled, run by plain Node. */
export async function cpuCostBundled(server: LoopbackServer): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'opspulse-bench-probes-'));
  try {
    await build({
      entryPoints: {
        'cpu-cost': fileURLToPath(import.meta.url),
        'system-worker': fileURLToPath(
          new URL('../../electron/main/probes/system-worker.ts', import.meta.url),
        ),
      },
      bundle: true,
      platform: 'node',
      format: 'esm',
      outdir: dir,
      // systeminformation is CommonJS and requires Node's modules; an ESM bundle needs `require`.
      banner: {
        js: "import { createRequire as __benchRequire } from 'node:module'; const require = __benchRequire(import.meta.url);",
      },
      logLevel: 'error',
    });
    const child = spawn(process.execPath, [join(dir, 'cpu-cost.js')], {
      env: { ...process.env, [CPU_CHILD_ENV]: server.url },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    if (code !== 0) throw new Error(`bundled CPU bench exited with ${code}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

// Only the bundled child from cpuCostBundled runs this file as its entry.
const cpuServer = process.env[CPU_CHILD_ENV];
if (cpuServer && process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href)
  await cpuCost({ url: cpuServer, stop: () => undefined });
