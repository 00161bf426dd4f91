import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

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
