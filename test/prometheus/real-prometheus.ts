import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { makeTmpDir, removeDir } from '../helpers/tmp-dir';

/** Debian's prometheus/promtool, or null when this machine has none (CI installs them). */
export function findBinary(name: 'prometheus' | 'promtool'): string | null {
  const r = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  const p = r.stdout.trim();
  return r.status === 0 && p ? p : null;
}

export const SKIP_PROMETHEUS =
  findBinary('prometheus') === null
    ? 'prometheus is not installed (apt-get install prometheus); skipping the real-Prometheus tests'
    : null;
export const SKIP_PROMTOOL =
  findBinary('promtool') === null
    ? 'promtool is not installed (apt-get install prometheus); skipping the promtool checks'
    : null;

/** Runs `promtool check metrics` on an exposition; resolves with its exit code and output. */
export function promtoolCheckMetrics(text: string): { code: number; output: string } {
  const bin = findBinary('promtool');
  if (!bin) throw new Error('promtool is not installed');
  const r = spawnSync(bin, ['check', 'metrics'], {
    input: text,
    encoding: 'utf8',
    timeout: 15_000,
  });
  return { code: r.status ?? -1, output: `${r.stdout}${r.stderr}` };
}

export interface RunningPrometheus {
  /** Base URL of the HTTP API, e.g. http://127.0.0.1:41234 */
  url: string;
  /** Waits until every scrape target has been scraped successfully at least once. */
  waitForTargetsUp(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * A real Prometheus on loopback: random free port, temp storage, 1 s scrapes of the given
 * host:port targets (path /metrics). Every wait is bounded.
 */
export async function startPrometheus(opts: {
  targets: string[];
  scrapeIntervalSec?: number;
  /** Sent on every scrape, as a remote `opspulse serve --token` requires. */
  bearerToken?: string;
  /** Alerting/recording rule files to load (absolute paths). */
  ruleFiles?: string[];
}): Promise<RunningPrometheus> {
  const bin = findBinary('prometheus');
  if (!bin) throw new Error('prometheus is not installed');
  const dir = await makeTmpDir('opspulse-prom-');
  const interval = `${opts.scrapeIntervalSec ?? 1}s`;
  const yml = [
    'global:',
    `  scrape_interval: ${interval}`,
    `  evaluation_interval: ${interval}`,
    ...(opts.ruleFiles
      ? [`rule_files: [${opts.ruleFiles.map((f) => JSON.stringify(f)).join(', ')}]`]
      : []),
    'scrape_configs:',
    '  - job_name: opspulse',
    '    metrics_path: /metrics',
    `    scrape_timeout: ${interval}`,
    ...(opts.bearerToken
      ? ['    authorization:', '      type: Bearer', `      credentials: "${opts.bearerToken}"`]
      : []),
    '    static_configs:',
    `      - targets: [${opts.targets.map((t) => `"${t}"`).join(', ')}]`,
    '',
  ].join('\n');
  const configFile = path.join(dir, 'prometheus.yml');
  await fs.writeFile(configFile, yml);

  let lastErr: unknown;
  // The free port is found by binding and releasing it, so another process can take it in
  // between; a few attempts make that race harmless.
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const child = spawn(
      bin,
      [
        `--config.file=${configFile}`,
        `--storage.tsdb.path=${path.join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--log.level=warn',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-4000);
    });
    try {
      await waitFor(async () => (await fetchOk(`${url}/-/ready`)) || exited(child), 30_000);
      if (exited(child)) throw new Error(`prometheus exited: ${stderr}`);
      return {
        url,
        waitForTargetsUp: (timeoutMs = 30_000) =>
          waitFor(async () => {
            const r = await fetch(`${url}/api/v1/targets`);
            const body = (await r.json()) as {
              data: { activeTargets: { health: string }[] };
            };
            const ts = body.data.activeTargets;
            return ts.length === opts.targets.length && ts.every((t) => t.health === 'up');
          }, timeoutMs),
        close: async () => {
          await stop(child);
          await removeDir(dir);
        },
      };
    } catch (err) {
      lastErr = err;
      await stop(child);
    }
  }
  await removeDir(dir);
  throw lastErr;
}

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

async function stop(child: ChildProcess): Promise<void> {
  if (exited(child)) return;
  const done = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await done;
  clearTimeout(timer);
}

async function fetchOk(url: string): Promise<boolean> {
  try {
    const r = await fetch(url);
    await r.arrayBuffer();
    return r.ok;
  } catch {
    return false;
  }
}

export async function waitFor(cond: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await cond()) return;
    } catch {
      // Not up yet; try again until the deadline.
    }
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}
