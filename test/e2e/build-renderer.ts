import fs from 'node:fs';
import path from 'node:path';
import { build } from 'vite';
import { rendererConfig } from '../../renderer/renderer.config';

export const REPO = path.resolve(import.meta.dirname, '../..');
export const RENDERER_OUT = path.join(REPO, 'out/renderer');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    newest = Math.max(newest, fs.statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

function isStale(): boolean {
  const index = path.join(RENDERER_OUT, 'index.html');
  if (!fs.existsSync(index)) return true;
  const built = fs.statSync(index).mtimeMs;
  const sources = Math.max(
    newestMtime(path.join(REPO, 'renderer')),
    newestMtime(path.join(REPO, 'shared')),
  );
  return sources > built;
}

/**
 * Builds the dashboard (the renderer section of electron.vite.config.ts) when it is missing
 * or older than its sources, so `npm test` works from a clean clone. Only the renderer is
 * built: the page is all the browser tests need.
 */
export async function ensureRendererBuilt(): Promise<string> {
  if (!isStale()) return RENDERER_OUT;
  await build({ ...rendererConfig(REPO), configFile: false, logLevel: 'warn' });
  return RENDERER_OUT;
}
