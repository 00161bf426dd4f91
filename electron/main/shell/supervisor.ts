import type { Unsubscribe } from '../../../shared/api';
import type { HealthSnapshot } from '../../../shared/health';
import { INVOKE_METHODS, type InvokeMethod } from '../../../shared/ipc';
import type { Notification } from '../../../shared/notification';
import type { Sample } from '../../../shared/sample';
import type { RemoteMonitor } from './rpc/client';

export interface SupervisorOptions {
  /** Restarts allowed within `windowMs` before giving up (then the tray says why). */
  maxRestarts?: number;
  windowMs?: number;
  /** Delay before the n-th restart (1-based). */
  backoffMs?(attempt: number): number;
  onRestart?(reason: Error, attempt: number): void;
  now?: () => number;
}

type Listener<T> = (v: T) => void;

/**
 * Keeps a core running: when the worker dies it is started again (with backoff, a bounded
 * number of times), and callers keep one RemoteMonitor whose subscriptions carry over. While
 * it restarts the tray is told so with an `unknown` snapshot; calls in that gap reject with
 * the reason.
 */
export function superviseMonitor(
  start: (attempt: number) => RemoteMonitor,
  opts: SupervisorOptions = {},
): RemoteMonitor {
  const now = opts.now ?? Date.now;
  const maxRestarts = opts.maxRestarts ?? 3;
  const windowMs = opts.windowMs ?? 10 * 60_000;
  const backoff = opts.backoffMs ?? ((n: number) => [1_000, 5_000, 15_000][n - 1] ?? 15_000);
  const samples = new Set<Listener<Sample>>();
  const health = new Set<Listener<HealthSnapshot>>();
  const notes = new Set<Listener<Notification>>();
  const disposed = new Set<Listener<Error>>();
  const crashes: number[] = [];
  let attempt = 0;
  let closing = false;
  let dead: Error | null = null;
  let timer: NodeJS.Timeout | null = null;
  let current = launch();

  function emit<T>(set: Set<Listener<T>>, v: T): void {
    for (const fn of set) fn(v);
  }

  function launch(): RemoteMonitor {
    const remote = start(attempt);
    remote.onSample((s) => emit(samples, s));
    remote.onHealth((h) => emit(health, h));
    remote.onNotification((n) => emit(notes, n));
    remote.onDisposed((reason) => {
      if (closing || dead || remote !== current) return;
      const t = now();
      crashes.push(t);
      while (crashes.length > 0 && t - crashes[0] > windowMs) crashes.shift();
      if (crashes.length > maxRestarts) {
        giveUp(reason);
        return;
      }
      attempt++;
      opts.onRestart?.(reason, attempt);
      emit(health, {
        t,
        overall: 'unknown',
        summary: `restarting after: ${reason.message}`,
        targets: [],
        paused: false,
      });
      timer = setTimeout(() => {
        timer = null;
        if (!closing && !dead) current = launch();
      }, backoff(attempt));
    });
    return remote;
  }

  function giveUp(reason: Error): void {
    dead = reason;
    if (timer) clearTimeout(timer);
    emit(disposed, reason);
  }

  const sub =
    <T>(set: Set<Listener<T>>) =>
    (cb: Listener<T>): Unsubscribe => {
      set.add(cb);
      return () => {
        set.delete(cb);
      };
    };

  // Built from the shared method list; each call goes to whichever core is current.
  const methods = Object.fromEntries(
    INVOKE_METHODS.map((m: InvokeMethod) => [
      m,
      (...args: unknown[]) =>
        dead
          ? Promise.reject(dead)
          : (current[m] as (...a: unknown[]) => Promise<unknown>)(...args),
    ]),
  ) as unknown as Pick<RemoteMonitor, InvokeMethod>;

  return {
    ...methods,
    onSample: sub(samples),
    onHealth: sub(health),
    onNotification: sub(notes),
    onDisposed: sub(disposed),
    async close() {
      closing = true;
      if (timer) clearTimeout(timer);
      await current.close();
    },
    dispose(reason: Error) {
      if (dead) return;
      giveUp(reason);
      current.dispose(reason);
    },
  };
}
