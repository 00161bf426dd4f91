import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { createLogger } from '../../core/logger';
import { startDemo } from '../../demo/run-demo';
import type { GlobalOptions } from '../program';
import { findStaticDir } from './serve';

interface DemoCliOptions {
  port: string;
  open?: boolean;
  seed: string;
  history: string;
}

export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description(
      'simulate the AI-ops stack on loopback, monitor it with the ai-ops preset and serve the dashboard',
    )
    .option('--port <port>', 'dashboard port (0 picks a free one)', '7800')
    .option('--open', 'open the dashboard in the browser')
    .option('--seed <n>', 'random seed of the simulation', '1')
    .option('--history <hours>', 'hours of history to seed before going live', '6')
    .action(async (opts: DemoCliOptions, cmd: Command) => {
      const port = int(opts.port, '--port', 0, 65535);
      const seed = int(opts.seed, '--seed', 0, 2 ** 31);
      const historyHours = int(opts.history, '--history', 0, 24 * 30);
      // --data is honoured but not defaulted: the demo must never touch the real data folder.
      const explicit = cmd.optsWithGlobals<GlobalOptions>().data;
      const log = createLogger();
      const staticDir = findStaticDir();
      // Listening before the start means a Ctrl+C during it still cleans up afterwards.
      const stopped = new Promise<void>((resolve) => {
        process.once('SIGINT', () => resolve());
        process.once('SIGTERM', () => resolve());
      });
      const demo = await startDemo({
        dataDir: explicit ? path.resolve(explicit) : undefined,
        port,
        seed,
        historyHours,
        staticDir,
        log,
      });
      const services = Object.entries(demo.stack.urls)
        .map(([id, url]) => `  ${id.padEnd(12)} ${url}`)
        .join('\n');
      console.log(
        `opspulse demo: simulated stack\n${services}\n` +
          `opspulse demo: ${demo.seeded} samples of history seeded in ${demo.dataDir}` +
          `${explicit ? '' : ' (temporary, removed on exit)'}\n` +
          `opspulse demo: dashboard on ${demo.url}/  (metrics: ${demo.url}/metrics; Ctrl+C stops)`,
      );
      if (!fs.existsSync(path.join(staticDir, 'index.html')))
        console.warn(`opspulse: no built dashboard in ${staticDir}; run: npx electron-vite build`);
      if (opts.open) openBrowser(`${demo.url}/`);
      await stopped;
      await demo.close();
      log.flush();
    });
}

function int(raw: string, name: string, min: number, max: number): number {
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < min || n > max)
    throw new Error(`${name}: "${raw}" is not a whole number from ${min} to ${max}`);
  return n;
}

/** The platform's opener; failing to open a browser is not worth failing the demo over. */
function openBrowser(url: string): void {
  const [cmd, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '', url]]
        : ['xdg-open', [url]];
  try {
    const child = spawn(cmd, args, { stdio: 'ignore', detached: true });
    child.on('error', () => console.warn(`opspulse: could not open a browser; visit ${url}`));
    child.unref();
  } catch {
    console.warn(`opspulse: could not open a browser; visit ${url}`);
  }
}
