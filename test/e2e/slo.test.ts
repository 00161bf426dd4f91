import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Monitor } from '../../electron/main/core/monitor';
import type { RunningServer } from '../../electron/main/server/server';
import { SampleStore } from '../../electron/main/store/sample-store';
import type { ConfigInput } from '../../shared/config-schema';
import { SAMPLE_VERSION } from '../../shared/sample';

declare const document: { querySelector(s: string): unknown };
import { makeTmpDir, removeDir } from '../helpers/tmp-dir';
import { ensureRendererBuilt, REPO } from './build-renderer';
import { closeServer, servePage, type ServedPage } from './fixture';

/**
 * Error budgets on the dashboard, against the real `serve` stack: 30 days of history in
 * which `api` was down for 2 hours (more than its 99.9 % budget of 43 min), `db` never.
 */
const ARTIFACTS = path.join(REPO, 'test-artifacts');
const DAY = 86_400_000;
const STEP = 300_000;

let dir: string;
let monitor: Monitor;
let server: RunningServer;
let tcp: net.Server;
let page: Page;
let served: ServedPage;
let pageErrors: string[] = [];

beforeAll(async () => {
  await fs.mkdir(ARTIFACTS, { recursive: true });
  const staticDir = await ensureRendererBuilt();
  dir = await makeTmpDir('opspulse-slo-e2e-');
  tcp = net.createServer((s) => s.end());
  await new Promise<void>((r) => tcp.listen(0, '127.0.0.1', r));
  const port = (tcp.address() as AddressInfo).port;
  const store = await SampleStore.open(dir);
  const end = Date.now() - 5_000;
  const outage = end - 10 * DAY;
  for (let t = end - 29 * DAY; t < end; t += STEP) {
    const down = t >= outage && t < outage + 2 * 3_600_000;
    store.append({
      v: SAMPLE_VERSION,
      t,
      tg: {
        api: down ? { up: 0, err: 'connection refused' } : { up: 1, ms: 12 },
        db: { up: 1, ms: 3 },
      },
    });
  }
  await store.close();
  const config: ConfigInput = {
    interval: 1,
    targets: [
      { kind: 'tcp', id: 'api', name: 'API', host: '127.0.0.1', port, timeoutMs: 500 },
      { kind: 'tcp', id: 'db', name: 'Database', host: '127.0.0.1', port, timeoutMs: 500 },
    ],
    slos: [
      { target: 'api', availability: 99.9 },
      { target: 'db', availability: 99.5, latency: { thresholdMs: 500, percent: 95 } },
    ],
  };
  await fs.writeFile(path.join(dir, 'config.json'), JSON.stringify(config, null, 2));
  served = await servePage(dir, staticDir, {
    viewport: { width: 1440, height: 900 },
    beforeStart: (m) => m.slo.ready(),
  });
  ({ monitor, server, page, pageErrors } = served);
}, 300_000);

afterAll(async () => {
  await served?.close();
  if (tcp) await closeServer(tcp);
  if (dir) await removeDir(dir);
});

async function rowText(selector: string): Promise<string> {
  await page.waitForSelector(selector, { timeout: 30_000 });
  return (await page.textContent(selector)) ?? '';
}

describe('error budgets on the dashboard', () => {
  it('shows every objective on the overview, the overspent one as overspent', async () => {
    await page.goto(`${server.url}/#overview`);
    await page.waitForSelector('body[data-ready]', { timeout: 60_000 });
    const api = await rowText('.slo-panel .slo-row[data-target="api"][data-sli="availability"]');
    // 2 h down in 29 days at 99.9 %: 0.29 % bad against a 0.1 % budget, overspent 1.9×.
    expect(api).toMatch(/99\.9 % up over 30 d/);
    expect(api).toMatch(/99\.71\d %/);
    expect(api).toMatch(/overspent by 18\d % of the budget/);
    const db = await rowText('.slo-panel .slo-row[data-target="db"][data-sli="availability"]');
    expect(db).toMatch(/100\.000 %/);
    expect(db).toMatch(/100 % left \(about 3\.6 h of failures\)/);
    const latency = await rowText('.slo-panel .slo-row[data-target="db"][data-sli="latency"]');
    expect(latency).toMatch(/95 % under 500 ms over 30 d/);
    expect(
      await page.$$eval('.slo-panel .slo-alert', (els) => els.map((e) => e.textContent)),
    ).toEqual(['within budget', 'within budget', 'within budget']);
    await page.screenshot({ path: path.join(ARTIFACTS, 'slo-overview.png'), fullPage: true });
  }, 90_000);

  it("shows a target's own budgets on its page", async () => {
    await page.goto(`${server.url}/#target=db`);
    await page.waitForSelector('body[data-ready]', { timeout: 60_000 });
    await page.waitForSelector('.target-page .slo-panel .slo-row[data-target="db"]', {
      timeout: 30_000,
    });
    const rows = await page.$$eval('.target-page .slo-panel .slo-row', (els) =>
      els.map((e) => `${e.getAttribute('data-target')}:${e.getAttribute('data-sli')}`),
    );
    expect(rows).toEqual(['db:availability', 'db:latency']);
    await page.screenshot({ path: path.join(ARTIFACTS, 'slo-target.png'), fullPage: true });
  }, 90_000);

  it('edits the email settings, with errors at their field and the password kept masked', async () => {
    await page.goto(`${server.url}/#targets`);
    await page.waitForSelector('body[data-ready]', { timeout: 60_000 });
    const form = '.email-settings form';
    await page.waitForSelector(form);
    await page.fill(`${form} [name=host]`, '127.0.0.1');
    await page.fill(`${form} [name=port]`, '2525');
    await page.selectOption(`${form} [name=security]`, 'none');
    await page.fill(`${form} [name=user]`, 'ops');
    await page.fill(`${form} [name=pass]`, 'smtp-secret-1');
    await page.fill(`${form} [name=from]`, 'opspulse@example.com');
    await page.fill(`${form} [name=to]`, 'not-an-address');
    await page.click(`${form} button[type=submit]`);
    await page.waitForSelector(`${form} .field-error[data-for="to"]:not(:empty)`);
    expect(await page.textContent(`${form} .field-error[data-for="to"]`)).toMatch(/email address/);
    expect(monitor.config.get().alerts.email).toBeUndefined();

    await page.fill(`${form} [name=to]`, 'oncall@example.com, me@example.com');
    await page.click(`${form} button[type=submit]`);
    await page.waitForSelector('.email-settings .action-result:text("Email settings saved.")');
    expect(monitor.config.get().alerts.email).toMatchObject({
      host: '127.0.0.1',
      port: 2525,
      security: 'none',
      user: 'ops',
      pass: 'smtp-secret-1',
      to: ['oncall@example.com', 'me@example.com'],
    });
    // The page never gets the password back; saving again keeps it.
    expect(await page.inputValue(`${form} [name=pass]`)).toBe('*****');
    await page.fill(`${form} [name=port]`, '2526');
    await page.click(`${form} button[type=submit]`);
    await page.waitForFunction(
      () => document.querySelector('.email-settings [name=port]') !== null,
    );
    await expect.poll(() => monitor.config.get().alerts.email?.port).toBe(2526);
    expect(monitor.config.get().alerts.email?.pass).toBe('smtp-secret-1');
    await page.screenshot({ path: path.join(ARTIFACTS, 'email-settings.png'), fullPage: true });
  }, 90_000);

  it('raised no page errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
