import { execFile } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { makeTmpDir, removeDir } from '../helpers/tmp-dir';

export const run = promisify(execFile);
export const ROOT = path.resolve(import.meta.dirname, '..', '..');
export const ENTRIES = [
  'out/main/index.js',
  'out/main/monitor-worker.js',
  'out/preload/index.cjs',
  'out/renderer/index.html',
];

/** The electron-vite build the desktop app runs from; built once if missing. */
export async function ensureBuilt(): Promise<void> {
  if (ENTRIES.every((e) => fs.existsSync(path.join(ROOT, e)))) return;
  await run('npx', ['electron-vite', 'build'], { cwd: ROOT, timeout: 180_000 });
}

/** A data directory whose config probes one local HTTP server every second, and that server. */
export interface AppFixture {
  dir: string;
  close(): Promise<void>;
}

export async function startAppFixture(prefix: string): Promise<AppFixture> {
  const dir = await makeTmpDir(prefix);
  const server = http.createServer((_req, res) => res.end('ok'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  await fsp.writeFile(
    path.join(dir, 'config.json'),
    JSON.stringify({
      version: 1,
      interval: 1,
      system: { enabled: false },
      alerts: { downAfter: 1, upAfter: 1 },
      targets: [{ id: 'web', name: 'Web', kind: 'http', url: `http://127.0.0.1:${port}/` }],
    }),
  );
  return {
    dir,
    async close() {
      await new Promise((r) => server.close(r));
      await removeDir(dir);
    },
  };
}
