import { effectiveTimeoutMs, type Config, type Target } from '../../../shared/config-schema';
import {
  SAMPLE_VERSION,
  toTargetSample,
  type ProbeResult,
  type Sample,
  type SystemSample,
  type TargetSample,
} from '../../../shared/sample';
import { SlotPool } from './slot-pool';

export interface ProbeCall {
  intervalSec: number;
  /** The most this probe may take: what is left of the tick's budget. */
  budgetMs: number;
  /** Fires when the collector is cancelled (shutdown). */
  signal: AbortSignal;
}

export type RunProbe = (target: Target, ctx: ProbeCall) => Promise<ProbeResult>;

export interface SystemSource {
  collect(opts: { slow: boolean }): Promise<SystemSample>;
}

export interface CollectorDeps {
  runProbe: RunProbe;
  /** Absent when system metrics are off (see setSystem). */
  system?: SystemSource;
  /** How long a probe keeps its concurrency slot at most (default 250 ms, less for many targets). */
  slotLeaseMs?: number;
}

/** What one tick did, for health and the log. */
export interface TickReport {
  /** Targets probed to a result (up or down) within the tick. */
  probed: number;
  /** Targets never started because the tick's budget ran out waiting for a slot. */
  skipped: string[];
  /** Targets whose previous probe had still not returned, so none was started. */
  overran: string[];
  /** Targets started whose probe had no result when the tick's budget ran out. */
  late: string[];
  /** Why system metrics are missing from this tick, when they are. */
  systemError?: string;
  ms: number;
}

export interface CollectorStats {
  ticks: number;
  /** Target checks not run for lack of time (summed over ticks). */
  skipped: number;
  /** Target checks not run because the previous one still hung. */
  overran: number;
  last?: TickReport;
}

interface TargetRun {
  /** The probe still running for this target, if any (at most one per target). */
  inFlight: Promise<unknown> | null;
  startedAt: number;
  /** How long its last probe took: fast targets go first, hanging ones last. */
  lastMs: number;
}

const DEFAULT_LEASE_MS = 250;
const MIN_LEASE_MS = 10;

/**
 * Builds one sample: system metrics and every enabled target. Each target has at most one
 * probe in flight; a probe's deadline never passes the tick's budget, and at the budget the
 * tick writes what has completed. Slots are leased (slot-pool.ts) and targets that were
 * fast last time go first, so a hundred hanging targets cannot starve the healthy ones.
 * A probe that throws despite its contract becomes a down result, so one bad target never
 * costs the others their sample.
 */
export class Collector {
  readonly stats: CollectorStats = { ticks: 0, skipped: 0, overran: 0 };
  private tickNo = 0;
  private readonly runs = new Map<string, TargetRun>();
  private cancel = new AbortController();
  private system: SystemSource | undefined;

  constructor(private readonly deps: CollectorDeps) {
    this.system = deps.system;
  }

  /** System metrics switched on or off while running (config `system.enabled`). */
  setSystem(system: SystemSource | undefined): void {
    this.system = system;
  }

  /**
   * Aborts every probe in flight (shutdown): a tick in progress then resolves at once with
   * what had completed. Later ticks run normally again.
   */
  cancelAll(): void {
    this.cancel.abort(new Error('cancelled'));
    this.cancel = new AbortController();
  }

