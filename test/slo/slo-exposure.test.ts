import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { Monitor } from '../../electron/main/core/monitor';
import { renderMetrics } from '../../electron/main/prometheus/render-metrics';
import { ManualClock } from '../helpers/manual-clock';
import { makeTmpDir, removeDir } from '../helpers/tmp-dir';

let dir = '';
beforeEach(async () => {
  dir = await makeTmpDir('opspulse-slo-');
});
afterEach(async () => {
  await removeDir(dir);
});

it('a running monitor shows budgets in its health and on /metrics, and pages on an outage', async () => {
  await fs.writeFile(
    path.join(dir, 'config.json'),
    JSON.stringify({
      interval: 10,
      system: { enabled: false },
      // Port 1 on loopback refuses at once: a total outage.
      targets: [{ id: 'api', name: 'API', kind: 'tcp', host: '127.0.0.1', port: 1 }],
      slos: [{ target: 'api', availability: 99.9 }],
    }),
  );
  const clock = new ManualClock(Date.UTC(2026, 3, 6, 12));
  const monitor = await Monitor.open({ dataDir: dir, clock, systemMetrics: false });
  try {
    await monitor.slo.ready();
    for (let i = 0; i < 12; i++) {
      clock.jump(10_000);
      await monitor.tick(clock.t);
    }
    const health = await monitor.health();
    const [slo] = health.slos ?? [];
    expect(slo.target).toBe('api');
    expect(slo.indicators[0]).toMatchObject({
      sli: 'availability',
      objectivePct: 99.9,
      total: 12,
      bad: 12,
    });
    expect(slo.indicators[0].burn['5m']).toBeCloseTo(1000, 5);
    expect(slo.indicators[0].alert).toBe('page');
    // The page does not turn the target's tray state into something else than down.
    expect(health.targets.find((t) => t.id === 'api')?.state).toBe('crit');
    const events = await monitor.events({ since: 0 });
    expect(events.some((e) => e.rule === 'slo' && e.to === 'crit')).toBe(true);
    const text = renderMetrics({ sample: null, health });
    expect(text).toContain(
      'opspulse_slo_burn_rate{target="api",sli="availability",window="5m"} 1000',
    );
    expect(text).toContain('opspulse_slo_alert_level{target="api",sli="availability"} 2');
    expect(text).toMatch(
      /opspulse_slo_error_budget_remaining_ratio\{target="api",sli="availability"\} -999/,
    );
  } finally {
    await monitor.close();
  }
});
