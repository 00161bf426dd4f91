import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemo, type RunningDemo } from '../../electron/main/demo/run-demo';
import { queryInstant } from '../../electron/main/prometheus/promql-client';
import { closeHttpAgents } from '../../electron/main/probes';
import type { Sample } from '../../shared/sample';
import { makeTmpDir, removeDir } from '../helpers/tmp-dir';
import {
  SKIP_PROMETHEUS,
  startPrometheus,
  waitFor,
  type RunningPrometheus,
} from './real-prometheus';

if (SKIP_PROMETHEUS) console.warn(SKIP_PROMETHEUS);

/**
 * The real server (the one `opspulse serve` and `opspulse demo` run) watching the simulated
 * stack, scraped by a real Prometheus; then OpsPulse reads Prometheus back as a source.
 */
describe.skipIf(SKIP_PROMETHEUS !== null)('OpsPulse and a real Prometheus, both ways', () => {
  let dir: string;
  let demo: RunningDemo;
  let prom: RunningPrometheus;

  beforeAll(async () => {
    dir = await makeTmpDir();
    demo = await startDemo({
      dataDir: path.join(dir, 'data'),
      port: 0,
      staticDir: dir,
      historyHours: 1,
      intervalSec: 1,
      stack: { anyPorts: true },
      systemMetrics: false,
    });
    prom = await startPrometheus({ targets: [new URL(demo.url).host] });
    await prom.waitForTargetsUp();
  }, 90_000);

  afterAll(async () => {
    await prom?.close();
    await demo?.close();
    await closeHttpAgents();
    await removeDir(dir);
  });

  const promValue = async (selector: string) =>
    (await queryInstant({ url: prom.url, query: selector, timeoutMs: 10_000 })).value;

  it('stores what /metrics says, line for line', async () => {
    // Paused, the exported values hold still, so a later scrape must match exactly.
    await demo.monitor.setPaused(true);
    const pausedAt = Date.now() / 1000;
    await waitFor(
      async () => (await promValue('timestamp(opspulse_paused == 1)')) > pausedAt + 1,
      30_000,
    );
    const text = await (await fetch(`${demo.url}/metrics`)).text();
    const lines = text.split('\n').filter((l) => l && !l.startsWith('#'));
    expect(lines.length).toBeGreaterThan(40);
    for (const line of lines) {
      const sp = line.lastIndexOf(' ');
      const selector = line.slice(0, sp);
      const ours = Number(line.slice(sp + 1));
      const theirs = await promValue(selector);
      // Uptime windows slide between scrapes; everything else is frozen while paused.
      if (selector.startsWith('opspulse_target_uptime_ratio'))
        expect(theirs, selector).toBeCloseTo(ours, 2);
      else expect(theirs, selector).toBe(ours);
    }
    await demo.monitor.setPaused(false);
  });

  it('reads the fleet back from Prometheus through a prometheus target', async () => {
    await demo.monitor.saveTarget({
      id: 'fleet',
      name: 'Fleet via Prometheus',
      kind: 'prometheus',
      url: prom.url,
      query: 'count(opspulse_target_info)',
      metric: 'targets',
    });
    let got: Sample['tg'][string] | undefined;
    const off = demo.monitor.onSample((s) => {
      if (s.tg.fleet?.up === 1) got = s.tg.fleet;
    });
    // The scrape before the new target may not list it yet; Prometheus catches up in a second.
    await waitFor(async () => got?.m?.targets === 7, 30_000);
    off();
    expect(got).toMatchObject({ up: 1, m: { targets: 7 } });
  });

  it('lets an alert rule watch the fleet value', async () => {
    const since = Date.now();
    await demo.monitor.config.update((cfg) => {
      cfg.rules.push({
        id: 'fleet-size',
        name: 'Fleet size',
        series: 'tg.fleet.m.targets',
        op: '<',
        warn: 10,
        forSamples: 1,
        forSec: 0,
        recoverSamples: 2,
        enabled: true,
      });
    });
    await waitFor(
      async () =>
        (await demo.monitor.events({ since })).some(
          (e) => e.rule === 'fleet-size' && e.to === 'warn',
        ),
      30_000,
    );
    const e = (await demo.monitor.events({ since })).find((x) => x.rule === 'fleet-size');
    expect(e).toMatchObject({ target: 'fleet', value: 7 });
    expect(e?.message).toMatch(/Fleet size: tg\.fleet\.m\.targets is 7/);
  });
});
