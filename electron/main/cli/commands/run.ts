import type { Command } from 'commander';
import { acquireInstanceLock } from '../../core/instance-lock';
import { createLogger } from '../../core/logger';
import { Monitor } from '../../core/monitor';
import { closeHttpAgents } from '../../probes';
import { dataDirOf } from '../program';

/**
 * Opens the data directory as its one collector (lock), starts the Monitor, and on SIGINT or
 * SIGTERM stops the loop, flushes the store and exits 0. `serve` reuses this with a server.
 */
export async function runDaemon(
  dataDir: string,
  opts: { replace?: boolean },
  extra?: (monitor: Monitor) => Promise<() => Promise<void>>,
): Promise<void> {
  const log = createLogger();
  const lock = await acquireInstanceLock(dataDir, { replace: opts.replace });
  let monitor: Monitor;
  try {
    monitor = await Monitor.open({ dataDir, log });
  } catch (err) {
    await lock.release();
    throw err;
  }
  const stopExtra = extra ? await extra(monitor) : async () => undefined;
  monitor.start();
  const cfg = monitor.config.get();
  log.info(
    { dataDir, interval: cfg.interval, targets: cfg.targets.filter((t) => t.enabled).length },
    'collector started',
  );
  monitor.onHealth((h) => log.debug({ overall: h.overall }, h.summary));

  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      log.info({ signal }, 'stopping');
      resolve();
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
    // Another process took the data directory: stop writing beside it, flushing first.
    lock.onLost((why) => {
      log.error(`stopping: ${why}`);
      process.exitCode = 3;
      resolve();
    });
  });
  await stopExtra();
  await monitor.close();
  await closeHttpAgents();
  await lock.release();
  log.info(
    {
      ticks: monitor.schedulerStats.ticks,
      skipped: monitor.schedulerStats.skipped,
      late: monitor.schedulerStats.late,
    },
    'stopped',
  );
  log.flush();
}

export function registerRunCommand(program: Command): void {
  program
    .command('run')
    .description('run the collector daemon (headless); SIGINT/SIGTERM stop it cleanly')
    .option('--replace', 'stop a collector already running on this data directory first')
    .action(async (opts: { replace?: boolean }, cmd: Command) => {
      await runDaemon(dataDirOf(cmd), opts);
    });
}
