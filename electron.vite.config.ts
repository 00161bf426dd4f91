import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';

// One build for everything: the Electron main (shell), the CLI and the worker scripts share
// out/main so workers are siblings of the modules that start them.
export default defineConfig({
  main: {
    build: {
      rollupOptions: {
        input: {
          cli: resolve(__dirname, 'electron/main/cli/index.ts'),
        },
      },
    },
  },
});
