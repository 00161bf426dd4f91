import type { Worker } from 'node:worker_threads';
import type { Config } from '../../../shared/config-schema';
import { startWorker } from '../workers/spawn-worker';
import type { AnalysisJob, AnalysisReply, AnalysisRequest } from './analysis-protocol';
import { OverBudgetError, WORK_BUDGET_MS } from './bounded-work';
import { ValidationError } from './field-errors';

/** The worker could not be started: the caller runs the work on its own thread instead. */
export class WorkerUnavailableError extends Error {
  constructor(cause: unknown) {
    super(`analysis worker unavailable: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'WorkerUnavailableError';
  }
}

interface Pending {
  resolve(value: unknown): void;
  reject(err: unknown): void;
}

export interface AnalysisHostOptions {
  dataDir: string;
  budgetMs?: number;
  /** An idle worker is ended after this long; the next request starts one again. */
  idleMs?: number;
  startTimeoutMs?: number;
}

/** Past its budget the worker stops by itself; one stuck in a single step this much longer is ended. */
const HARD_STOP_GRACE_MS = 2_000;

/**
 * Runs analyses and reports in a worker thread (analysis-worker.ts), so a year-long request
 * costs the collector's thread nothing. A request stops when its signal aborts (the HTTP
 * client hung up) or at the budget; a worker that does not stop is terminated.
 */
export class AnalysisHost {
  private worker: Worker | null = null;
  private starting: Promise<Worker> | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private idleTimer: NodeJS.Timeout | null = null;
  private closed = false;
  readonly budgetMs: number;

  constructor(private readonly opts: AnalysisHostOptions) {
    this.budgetMs = opts.budgetMs ?? WORK_BUDGET_MS;
  }

  async run<T>(job: AnalysisJob, config: Config, now: number, signal?: AbortSignal): Promise<T> {
    signal?.throwIfAborted();
    let worker: Worker;
    try {
      worker = await this.start();
    } catch (err) {
      throw new WorkerUnavailableError(err);
    }
    signal?.throwIfAborted();
    if (this.idleTimer) clearTimeout(this.idleTimer);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const onAbort = (): void => {
        worker.postMessage({ kind: 'cancel', id } satisfies AnalysisRequest);
        finish(() => reject(signal?.reason));
      };
      const hardStop = setTimeout(
        () => this.discard(new OverBudgetError(this.budgetMs)),
        this.budgetMs + HARD_STOP_GRACE_MS,
      );
      const finish = (settle: () => void): void => {
        clearTimeout(hardStop);
        signal?.removeEventListener('abort', onAbort);
        if (!this.pending.delete(id)) return;
        settle();
        this.armIdle();
      };
      this.pending.set(id, {
        resolve: (v) => finish(() => resolve(v as T)),
        reject: (e) => finish(() => reject(e)),
      });
      signal?.addEventListener('abort', onAbort, { once: true });
      const request: AnalysisRequest = {
        kind: 'run',
        id,
        dataDir: this.opts.dataDir,
        config,
        now,
        budgetMs: this.budgetMs,
        job,
      };
      worker.postMessage(request);
    });
  }

  /**
   * Starts the worker ahead of the first request (its start-up, not the analysis, is most of
   * a first answer's time); it is ended again when idle.
   */
  warm(): void {
    this.start().then(
      () => this.armIdle(),
      () => undefined,
    );
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.discard(new Error('the monitor is closing'));
  }

  private start(): Promise<Worker> {
    if (this.closed) return Promise.reject(new Error('the monitor is closing'));
    if (this.worker) return Promise.resolve(this.worker);
    this.starting ??= this.spawn().finally(() => (this.starting = null));
    return this.starting;
  }

  private spawn(): Promise<Worker> {
    return new Promise<Worker>((resolve, reject) => {
      const worker = startWorker(import.meta.url, 'analysis-worker');
      const timer = setTimeout(() => {
        reject(new Error(`did not start within ${this.opts.startTimeoutMs ?? 30_000} ms`));
        void worker.terminate();
      }, this.opts.startTimeoutMs ?? 30_000);
      worker.on('message', (m: AnalysisReply) => {
        if (m.kind === 'ready') {
          clearTimeout(timer);
          if (this.closed) {
            void worker.terminate();
            reject(new Error('the monitor is closing'));
            return;
          }
          this.worker = worker;
          // Idle, it must not keep a finished CLI process alive.
          worker.unref();
          resolve(worker);
          return;
        }
        const p = this.pending.get(m.id);
        if (!p) return;
        if (m.kind === 'done') p.resolve(m.value);
        else if (m.error.overBudget) p.reject(new OverBudgetError(this.budgetMs));
        else if (m.error.fields) p.reject(new ValidationError(m.error.fields));
        else p.reject(new Error(m.error.message));
      });
      worker.on('error', (err) => {
        clearTimeout(timer);
        reject(err);
        void this.discard(new Error(`analysis worker crashed: ${err.message}`), worker);
      });
      worker.on('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`exited with code ${code} before it was ready`));
        void this.discard(new Error(`analysis worker exited (code ${code})`), worker);
      });
    });
  }

  /** Ends the worker (all its requests fail with `err`); the next request starts a new one. */
  private async discard(err: Error, which: Worker | null = this.worker): Promise<void> {
    if (which !== this.worker || which === null) return;
    this.worker = null;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    for (const p of [...this.pending.values()]) p.reject(err);
    await which.terminate();
  }

  private armIdle(): void {
    if (this.pending.size > 0 || this.worker === null) return;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(
      () => void this.discard(new Error('idle')),
      this.opts.idleMs ?? 300_000,
    );
    this.idleTimer.unref();
  }
}
