import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigStore } from '../../electron/main/config/config-store';
import { buildDemoConfig } from '../../electron/main/demo/demo-config';
import { SERVICE_IDS } from '../../electron/main/demo/model';
import { startDemoStack, type DemoStack } from '../../electron/main/demo/stack';
import { queryInstant } from '../../electron/main/prometheus/promql-client';
import { finished, startCli } from '../helpers/cli';
import { makeTmpDir, removeDir } from '../helpers/tmp-dir';
import {
  SKIP_PROMETHEUS,
  startPrometheus,
  waitFor,
  type RunningPrometheus,
} from './real-prometheus';

if (SKIP_PROMETHEUS) console.warn(SKIP_PROMETHEUS);

const TOKEN = 'scrape-token-0123456789';

/** `opspulse serve` as a user runs it (with a token, as on a shared host), watching the simulated stack, scraped by Prometheus. */
describe.skipIf(SKIP_PROMETHEUS !== null)('opspulse serve scraped by a real Prometheus', () => {
  let dir: string;
  let stack: DemoStack;
  let prom: RunningPrometheus;
  let child: ReturnType<typeof startCli>;
  let exit: ReturnType<typeof finished>;
  let url = '';

  beforeAll(async () => {
    dir = await makeTmpDir();
    stack = await startDemoStack({ anyPorts: true, seed: 6 });
    for (const id of SERVICE_IDS) stack.force(id, 'ok');
    const cfg = await ConfigStore.open(dir);
    await cfg.update((d) => Object.assign(d, buildDemoConfig(stack.urls, { intervalSec: 1 })));
    child = startCli(['--data', dir, 'serve', '--port', '0', '--token', TOKEN], {
      OPSPULSE_LOG: 'warn',
    });
    exit = finished(child, 120_000);
    let out = '';
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    await waitFor(async () => /dashboard on (http:\/\/[\d.:]+)/.test(out), 60_000);
    url = /dashboard on (http:\/\/[\d.:]+)/.exec(out)![1];
    prom = await startPrometheus({ targets: [new URL(url).host], bearerToken: TOKEN });
    await prom.waitForTargetsUp();
  }, 120_000);

  afterAll(async () => {
    await prom?.close();
    if (child && child.exitCode === null) child.kill('SIGINT');
    await exit?.catch(() => undefined);
    await stack?.close();
    await removeDir(dir);
  }, 60_000);

  it('refuses a scrape without the token', async () => {
    expect((await fetch(`${url}/metrics`)).status).toBe(401);
  });

  it('stores the values /metrics reports for every target', async () => {
    const q = async (s: string) =>
      (await queryInstant({ url: prom.url, query: s, timeoutMs: 10_000 })).value;
    // Wait until Prometheus has scraped a tick with every target in it.
    await waitFor(
      async () => (await q('count(opspulse_target_up == 1)')) === SERVICE_IDS.length,
      30_000,
    );
    const text = await (
      await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })
    ).text();
    for (const name of [
      'opspulse_target_up',
      'opspulse_target_http_status_code',
      'opspulse_target_info',
    ]) {
      const lines = text.split('\n').filter((l) => l.startsWith(`${name}{`));
      expect(lines, name).toHaveLength(SERVICE_IDS.length);
      for (const line of lines) {
        const sp = line.lastIndexOf(' ');
        expect(await q(line.slice(0, sp)), line).toBe(Number(line.slice(sp + 1)));
      }
    }
    const conf = await q('opspulse_metric{target="orchestrator",name="confidence"}');
    expect(conf).toBeGreaterThan(0.4);
    expect(conf).toBeLessThan(1);
  });

  it('stops cleanly on SIGINT', async () => {
    child.kill('SIGINT');
    const r = await exit;
    expect(r.code, r.stderr).toBe(0);
  });
});
