/**
 * Screenshots of every dashboard view against the real demo, light and dark, at 1440 and
 * 1024 px (and 390 px for the overview), to look at before shipping a UI change:
 *
 *   npx tsx scripts/screenshots.ts [OUT_DIR]     (default: test-artifacts/screenshots)
 *
 * The renderer is built into a temporary directory, so a build shared with running tests
 * is left alone.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { build } from 'vite';
import { startDemo } from '../electron/main/demo/run-demo';
import { rendererConfig } from '../renderer/renderer.config';
import { launchChromium } from '../test/e2e/browser';

const REPO = path.resolve(import.meta.dirname, '..');
const VIEWS = ['overview', 'charts', 'uptime', 'events', 'targets', 'export'] as const;

async function main(): Promise<void> {
  const out = path.resolve(process.argv[2] ?? path.join(REPO, 'test-artifacts/screenshots'));
  await fs.mkdir(out, { recursive: true });
  const staticDir = await fs.mkdtemp(path.join(os.tmpdir(), 'opspulse-shots-'));
  const cfg = rendererConfig(REPO);
  await build({
    ...cfg,
    build: { ...cfg.build, outDir: staticDir },
    configFile: false,
    logLevel: 'warn',
  });
  const demo = await startDemo({ port: 0, staticDir, historyHours: 24 * 3, intervalSec: 5 });
  const browser = await launchChromium();
  try {
    for (const scheme of ['light', 'dark'] as const) {
      for (const width of [1440, 1024, 390]) {
        const page = await browser.newPage({
          viewport: { width, height: width === 390 ? 844 : 900 },
          colorScheme: scheme,
          deviceScaleFactor: width === 390 ? 2 : 1,
        });
        await page.goto(demo.url);
        await page.waitForSelector('body[data-ready]', { timeout: 60_000 });
        const views = width === 390 ? ['overview', 'target'] : [...VIEWS, 'target'];
        for (const view of views) {
          if (view === 'target') await page.goto(`${demo.url}/#target=llm-gateway`);
          else await page.click(`nav a[data-tab="${view}"]`);
          await page.waitForSelector(`body[data-view="${view}"]`);
          await page.waitForTimeout(view === 'charts' || view === 'target' ? 2500 : 1200);
          const file = path.join(out, `${view}-${scheme}-${width}.png`);
          await page.screenshot({ path: file, fullPage: view !== 'charts' });
          console.log(file);
        }
        await page.close();
      }
    }
  } finally {
    await browser.close();
    await demo.close();
    await fs.rm(staticDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
