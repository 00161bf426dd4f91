import net from 'node:net';
import si from 'systeminformation';
import { HttpTarget } from '../../shared/config-schema';
import type { ProbeResult } from '../../shared/sample';
import { startLoopbackServer, type LoopbackServer } from '../loopback-server';

/** Reports how long it held each request, so the server's timer jitter is not blamed on the probe. */
const SERVER = `
const http = require('node:http');
const { performance } = require('node:perf_hooks');
const server = http.createServer((req, res) => {
  const t0 = performance.now();
  const d = Number(new URL(req.url, 'http://x').searchParams.get('d') || 0);
  const reply = () => {
    const body = JSON.stringify({ status: 'healthy', hold: performance.now() - t0 });
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  };
  if (d > 0) setTimeout(reply, d); else reply();
});
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
`;

/** The server all four parts probe; `?d=MS` delays the reply. */
export function startProbeServer(): Promise<LoopbackServer> {
  return startLoopbackServer(SERVER);
}

export function target(id: string, url: string): HttpTarget {
  return HttpTarget.parse({
    id,
    name: id,
    kind: 'http',
    url,
    conditions: [{ path: '$.status', op: '==', value: 'healthy' }],
    metrics: { hold: '$.hold' },
  });
}

/**
 * The floor: the same request through a bare socket, no HTTP library. Its error is what
 * this machine's scheduling and loopback cost anyway; the probe's own overhead is the rest.
 */
export function rawGet(url: string): Promise<{ ms: number; hold: number }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const socket = net.connect({ host: u.hostname, port: Number(u.port) });
    const chunks: Buffer[] = [];
    socket.on('connect', () =>
      socket.write(
        `GET ${u.pathname}${u.search} HTTP/1.1\r\nHost: ${u.host}\r\nConnection: close\r\n\r\n`,
      ),
    );
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', reject);
    socket.on('end', () => {
      const ms = performance.now() - started;
      const text = Buffer.concat(chunks).toString('utf8');
      const body = JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4)) as { hold: number };
      resolve({ ms, hold: body.hold });
    });
  });
}

/**
 * The floor for a probe on a kept connection: the same request on one socket kept open
 * between calls, so neither side pays for a connect.
 */
export class KeptSocket {
  private socket: net.Socket | undefined;
  private buffered = '';
  private waiting: ((text: string) => void) | undefined;

  constructor(private readonly url: URL) {}

  async get(): Promise<{ ms: number; hold: number }> {
    const started = performance.now();
    const socket = await this.connected();
    const text = await new Promise<string>((resolve) => {
      this.waiting = resolve;
      socket.write(
        `GET ${this.url.pathname}${this.url.search} HTTP/1.1\r\nHost: ${this.url.host}\r\n\r\n`,
      );
    });
    const ms = performance.now() - started;
    const body = JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4)) as { hold: number };
    return { ms, hold: body.hold };
  }

  close(): void {
    this.socket?.destroy();
  }

  private connected(): Promise<net.Socket> {
    if (this.socket) return Promise.resolve(this.socket);
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: this.url.hostname, port: Number(this.url.port) });
      socket.setEncoding('latin1');
      socket.on('data', (chunk: string) => {
        this.buffered += chunk;
        const end = this.buffered.indexOf('\r\n\r\n');
        const length = /content-length: (\d+)/i.exec(this.buffered);
        if (end < 0 || !length || this.buffered.length < end + 4 + Number(length[1])) return;
        const text = this.buffered;
        this.buffered = '';
        this.waiting?.(text);
      });
      socket.once('error', reject);
      socket.once('connect', () => {
        this.socket = socket;
        resolve(socket);
      });
    });
  }
}

/** Error vs the server's own hold time, and vs the nominal injected delay. */
export function errors(
  results: ProbeResult[],
  delayMs: number,
): { vsHold: number[]; vsNominal: number[] } {
  const vsHold: number[] = [];
  const vsNominal: number[] = [];
  for (const r of results) {
    if (!r.up || r.ms === undefined || r.metrics?.hold === undefined)
      throw new Error(`bench probe failed: ${r.error ?? 'no latency'}`);
    vsHold.push(r.ms - r.metrics.hold);
    vsNominal.push(r.ms - delayMs);
  }
  return { vsHold, vsNominal };
}

/** The naive way: the four usual calls, on the calling thread. */
export function bareSystemInformation(): Promise<unknown> {
  return Promise.all([si.currentLoad(), si.mem(), si.networkStats(), si.fsSize()]);
}

export const f2 = (x: number): string => x.toFixed(2);
export const verdict = (ok: boolean): string => (ok ? 'PASS' : 'FAIL');
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
