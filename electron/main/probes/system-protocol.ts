import type { SystemSample } from '../../../shared/sample';

/** Messages between SystemProbe (main thread) and the system worker. */
export interface CollectRequest {
  id: number;
  slow: boolean;
}

export type WorkerMessage =
  | { kind: 'ready' }
  | { kind: 'failed'; error: string }
  | { kind: 'sample'; id: number; sample: SystemSample }
  | { kind: 'error'; id: number; error: string };
