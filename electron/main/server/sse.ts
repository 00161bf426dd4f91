import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { MonitorApi } from '../../../shared/api';

/** Unsent events a client may fall behind by: minutes of samples at a 1 s interval. */
export const MAX_QUEUED_EVENTS = 256;

/**
 * Seconds between `heartbeat` events. The page treats about three missed beats as a hung
 * server (an open socket that says nothing); SSE comments would not do, since the browser
 * never hands them to the page. They also keep proxies from dropping an idle stream.
 */
export const HEARTBEAT_SEC = 3;

/** Counts open streams so one client cannot exhaust sockets and subscriptions. */
export class StreamGate {
  private open = 0;
  private readonly closers = new Set<() => void>();
  constructor(private readonly max: number) {}

  tryEnter(): boolean {
    if (this.open >= this.max) return false;
    this.open++;
    return true;
  }

  leave(): void {
    this.open--;
  }

  get count(): number {
    return this.open;
  }

  track(close: () => void): () => void {
    this.closers.add(close);
    return () => this.closers.delete(close);
  }

  /** Ends every open stream, so the HTTP server can close promptly. */
  closeAll(): void {
    for (const close of [...this.closers]) close();
  }
}

/**
 * Live samples and health changes as Server-Sent Events (`sample`, `health`, and a
 * `heartbeat` carrying the server's clock every few seconds). The current health is sent
 * first so a fresh page needs no separate fetch to be current.
 */
export function liveStream(
  c: Context,
  api: MonitorApi,
  gate: StreamGate,
  heartbeatSec: number = HEARTBEAT_SEC,
  maxQueued: number = MAX_QUEUED_EVENTS,
) {
  if (!gate.tryEnter()) return c.json({ error: 'too many live streams open' }, 503);
  c.header('Cache-Control', 'no-store');
  return streamSSE(c, async (stream) => {
    let finish: () => void = () => {};
    const done = new Promise<void>((resolve) => (finish = resolve));
    // Writes are queued so events reach the client in the order they happened. A client
    // that stops reading (a suspended tab, a stuck proxy) would make the queue grow without
    // end: past maxQueued unsent events it is disconnected, and EventSource reconnects
    // afresh once it reads again.
    let queue: Promise<void> = Promise.resolve();
    let queued = 0;
    const enqueue = (write: () => Promise<unknown>): void => {
      if (++queued > maxQueued) {
        finish();
        return;
      }
      queue = queue.then(async () => {
        if (!stream.aborted) await write();
        queued--;
      });
      queue.catch(finish);
    };
    const send = (event: string, payload: unknown): void => {
      const data = JSON.stringify(payload);
      enqueue(() => stream.writeSSE({ event, data }));
    };
    const offSample = api.onSample((s) => send('sample', s));
    const offHealth = api.onHealth((h) => send('health', h));
    const heartbeat = setInterval(() => send('heartbeat', { at: Date.now() }), heartbeatSec * 1000);
    const untrack = gate.track(finish);
    stream.onAbort(finish);
    try {
      send('health', await api.health());
      await done;
    } finally {
      clearInterval(heartbeat);
      offSample();
      offHealth();
      untrack();
      gate.leave();
    }
  });
}
