import { resolve } from 'node:path';
import type { UserConfig } from 'vite';

/**
 * The dashboard build: one static page served by `opspulse serve` and loaded by the
 * Electron window. Relative asset URLs work under both http:// and file://. Used by
 * electron.vite.config.ts and by the browser tests and benchmark, which build only this.
 */
export function rendererConfig(repoRoot: string): UserConfig {
  return {
    root: resolve(repoRoot, 'renderer'),
    base: './',
    build: {
      outDir: resolve(repoRoot, 'out/renderer'),
      emptyOutDir: true,
      rollupOptions: { input: resolve(repoRoot, 'renderer/index.html') },
    },
  };
}
