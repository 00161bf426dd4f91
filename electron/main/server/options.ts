import type { MonitorApi } from '../../../shared/api';

export interface ServerOptions {
  api: MonitorApi;
  /** Interface to bind; 127.0.0.1 unless the user asks otherwise. */
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** When set, every API request must carry it; required for a non-loopback host. */
  token?: string;
  /**
   * Host names besides loopback and the bound address that requests may name in their Host
   * header (a DNS name, a reverse proxy's). Anything else is refused (DNS rebinding).
   */
  allowedHosts?: string[];
  /** The built renderer (out/renderer). */
  staticDir: string;
  /** Prometheus text for /metrics; the route is absent without it. */
  metrics?: () => string | Promise<string>;
  /** Most simultaneous live streams; each holds a socket and two subscriptions. */
  maxStreams?: number;
  /** Seconds between live-stream `heartbeat` events (how the page tells a hung server). */
  heartbeatSec?: number;
  /** Unsent events a live-stream client may fall behind by before it is disconnected. */
  maxQueuedEvents?: number;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', 'localhost', '[::1]']);

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_HOSTS.has(host.toLowerCase()) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** A token short enough to guess would make the non-loopback rule pointless. */
export const MIN_TOKEN_LENGTH = 12;

/** Throws a readable error for a configuration that must not start. */
export function checkServerOptions(opts: Pick<ServerOptions, 'host' | 'port' | 'token'>): void {
  if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535)
    throw new Error(`--port: ${opts.port} is not a port number (0-65535)`);
  if (opts.token !== undefined && opts.token.length < MIN_TOKEN_LENGTH)
    throw new Error(`--token: use at least ${MIN_TOKEN_LENGTH} characters`);
  if (!isLoopbackHost(opts.host) && opts.token === undefined)
    throw new Error(
      `--host ${opts.host}: a non-loopback address exposes your monitor to the network; ` +
        'set --token (or OPSPULSE_TOKEN) to start it',
    );
}
