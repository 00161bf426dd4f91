import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor, startDaemon, writeConfig, type Daemon } from '../faults/helpers';
import { makeTmpDir, removeDir } from '../helpers/tmp-dir';
import { startHttp, type TestServer } from '../probes/helpers';
import { launchChromium } from './browser';
import { ensureRendererBuilt, REPO } from './build-renderer';

/**
 * A real `opspulse serve` process that hangs (SIGSTOP) with its sockets open: nothing errors,
 * nothing closes, the stream just goes quiet. The header must stop saying "live" within 10 s
 * and say so again once the process runs on (SIGCONT). The probe interval is a minute, so
 * only the server's heartbeat keeps a healthy page "live" in between samples.
 */
const ARTIFACTS = path.join(REPO, 'test-artifacts');

let target: TestServer;
let dir: string;
let daemon: Daemon;
let url: string;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  const staticDir = await ensureRendererBuilt();
  target = await startHttp((_req, res) => res.end('{"ok":true}'));
  dir = await makeTmpDir('opspulse-hung-');
  writeConfig(dir, {
    interval: 60,
    system: { enabled: false },
    targets: [{ id: 'api', name: 'API', kind: 'http', url: `${target.url}/health` }],
  });
  daemon = startDaemon(['--data', dir, 'serve', '--port', '0'], { OPSPULSE_STATIC: staticDir });
  url = await waitFor(
    'the dashboard URL',
    () => /dashboard on (http:\/\/\S+)/.exec(daemon.stdout())?.[1],
    60_000,
  );
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.on('pageerror', (err) => pageErrors.push(err.message));
}, 120_000);

afterAll(async () => {
  await browser?.close();
  if (daemon && daemon.child.exitCode === null && daemon.child.signalCode === null) {
    // A stopped process does not act on SIGTERM until it runs again.
    daemon.child.kill('SIGCONT');
    daemon.child.kill('SIGTERM');
    const killer = setTimeout(() => daemon.child.kill('SIGKILL'), 5_000);
    await daemon.exited;
    clearTimeout(killer);
  }
  await target?.close();
  if (dir) await removeDir(dir);
});

/**
 * Every state the header showed, in order, recorded in the page so no brief state is missed.
 * Page scripts are strings: the node typecheck has no DOM types.
 */
const RECORD_STATES = `(() => {
  const el = document.querySelector('.connection');
  const seen = [el.dataset.conn];
  window.__conn = seen;
  new MutationObserver(() => seen.push(el.dataset.conn)).observe(el, {
    attributes: true,
    attributeFilter: ['data-conn'],
  });
})()`;

function connStates(): Promise<string[]> {
  return page.evaluate('window.__conn');
}

describe('a serve process that hangs with its connections open', () => {
  it('stays live on heartbeats alone while the server is well', async () => {
    await page.goto(`${url.replace(/\/$/, '')}/#overview`);
    await page.waitForSelector('.connection[data-conn="live"]');
    await page.evaluate(RECORD_STATES);
    // Longer than the page's silence limit (9 s), with no sample due for a minute.
    await page.waitForTimeout(12_000);
    expect(await connStates()).toEqual(['live']);
  }, 30_000);

  it('says reconnecting within 10 s of SIGSTOP, then disconnected since a time', async () => {
    const stoppedAt = Date.now();
    daemon.child.kill('SIGSTOP');
    await page.waitForSelector('.connection:not([data-conn="live"])', { timeout: 10_000 });
    expect(Date.now() - stoppedAt).toBeLessThan(10_000);
    expect(await page.textContent('.connection')).toMatch(/^reconnecting|^disconnected since/);
    await page.waitForSelector('.connection[data-conn="disconnected"]', { timeout: 10_000 });
    expect(await page.textContent('.connection')).toMatch(/^disconnected since \d\d:\d\d:\d\d/);
    await page.screenshot({ path: path.join(ARTIFACTS, 'hung-server.png'), fullPage: true });
  }, 30_000);

  it('is live again once the process runs on (SIGCONT)', async () => {
    daemon.child.kill('SIGCONT');
    await page.waitForSelector('.connection[data-conn="live"]', { timeout: 15_000 });
    expect(await page.textContent('.connection')).toMatch(/^live/);
    expect(await connStates()).toEqual(['live', 'reconnecting', 'disconnected', 'live']);
  }, 30_000);

  it('raised no page errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
