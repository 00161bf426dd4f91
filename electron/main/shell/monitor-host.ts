import { startWorker } from '../workers/spawn-worker';
import { connectMonitor, type RemoteMonitor } from './rpc/client';

export interface MonitorWorkerData {
  dataDir: string;
  /** Off in tests that do not want systeminformation's child processes. */
  systemMetrics?: boolean;
}

/**
 * Runs the Monitor in a worker thread (monitor-worker.ts) and returns it as a MonitorApi.
 * If the worker dies, every pending and later call rejects with the reason.
 */
export function startMonitorWorker(data: MonitorWorkerData): RemoteMonitor {
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
    async close() {
      try {
        await remote.close();
      } finally {
        await worker.terminate();
      }
    },
  };
}
