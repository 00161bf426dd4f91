import { parentPort, workerData } from 'node:worker_threads';
import type { Notification } from '../../../shared/notification';
import { acquireInstanceLock, AlreadyRunningError, type InstanceLock } from '../core/instance-lock';
import { Listeners } from '../core/listeners';
import { createLogger } from '../core/logger';
import { Monitor } from '../core/monitor';
import { serveMonitor } from './rpc/server';
import type { MonitorWorkerData } from './monitor-host';

/**
 * The core of the desktop app, off Electron's main thread: collection, store, alerts and
 * reports run here so the tray and the window never wait for a probe or a disk write.
 * A failure to open (a broken config, another collector on the same data) is answered to
 * every call, which the shell shows in the tray instead of dying.
 */
const port = parentPort;
if (!port) throw new Error('monitor-worker must run in a worker thread');
const data = workerData as MonitorWorkerData;
const log = createLogger();
const notifications = new Listeners<Notification>();
let lock: InstanceLock | null = null;

/** The collector lock, waiting up to lockWaitMs for a dead predecessor's to go stale. */
async function lockDataDir(): Promise<InstanceLock> {
  const until = Date.now() + (data.lockWaitMs ?? 0);
  for (;;) {
    try {
      return await acquireInstanceLock(data.dataDir);
    } catch (err) {
      if (!(err instanceof AlreadyRunningError) || Date.now() >= until) throw err;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

async function open(): Promise<Monitor> {
  lock = await lockDataDir();
  try {
    const monitor = await Monitor.open({
      dataDir: data.dataDir,
      log,
      systemMetrics: data.systemMetrics,
      notifier: { notify: (n) => notifications.emit(n) },
      // The desktop is where a person comes back: it sums up the time away.
      awaySummary: true,
    });
    monitor.start();
    return monitor;
  } catch (err) {
    await lock.release();
    lock = null;
    throw err;
  }
}

const opened = open();
opened.catch((err: unknown) => log.error({ err }, 'the monitor did not start'));

serveMonitor(port, opened, {
  onNotification: (cb) => notifications.add(cb),
  close: async () => {
    const monitor = await opened.catch(() => null);
    await monitor?.close();
    await lock?.release();
    lock = null;
  },
});
