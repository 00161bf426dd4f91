import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { createApp } from './app';
import { checkServerOptions, type ServerOptions } from './options';
import { StreamGate } from './sse';

const CLOSE_GRACE_MS = 250;

export interface RunningServer {
  /** e.g. http://127.0.0.1:7800 */
  url: string;
  port: number;
  /** Ends live streams and stops listening. */
  close(): Promise<void>;
}

/** Starts the dashboard server; rejects with a readable error when it must not start. */
export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  checkServerOptions(opts);
  const gate = new StreamGate(opts.maxStreams ?? 32);
  const app = createApp(opts, gate);
  const server = await new Promise<Server>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, hostname: opts.host, port: opts.port }) as Server;
    s.once('error', reject);
    s.once('listening', () => {
      s.off('error', reject);
      resolve(s);
    });
  });
  // Requests are small; a slow client must not hold a socket forever.
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;
  const port = (server.address() as AddressInfo).port;
  const hostForUrl =
    opts.host.includes(':') && !opts.host.startsWith('[') ? `[${opts.host}]` : opts.host;
  return {
    url: `http://${hostForUrl}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        gate.closeAll();
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeIdleConnections();
        // Keep-alive clients may hold sockets past the close; give replies a moment, then cut.
        setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS).unref();
      }),
  };
}
