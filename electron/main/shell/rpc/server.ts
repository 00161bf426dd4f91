import type { MonitorApi, Unsubscribe } from '../../../../shared/api';
import { INVOKE_METHODS, toWireError, type InvokeMethod } from '../../../../shared/ipc';
import type { Notification } from '../../../../shared/notification';
import type { FromWorker, RpcPort, ToWorker } from './protocol';

export interface ServeOptions {
  /** The notifications to forward (the desktop notifier's stream inside the worker). */
  onNotification?: (cb: (n: Notification) => void) => Unsubscribe;
  /** Runs on the client's close request, before the reply (e.g. Monitor.close). */
  close?: () => Promise<void>;
}

const METHODS = new Set<string>(INVOKE_METHODS);

/**
 * Serves a MonitorApi over a message port. Takes a promise so the listener is attached at
 * once and calls sent while the Monitor is still opening wait for it instead of being lost.
 * Returns a function that detaches everything.
 */
export function serveMonitor(
  port: RpcPort,
  monitor: MonitorApi | Promise<MonitorApi>,
  opts: ServeOptions = {},
): () => void {
  const ready = Promise.resolve(monitor);
  const send = (m: FromWorker) => port.postMessage(m);
  const subs: Unsubscribe[] = [];
  let detached = false;

  void ready.then(
    (api) => {
      if (detached) return;
      subs.push(api.onSample((payload) => send({ kind: 'push', stream: 'sample', payload })));
      subs.push(api.onHealth((payload) => send({ kind: 'push', stream: 'health', payload })));
      if (opts.onNotification)
        subs.push(
          opts.onNotification((payload) => send({ kind: 'push', stream: 'notification', payload })),
        );
    },
    () => undefined,
  );

  const onMessage = (raw: unknown) => {
    const msg = raw as ToWorker;
    if (msg?.kind === 'close') {
      void settle(msg.id, async () => {
        await opts.close?.();
        return null;
      });
    } else if (msg?.kind === 'call') {
      void settle(msg.id, async () => {
        if (!METHODS.has(msg.method)) throw new Error(`unknown method "${String(msg.method)}"`);
        return call(await ready, msg.method, msg.args);
      });
    }
  };

  async function settle(id: number, run: () => Promise<unknown>): Promise<void> {
    try {
      send({ kind: 'reply', id, reply: { ok: true, value: await run() } });
    } catch (err) {
      send({ kind: 'reply', id, reply: { ok: false, error: toWireError(err) } });
    }
  }

  port.on('message', onMessage);
  return () => {
    detached = true;
    port.off('message', onMessage);
    for (const u of subs.splice(0)) u();
  };
}

/** The one dynamic dispatch; the method name is checked against the shared list first. */
function call(api: MonitorApi, method: InvokeMethod, args: unknown[]): Promise<unknown> {
  const fn = api[method] as (...a: unknown[]) => Promise<unknown>;
  return fn.apply(api, args);
}
