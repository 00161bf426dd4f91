import { resolve } from 'node:path';
import type { Plugin, UserConfig } from 'vite';
import { CONTENT_SECURITY_POLICY_META, CSP_PLACEHOLDER } from '../shared/csp';

/** Writes the one policy (shared/csp.ts) into the page's meta tag; a page without it fails. */
function cspMeta(): Plugin {
  return {
    name: 'opspulse-csp',
    transformIndexHtml: {
      order: 'pre',
      handler(html) {
        if (!html.includes(CSP_PLACEHOLDER))
          throw new Error(`renderer/index.html: no ${CSP_PLACEHOLDER} in its CSP meta tag`);
        return html.replace(CSP_PLACEHOLDER, CONTENT_SECURITY_POLICY_META);
      },
    },
  };
}

/**
 * The dashboard build: one static page served by `opspulse serve` and loaded by the
 * Electron window. Relative asset URLs work under both http:// and file://. Used by
 * electron.vite.config.ts and by the browser tests and benchmark, which build only this.
 */
export function rendererConfig(repoRoot: string): UserConfig {
  return {
    root: resolve(repoRoot, 'renderer'),
    base: './',
    plugins: [cspMeta()],
    build: {
      outDir: resolve(repoRoot, 'out/renderer'),
      emptyOutDir: true,
      rollupOptions: { input: resolve(repoRoot, 'renderer/index.html') },
    },
  };
}
