import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import { rendererConfig } from './renderer/renderer.config';

// One build for everything: the Electron main (shell), the CLI and the worker scripts share
// out/main so workers are siblings of the modules that start them.
export default defineConfig({
  main: {
    build: {
      rollupOptions: {
        input: {
          cli: resolve(__dirname, 'electron/main/cli/index.ts'),
          index: resolve(__dirname, 'electron/main/shell/index.ts'),
          'monitor-worker': resolve(__dirname, 'electron/main/shell/monitor-worker.ts'),
          'system-worker': resolve(__dirname, 'electron/main/probes/system-worker.ts'),
          'analysis-worker': resolve(__dirname, 'electron/main/core/analysis-worker.ts'),
        },
      },
    },
  },
  // The dashboard page (renderer/renderer.config.ts, shared with the browser tests).
  renderer: rendererConfig(__dirname),
  // A sandboxed preload can neither be an ES module nor require packages: CommonJS, with
  // every dependency bundled in.
  preload: {
    build: {
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve(__dirname, 'electron/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
});
