import type { MonitorApi, Unsubscribe } from '../../../../shared/api';
import type { HealthSnapshot } from '../../../../shared/health';
import {
  fromWireError,
  INVOKE_METHODS,
  trimTrailingUndefined,
  type InvokeMethod,
} from '../../../../shared/ipc';
import type { Notification } from '../../../../shared/notification';
import type { Sample } from '../../../../shared/sample';
import type { FromWorker, RpcPort, Stream, ToWorker } from './protocol';

/** A MonitorApi living on the other side of a port, plus what the shell needs besides. */
export interface RemoteMonitor extends MonitorApi {
  onNotification(cb: (n: Notification) => void): Unsubscribe;
  /** Asks the other side to close the Monitor and waits for it. */
  close(): Promise<void>;
  /** Rejects every pending and future call (the worker died). */
  dispose(reason: Error): void;
  /** Called once, with the reason, when the other side is gone. */
  onDisposed(cb: (reason: Error) => void): Unsubscribe;
}

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

export function connectMonitor(port: RpcPort): RemoteMonitor {
  let nextId = 1;
  let dead: Error | null = null;
  // The core publishes every health change; answering health() from the last one keeps the
  // tray and window from queueing behind a long call (a 30-day report) in the worker.
  let lastHealth: HealthSnapshot | null = null;
  const pending = new Map<number, Pending>();
  const disposedCbs = new Set<(reason: Error) => void>();
  const listeners: Record<Stream, Set<(v: never) => void>> = {
    sample: new Set(),
    health: new Set(),
    notification: new Set(),
  };

  const onMessage = (raw: unknown) => {
    const msg = raw as FromWorker;
    if (msg?.kind === 'reply') {
      const p = pending.get(msg.id);
      if (!p) return;
      pending.delete(msg.id);
      if (msg.reply.ok) p.resolve(msg.reply.value);
      else p.reject(fromWireError(msg.reply.error));
    } else if (msg?.kind === 'push') {
      if (msg.stream === 'health') lastHealth = msg.payload as HealthSnapshot;
      for (const fn of listeners[msg.stream] ?? []) {
        try {
          (fn as (v: unknown) => void)(msg.payload);
        } catch {
          // A failing subscriber (a destroyed window) must not starve the others.
        }
      }
    }
  };
  port.on('message', onMessage);

  function request(build: (id: number) => ToWorker): Promise<unknown> {
    if (dead) return Promise.reject(dead);
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      port.postMessage(build(id));
    });
  }

  function subscribe<T>(stream: Stream, cb: (v: T) => void): Unsubscribe {
    const set = listeners[stream] as Set<(v: T) => void>;
    set.add(cb);
    return () => {
      set.delete(cb);
    };
  }

  const methods = Object.fromEntries(
    INVOKE_METHODS.map((method: InvokeMethod) => [
      method,
      (...args: unknown[]) =>
        request((id) => ({ kind: 'call', id, method, args: trimTrailingUndefined(args) })),
    ]),
  ) as unknown as Pick<MonitorApi, InvokeMethod>;

  return {
    ...methods,
    health: () => (lastHealth && !dead ? Promise.resolve(lastHealth) : methods.health()),
    onSample: (cb: (s: Sample) => void) => subscribe('sample', cb),
    onHealth: (cb: (h: HealthSnapshot) => void) => subscribe('health', cb),
    onNotification: (cb: (n: Notification) => void) => subscribe('notification', cb),
    async close() {
      await request((id) => ({ kind: 'close', id }));
      port.off('message', onMessage);
    },
    onDisposed(cb: (reason: Error) => void) {
      disposedCbs.add(cb);
      return () => {
        disposedCbs.delete(cb);
      };
    },
    dispose(reason: Error) {
      if (dead) return;
      dead = reason;
      port.off('message', onMessage);
      for (const p of pending.values()) p.reject(reason);
      pending.clear();
      for (const cb of disposedCbs) cb(reason);
    },
  };
}
