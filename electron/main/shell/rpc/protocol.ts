import type { InvokeMethod, WireReply } from '../../../../shared/ipc';

/**
 * The messages between the shell (main thread) and the Monitor running in a worker thread.
 * Plain data only: they cross structured clone.
 */
export type Stream = 'sample' | 'health' | 'notification';

export type ToWorker =
  | { kind: 'call'; id: number; method: InvokeMethod; args: unknown[] }
  | { kind: 'close'; id: number };

export type FromWorker =
  | { kind: 'reply'; id: number; reply: WireReply }
  | { kind: 'push'; stream: Stream; payload: unknown };

/** What both worker_threads' MessagePort/parentPort/Worker and Electron's ports offer. */
export interface RpcPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  off(event: 'message', listener: (message: unknown) => void): unknown;
}
