import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { createMonitorMetrics } from '../../prometheus/monitor-metrics';
import { checkServerOptions } from '../../server/options';
import { startServer } from '../../server/server';
import { dataDirOf } from '../program';
import { runDaemon } from './run';

interface ServeOptions {
  port: string;
  host: string;
  token?: string;
  allowHost: string[];
  replace?: boolean;
}

/**
 * Where the built renderer is: $OPSPULSE_STATIC, next to the bundled CLI (out/main ->
 * out/renderer), or the repository's out/renderer when run from source with tsx.
 */
export function findStaticDir(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [
    process.env.OPSPULSE_STATIC,
    path.resolve(here, '../renderer'),
    path.resolve(here, '../../../../out/renderer'),
    path.resolve(process.cwd(), 'out/renderer'),
  ].filter((d): d is string => d !== undefined && d !== '');
  return candidates.find((d) => fs.existsSync(path.join(d, 'index.html'))) ?? candidates[0];
}

function parsePort(raw: string): number {
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port > 65535) throw new Error(`--port: "${raw}" is not a port number`);
  return port;
}

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('run the collector and the dashboard over HTTP (API, live events, /metrics)')
    .option('--port <port>', 'port to listen on (0 picks a free one)', '7800')
    .option('--host <host>', 'address to bind; a non-loopback one needs --token', '127.0.0.1')
    .option('--token <token>', 'require this token on every API call (default: $OPSPULSE_TOKEN)')
    .option(
      '--allow-host <name>',
      'another host name the dashboard may be opened under, e.g. a DNS name (repeatable)',
      (value: string, prev: string[]) => [...prev, value],
      [] as string[],
    )
    .option('--replace', 'stop a collector already running on this data directory first')
    .action(async (opts: ServeOptions, cmd: Command) => {
      const port = parsePort(opts.port);
      const token = opts.token ?? (process.env.OPSPULSE_TOKEN || undefined);
      const staticDir = findStaticDir();
      // Refuse a bad host/token before taking the data directory's lock.
      checkServerOptions({ host: opts.host, port, token });
      await runDaemon(dataDirOf(cmd), { replace: opts.replace }, async (monitor) => {
        // Latest values from the Monitor's streams; uptime ratios from a cached analysis.
        const metrics = createMonitorMetrics(monitor, {
          initialSample: monitor.store.latest() ?? null,
        });
        const server = await startServer({
          api: monitor,
          host: opts.host,
          port,
          token,
          allowedHosts: opts.allowHost,
          staticDir,
          metrics: () => metrics.render(),
        });
        // The fragment never reaches the server or its logs; the page moves it to storage.
        const link = token ? `${server.url}/#token=${encodeURIComponent(token)}` : `${server.url}/`;
        console.log(`opspulse: dashboard on ${link}`);
        if (!fs.existsSync(path.join(staticDir, 'index.html')))
          console.warn(
            `opspulse: no built dashboard in ${staticDir}; run: npx electron-vite build`,
          );
        return async () => {
          await server.close();
          metrics.close();
        };
      });
    });
}
