import type { MonitorApi, Unsubscribe } from '../../shared/api';
import {
  fromWireError,
  INVOKE_METHODS,
  invokeChannel,
  PUSH_CHANNELS,
  trimTrailingUndefined,
  type InvokeMethod,
  type WireReply,
} from '../../shared/ipc';

/** The part of ipcRenderer the bridge uses; the page never sees it. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, payload: unknown) => void): unknown;
}

/**
 * MonitorApi over IPC, built from the shared channel list. Push listeners get the payload
 * only, never the IPC event (whose `sender` would hand the page a raw ipcRenderer).
 */
export function createMonitorBridge(ipc: IpcRendererLike): MonitorApi {
  const listeners = {
    sample: new Set<(v: never) => void>(),
    health: new Set<(v: never) => void>(),
  };
  for (const stream of ['sample', 'health'] as const) {
    ipc.on(PUSH_CHANNELS[stream], (_event, payload) => {
      for (const fn of listeners[stream]) {
        try {
          (fn as (v: unknown) => void)(payload);
        } catch (err) {
          // A broken chart callback must not stop the others from updating.
          console.error(err);
        }
      }
    });
  }

  const subscribe = (stream: keyof typeof listeners, cb: (v: never) => void): Unsubscribe => {
    listeners[stream].add(cb);
    return () => {
      listeners[stream].delete(cb);
    };
  };

  const api: Record<string, unknown> = {};
  for (const method of INVOKE_METHODS) api[method] = (...args: unknown[]) => invoke(method, args);
  api.onSample = (cb: (v: never) => void) => subscribe('sample', cb);
  api.onHealth = (cb: (v: never) => void) => subscribe('health', cb);
  // Built from the shared method list, so the compiler cannot follow it member by member;
  // test/shell/ipc.test.ts ('preload bridge') checks every MonitorApi method is present.
  return api as unknown as MonitorApi;

  async function invoke(method: InvokeMethod, args: unknown[]): Promise<unknown> {
    const reply = (await ipc.invoke(
      invokeChannel(method),
      ...trimTrailingUndefined(args),
    )) as WireReply;
    if (reply.ok) return reply.value;
    throw fromWireError(reply.error);
  }
}
