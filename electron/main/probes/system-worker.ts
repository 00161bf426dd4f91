import { parentPort } from 'node:worker_threads';
import { SystemSampler } from './system-sampler';
import type { CollectRequest, WorkerMessage } from './system-protocol';

/**
 * The system worker's entry: systeminformation blocks its thread on some calls (execSync),
 * so it runs here and the main thread's event loop stays free for probe timing and the UI.
 */
const port = parentPort;
if (!port) throw new Error('system-worker must run as a worker thread');

const post = (m: WorkerMessage): void => port.postMessage(m);

SystemSampler.create().then(
  (sampler) => {
    // One request at a time, in order: the sampler's rate baselines assume it.
    let queue = Promise.resolve();
    port.on('message', (req: CollectRequest) => {
      queue = queue.then(async () => {
        try {
          post({ kind: 'sample', id: req.id, sample: await sampler.sample(req.slow) });
        } catch (err) {
          post({
            kind: 'error',
            id: req.id,
            error: err instanceof Error ? err.message : String(err),
          });
        }
      });
    });
    post({ kind: 'ready' });
  },
  (err: unknown) =>
    post({ kind: 'failed', error: err instanceof Error ? err.message : String(err) }),
);
