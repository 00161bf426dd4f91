import type { Worker } from 'node:worker_threads';
import type { SystemSample } from '../../../shared/sample';
import { startWorker } from '../workers/spawn-worker';
import type { WorkerMessage, WorkerRequest } from './system-protocol';

/**
 * How long close() lets the worker release what it holds (a PowerShell on Windows): short,
 * since a SIGTERM must be done within 2 s.
 */
const CLOSE_GRACE_MS = 1_000;

export interface SystemProbeOptions {
  /** How long the worker may take to start (its first CPU reading can be slow). */
  startTimeoutMs?: number;
  /** How long one collection may take before the worker is presumed stuck and replaced. */
  collectTimeoutMs?: number;
  /** First wait after a failed start; it doubles per failure up to 5 minutes (default 1 s). */
  retryMs?: number;
}

const MAX_RETRY_MS = 5 * 60_000;

interface Pending {
  resolve: (s: SystemSample) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

/**
 * System metrics collected in a worker thread (see system-worker.ts). A worker that dies
 * or hangs is replaced on the next collect, so one bad call never ends system metrics.
 * A worker that fails to start is retried with backoff (1 s doubling to 5 min); until then
 * collect() fails at once with the reason, so the core keeps probing targets meanwhile.
 * While idle the worker does not keep the process alive.
 */
export class SystemProbe {
  private worker: Worker | undefined;
  private starting: Promise<Worker> | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;
  private readonly startTimeoutMs: number;
  private readonly collectTimeoutMs: number;
  private readonly retryMs: number;
  private failures = 0;
  private retryAt = 0;
  private lastStartError: Error | undefined;

  private constructor(opts: SystemProbeOptions) {
    this.startTimeoutMs = opts.startTimeoutMs ?? 30_000;
    this.collectTimeoutMs = opts.collectTimeoutMs ?? 15_000;
    this.retryMs = opts.retryMs ?? 1_000;
  }

  /** Starts the worker and waits until it is ready (throws if it cannot start). */
  static async start(opts: SystemProbeOptions = {}): Promise<SystemProbe> {
    const probe = new SystemProbe(opts);
    await probe.ensureWorker();
    return probe;
  }

  /** Starts the worker in the background: a failure only shows in collect(), and is retried. */
  static launch(opts: SystemProbeOptions = {}): SystemProbe {
    const probe = new SystemProbe(opts);
    probe.ensureWorker().catch(() => undefined);
    return probe;
  }

  /** Why the worker is not running, while a start has failed and the next is not yet due. */
  get startError(): string | undefined {
    return this.lastStartError?.message;
  }

  async collect(opts: { slow: boolean }): Promise<SystemSample> {
    if (this.closed) throw new Error('system probe is closed');
    const worker = await this.ensureWorker();
    const id = this.nextId++;
    return new Promise<SystemSample>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.discard(
          worker,
          new Error(`system metrics timed out after ${this.collectTimeoutMs} ms`),
        );
      }, this.collectTimeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      worker.ref();
      worker.postMessage({ kind: 'collect', id, slow: opts.slow } satisfies WorkerRequest);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    this.worker = undefined;
    this.rejectAll(new Error('system probe is closed'));
    if (!worker) return;
    // Ask first, so the worker can release its resources; terminate if it does not exit.
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.postMessage({ kind: 'close' } satisfies WorkerRequest);
    const grace = setTimeout(() => void worker.terminate(), CLOSE_GRACE_MS);
    await exited;
    clearTimeout(grace);
  }

  private ensureWorker(): Promise<Worker> {
    if (this.worker) return Promise.resolve(this.worker);
    if (!this.starting && this.lastStartError && Date.now() < this.retryAt) {
      const waitS = Math.ceil((this.retryAt - Date.now()) / 1000);
      return Promise.reject(new Error(`${this.lastStartError.message} (next try in ${waitS} s)`));
    }
    this.starting ??= this.spawn()
      .then(
        (worker) => {
          this.failures = 0;
          this.lastStartError = undefined;
          return worker;
        },
        (err: unknown) => {
          this.failures++;
          this.lastStartError = err instanceof Error ? err : new Error(String(err));
          this.retryAt =
            Date.now() + Math.min(MAX_RETRY_MS, this.retryMs * 2 ** (this.failures - 1));
          throw this.lastStartError;
        },
      )
      .finally(() => {
        this.starting = undefined;
      });
    return this.starting;
  }

  private spawn(): Promise<Worker> {
    return new Promise<Worker>((resolve, reject) => {
      const worker = startWorker(import.meta.url, 'system-worker');
      const timer = setTimeout(() => {
        reject(new Error(`system worker did not start within ${this.startTimeoutMs} ms`));
        void worker.terminate();
      }, this.startTimeoutMs);
      worker.on('message', (m: WorkerMessage) => {
        switch (m.kind) {
          case 'ready':
            clearTimeout(timer);
            if (this.closed) {
              void worker.terminate();
              reject(new Error('system probe is closed'));
              return;
            }
            this.worker = worker;
            worker.unref();
            resolve(worker);
            return;
          case 'failed':
            clearTimeout(timer);
            reject(new Error(`system worker failed to start: ${m.error}`));
            void worker.terminate();
            return;
          case 'sample':
            this.settle(m.id, (p) => p.resolve(m.sample));
            return;
          case 'error':
            this.settle(m.id, (p) => p.reject(new Error(`system metrics failed: ${m.error}`)));
            return;
        }
      });
      worker.on('error', (err) => {
        clearTimeout(timer);
        reject(err);
        this.discard(worker, new Error(`system worker crashed: ${err.message}`));
      });
      worker.on('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`system worker exited with code ${code} before it was ready`));
        this.discard(worker, new Error(`system worker exited with code ${code}`));
      });
    });
  }

  private settle(id: number, fn: (p: Pending) => void): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    clearTimeout(p.timer);
    if (this.pending.size === 0) this.worker?.unref();
    fn(p);
  }

  /** Drops a broken worker; the next collect starts a fresh one. */
  private discard(worker: Worker, reason: Error): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    this.rejectAll(reason);
    void worker.terminate();
  }

  private rejectAll(reason: Error): void {
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(reason);
    }
    this.pending.clear();
  }
}
