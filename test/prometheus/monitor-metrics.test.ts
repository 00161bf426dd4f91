import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Monitor } from '../../electron/main/core/monitor';
import { ConfigStore } from '../../electron/main/config/config-store';
import { buildDemoConfig } from '../../electron/main/demo/demo-config';
import { demoHistory } from '../../electron/main/demo/history';
import { SERVICE_IDS } from '../../electron/main/demo/model';
import { startDemoStack, type DemoStack } from '../../electron/main/demo/stack';
import { createMonitorMetrics } from '../../electron/main/prometheus/monitor-metrics';
import { closeHttpAgents } from '../../electron/main/probes';
import { SampleStore } from '../../electron/main/store/sample-store';
import { makeTmpDir, removeDir } from '../helpers/tmp-dir';
import { waitFor } from './real-prometheus';

const HOUR = 3_600_000;

/** /metrics of a real Monitor over a real store, with the uptime cache's clock in hand. */
describe('createMonitorMetrics', () => {
  let dir: string;
  let stack: DemoStack;
  let monitor: Monitor;
  const T = Math.floor(Date.now() / 5000) * 5000;

  beforeAll(async () => {
    dir = await makeTmpDir();
    const dataDir = path.join(dir, 'data');
    stack = await startDemoStack({ anyPorts: true, seed: 4 });
    for (const id of SERVICE_IDS) stack.force(id, 'ok');
    const cfg = buildDemoConfig(stack.urls, { intervalSec: 5 });
    // Only the scheduler is probed, so sixty ticks take well under a second.
    cfg.targets = cfg.targets.map((t) => ({ ...t, enabled: t.id === 'scheduler' }));
    const store = await ConfigStore.open(dataDir);
    await store.update((d) => Object.assign(d, cfg));
    const samples = await SampleStore.open(dataDir);
    for (const s of demoHistory(stack.model, cfg, { from: T - HOUR, to: T })) samples.append(s);
    await samples.close();
    monitor = await Monitor.open({ dataDir, systemMetrics: false });
  }, 60_000);

  afterAll(async () => {
    await monitor?.close();
    await stack?.close();
    await closeHttpAgents();
    await removeDir(dir);
  });

  it('exports uptime per window, caches it, and refreshes it once stale', async () => {
    let now = T;
    const metrics = createMonitorMetrics(monitor, {
      now: () => now,
      windows: { '1h': HOUR },
      refreshMs: 60_000,
      initialSample: monitor.store.latest() ?? null,
    });
    const uptime = async () => {
      const m = /^opspulse_target_uptime_ratio\{target="scheduler",window="1h"\} (\S+)$/m.exec(
        await metrics.render(),
      );
      return m ? Number(m[1]) : null;
    };
    const first = await metrics.render();
    expect(first).toContain('opspulse_target_uptime_ratio{target="scheduler",window="1h"} 1\n');
    expect(first).toContain(
      'opspulse_target_info{target="orchestrator",name="Orchestrator",kind="http"} 1\n',
    );
    // Before any live tick the store's newest sample is what /metrics shows.
    expect(first).toMatch(/^opspulse_last_sample_timestamp_seconds \d+(\.\d+)?$/m);
    expect(first).toContain('opspulse_target_up{target="scheduler"} 1\n');

    stack.force('scheduler', 'down');
    for (let i = 0; i < 60; i++) await monitor.tick(T + i * 5000);
    expect(await metrics.render()).toContain('opspulse_target_up{target="scheduler"} 0\n');
    now = T + 30_000;
    expect(await uptime()).toBe(1);

    now = T + 5 * 60_000;
    // The first stale scrape answers at once with the cached figure and refreshes behind it.
    await waitFor(async () => ((await uptime()) ?? 1) < 1, 20_000);
    const after = await uptime();
    expect(after).toBeGreaterThan(0.85);
    expect(after).toBeLessThan(0.97);
    metrics.close();
  }, 60_000);
});
