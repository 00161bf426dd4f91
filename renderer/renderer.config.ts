import { resolve } from 'node:path';
import type { Plugin, UserConfig } from 'vite';
import { CONTENT_SECURITY_POLICY_META } from '../shared/csp';

/** The meta tag's policy must be shared/csp.ts's, word for word: a drifted copy fails the build. */
function cspMeta(): Plugin {
  return {
    name: 'opspulse-csp',
    transformIndexHtml: {
      order: 'pre',
      handler(html) {
        const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]*)"/.exec(html);
        if (meta?.[1] !== CONTENT_SECURITY_POLICY_META)
          throw new Error(
            `renderer/index.html: its CSP meta tag must read "${CONTENT_SECURITY_POLICY_META}" (shared/csp.ts), found "${meta?.[1] ?? 'none'}"`,
          );
        return html;
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
