import type { Worker } from 'node:worker_threads';
import { startWorker } from '../workers/spawn-worker';
import { connectMonitor, type RemoteMonitor } from './rpc/client';

export interface MonitorWorkerData {
  dataDir: string;
  /** Off in tests that do not want systeminformation's child processes. */
  systemMetrics?: boolean;
  /**
   * How long to wait for the data directory's collector lock. A restarted worker needs
   * this: the lock of the one that died stays until it goes stale (15 s).
   */
  lockWaitMs?: number;
}

/**
 * Runs the Monitor in a worker thread (monitor-worker.ts) and returns it as a MonitorApi.
 * If the worker dies, every pending and later call rejects with the reason.
 */
export function startMonitorWorker(data: MonitorWorkerData): RemoteMonitor & { worker: Worker } {
  const worker = startWorker(import.meta.url, 'monitor-worker', { workerData: data });
  const remote = connectMonitor(worker);
  worker.on('error', (err) =>
    remote.dispose(new Error(`the monitor worker failed: ${err.message}`)),
  );
  worker.on('exit', (code) =>
    remote.dispose(new Error(`the monitor worker exited (code ${code})`)),
  );
  return {
    ...remote,
    worker,
    async close() {
      try {
        await remote.close();
      } finally {
        await worker.terminate();
      }
    },
  };
}