  async collect(config: Config, t: number, opts: { budgetMs?: number } = {}): Promise<Sample> {
    const started = Date.now();
    const budgetMs = opts.budgetMs ?? tickBudgetMs(config.interval);
    const endAt = started + budgetMs;
    const cancel = this.cancel.signal;
    const slow = this.tickNo % config.system.slowEvery === 0;
    this.tickNo++;
    const targets = config.targets.filter((x) => x.enabled);
    this.forgetRemoved(targets);
    const report: TickReport = { probed: 0, skipped: [], overran: [], late: [], ms: 0 };
    const sysPromise =
      config.system.enabled && this.system
        ? this.system.collect({ slow }).catch((err: unknown) => {
            report.systemError = err instanceof Error ? err.message : String(err);
            return undefined;
          })
        : Promise.resolve(undefined);

    const tg: Record<string, TargetSample> = {};
    // Short enough that every target can start within half the budget even if all hang.
    const rounds = Math.ceil(targets.length / config.concurrency);
    const leaseMs = Math.max(
      MIN_LEASE_MS,
      Math.min(this.deps.slotLeaseMs ?? DEFAULT_LEASE_MS, budgetMs / 2 / Math.max(1, rounds)),
    );
    const pool = new SlotPool(config.concurrency, leaseMs);
    let over = false;
    const pending = new Set<string>();
    const launches: Promise<void>[] = [];
    for (const target of this.order(targets)) {
      const run = this.runOf(target.id);
      if (run.inFlight) {
        report.overran.push(target.id);
        tg[target.id] = toTargetSample({
          up: false,
          error: `previous check still running after ${Math.round((started - run.startedAt) / 1000)} s (hung)`,
        });
        continue;
      }
      pending.add(target.id);
      launches.push(
        this.launch(target, run, pool, { config, endAt, cancel, isOver: () => over }, (r) => {
          pending.delete(target.id);
          if (over) return;
          tg[target.id] = toTargetSample(r);
          report.probed++;
        }),
      );
    }

    await settledOrOver(Promise.all(launches), endAt - Date.now(), cancel);
    over = true;
    pool.close();
    for (const id of pending) {
      const run = this.runs.get(id);
      if (run?.inFlight && !cancel.aborted) {
        report.late.push(id);
        run.lastMs = budgetMs;
        tg[id] = toTargetSample({ up: false, error: `no result within the tick's ${budgetMs} ms` });
      } else if (!cancel.aborted) {
        report.skipped.push(id);
      }
    }
    const sample: Sample = { v: SAMPLE_VERSION, t, tg };
    const sys: { value?: SystemSample } = {};
    await settledOrOver(
      sysPromise.then((x) => void (sys.value = x)),
      endAt - Date.now(),
      cancel,
    );
    if (sys.value) sample.sys = sys.value;
    report.ms = Date.now() - started;
    this.stats.ticks++;
    this.stats.skipped += report.skipped.length;
    this.stats.overran += report.overran.length;
    this.stats.last = report;
    return sample;
  }

  private async launch(
    target: Target,
    run: TargetRun,
    pool: SlotPool,
    tick: { config: Config; endAt: number; cancel: AbortSignal; isOver: () => boolean },
    done: (r: ProbeResult) => void,
  ): Promise<void> {
    const release = await pool.acquire();
    // A little short of the tick's end, so a timed-out probe reports its own timeout.
    const budgetMs = tick.endAt - Date.now() - SETTLE_MS;
    if (tick.isOver() || tick.cancel.aborted || budgetMs < MIN_PROBE_MS) {
      release();
      return;
    }
    run.startedAt = Date.now();
    const probe = this.deps
      .runProbe(target, { intervalSec: tick.config.interval, budgetMs, signal: tick.cancel })
      .catch((err: unknown): ProbeResult => ({ up: false, error: `probe failed: ${String(err)}` }));
    run.inFlight = probe;
    try {
      const result = await probe;
      run.lastMs = Date.now() - run.startedAt;
      done(result);
    } finally {
      run.inFlight = null;
      release();
    }
  }

  /** Fastest last time first; never-probed targets count as fast. */
  private order(targets: Target[]): Target[] {
    return targets
      .map((t, i) => ({ t, i, ms: this.runs.get(t.id)?.lastMs ?? 0 }))
      .sort((a, b) => a.ms - b.ms || a.i - b.i)
      .map((x) => x.t);
  }

  private runOf(id: string): TargetRun {
    let run = this.runs.get(id);
    if (!run) this.runs.set(id, (run = { inFlight: null, startedAt: 0, lastMs: 0 }));
    return run;
  }

  private forgetRemoved(targets: Target[]): void {
    const ids = new Set(targets.map((t) => t.id));
    for (const id of this.runs.keys()) if (!ids.has(id)) this.runs.delete(id);
  }
}

/**
 * How long a tick's probes may take: a fifth of the interval (at least 250 ms) is left for
 * storing and judging the sample, so a slow machine does not push it past the next boundary.
 */
export function tickBudgetMs(intervalSec: number): number {
  return Math.min(effectiveTimeoutMs(Infinity, intervalSec), intervalSec * 800);
}

/** Below this a probe cannot tell a slow answer from none; the target is skipped instead. */
const MIN_PROBE_MS = 50;
/** Time for a probe that reached its deadline to settle before the tick ends. */
const SETTLE_MS = 50;

/** Resolves when `work` settles, `ms` pass or `signal` fires, leaving no timer or listener. */
function settledOrOver(work: Promise<unknown>, ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const finish = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', finish);
      resolve();
    };
    const timer = setTimeout(finish, Math.max(0, ms));
    if (signal.aborted) finish();
    else signal.addEventListener('abort', finish, { once: true });
    void work.then(finish, finish);
  });
}
