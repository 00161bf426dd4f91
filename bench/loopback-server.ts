import { spawn } from 'node:child_process';

export interface LoopbackServer {
  url: string;
  stop(): void;
}

/**
 * Runs `script` (a CommonJS server that prints its port on stdout) in a child Node process,
 * so the monitored service's CPU and event loop are not counted as the monitor's.
 */
export async function startLoopbackServer(script: string): Promise<LoopbackServer> {
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.once('data', (d: Buffer) => resolve(Number(d.toString().trim())));
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
  });
  return { url: `http://127.0.0.1:${port}`, stop: () => child.kill('SIGKILL') };
}
