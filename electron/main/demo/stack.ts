import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { DemoModel, SERVICE_IDS, SERVICES, type Phase, type ServiceId } from './model';

/** The ports the ai-ops preset expects, plus free-standing defaults for the two placeholders. */
export const DEFAULT_PORTS: Readonly<Record<ServiceId, number>> = {
  scheduler: 8091,
  'task-queue': 8092,
  orchestrator: 8093,
  'llm-local': 8080,
  'llm-gateway': 4000,
  'llm-cloud': 8094,
};

export interface DemoStackOptions {
  /** Per-service port; 0 picks a free one. Missing services use DEFAULT_PORTS. */
  ports?: Partial<Record<ServiceId, number>>;
  /** Every service on a free port (tests); overrides DEFAULT_PORTS, not explicit ports. */
  anyPorts?: boolean;
  host?: string;
  seed?: number;
  /** Length of a phase slot in ms (see DemoModel). */
  slotMs?: number;
  now?: () => number;
}

export interface DemoStack {
  host: string;
  ports: Record<ServiceId, number>;
  /** The URL a probe of each service uses, e.g. http://127.0.0.1:8091/health */
  urls: Record<ServiceId, string>;
  model: DemoModel;
  /** Pins a service to a phase; null returns it to its seeded schedule. */
  force(id: ServiceId, phase: Phase | null): void;
  close(): Promise<void>;
}

/**
 * Starts the simulated stack: one plain HTTP server per service on loopback, answering
 * its preset path after a latency drawn from the model. Other paths get 404.
 */
export async function startDemoStack(opts: DemoStackOptions = {}): Promise<DemoStack> {
  const host = opts.host ?? '127.0.0.1';
  const now = opts.now ?? Date.now;
  const model = new DemoModel({ seed: opts.seed ?? 1, slotMs: opts.slotMs });
  const servers: http.Server[] = [];
  const ports = {} as Record<ServiceId, number>;
  const urls = {} as Record<ServiceId, string>;
  const close = async (): Promise<void> => {
    await Promise.all(servers.map(stopServer));
  };
  try {
    for (const id of SERVICE_IDS) {
      const want = opts.ports?.[id] ?? (opts.anyPorts ? 0 : DEFAULT_PORTS[id]);
      const server = createServiceServer(id, model, now);
      await listen(server, host, want, id);
      servers.push(server);
      ports[id] = (server.address() as AddressInfo).port;
      urls[id] = `http://${host}:${ports[id]}${SERVICES[id].path}`;
    }
  } catch (err) {
    await close();
    throw err;
  }
  return { host, ports, urls, model, force: (id, phase) => model.force(id, phase), close };
}

function createServiceServer(id: ServiceId, model: DemoModel, now: () => number): http.Server {
  let requests = 0;
  const timers = new Set<NodeJS.Timeout>();
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== SERVICES[id].path) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({ error: `not found; this simulated ${id} serves ${SERVICES[id].path}` }),
      );
      return;
    }
    const reply = model.reply(id, now(), requests++);
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (reply.kind === 'reset') {
        req.socket.destroy();
        return;
      }
      const body = JSON.stringify(reply.body);
      res.writeHead(reply.status, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
      });
      res.end(body);
    }, reply.delayMs);
    timers.add(timer);
  });
  server.on('close', () => {
    for (const t of timers) clearTimeout(t);
    timers.clear();
  });
  return server;
}

function listen(server: http.Server, host: string, port: number, id: ServiceId): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      const why =
        err.code === 'EADDRINUSE'
          ? `port ${port} is already in use (pass another port for ${id}, or 0 for any)`
          : err.message;
      reject(new Error(`simulated ${id}: cannot listen on ${host}:${port}: ${why}`));
    });
    server.listen(port, host, () => resolve());
  });
}

function stopServer(server: http.Server): Promise<void> {
  if (!server.listening) return Promise.resolve();
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
