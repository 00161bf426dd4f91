import type { Command } from 'commander';
import { acquireInstanceLock } from '../../core/instance-lock';
import { Monitor } from '../../core/monitor';
import { dataDirOf } from '../program';

export function registerCollectCommand(program: Command): void {
  program
    .command('collect')
    .description('run one collection tick, print the sample as JSON and append it to the store')
    .requiredOption('--once', 'collect exactly one sample (the daemon is `opspulse run`)')
    .option('--no-system', 'skip system metrics (CPU, memory, disk, network)')
    .action(async (opts: { system: boolean }, cmd: Command) => {
      const dataDir = dataDirOf(cmd);
      const lock = await acquireInstanceLock(dataDir);
      try {
        const monitor = await Monitor.open({ dataDir, systemMetrics: opts.system });
        try {
          const sample = await monitor.tick();
          console.log(JSON.stringify(sample, null, 2));
        } finally {
          await monitor.close();
        }
      } finally {
        await lock.release();
      }
    });
}
