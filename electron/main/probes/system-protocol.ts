import type { SystemSample } from '../../../shared/sample';

/** Messages from SystemProbe (main thread) to the system worker. */
export type WorkerRequest = { kind: 'collect'; id: number; slow: boolean } | { kind: 'close' };

/** Messages from the system worker back. */
export type WorkerMessage =
  | { kind: 'ready' }
  | { kind: 'failed'; error: string }
  | { kind: 'sample'; id: number; sample: SystemSample }
  | { kind: 'error'; id: number; error: string };
