import { parentPort } from 'node:worker_threads';
import si from 'systeminformation';
import { SystemSampler } from './system-sampler';
import type { WorkerMessage, WorkerRequest } from './system-protocol';

/**
 * The system worker's entry: systeminformation blocks its thread on some calls (execSync),
 * so it runs here and the main thread's event loop stays free for probe timing and the UI.
 */
const port = parentPort;
if (!port) throw new Error('system-worker must run as a worker thread');

const post = (m: WorkerMessage): void => port.postMessage(m);
const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

// On Windows most calls would start a PowerShell each; one kept alive is far cheaper.
const windows = process.platform === 'win32';
if (windows) si.powerShellStart();

SystemSampler.create().then(
  (sampler) => {
    // One request at a time, in order: the sampler's rate baselines assume it.
    let queue = Promise.resolve();
    port.on('message', (req: WorkerRequest) => {
      queue = queue.then(async () => {
        if (req.kind === 'close') {
          if (windows) si.powerShellRelease();
          port.close();
          return;
        }
        try {
          post({ kind: 'sample', id: req.id, sample: await sampler.sample(req.slow) });
        } catch (err) {
          post({ kind: 'error', id: req.id, error: message(err) });
        }
      });
    });
    post({ kind: 'ready' });
  },
  (err: unknown) => post({ kind: 'failed', error: message(err) }),
);
