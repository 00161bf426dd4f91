import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_MARKER, startDemo, type RunningDemo } from '../../electron/main/demo/run-demo';
import { SERVICE_IDS } from '../../electron/main/demo/model';
import { closeHttpAgents } from '../../electron/main/probes';
import { makeTmpDir, removeDir } from '../helpers/tmp-dir';
import { promtoolCheckMetrics, SKIP_PROMTOOL, waitFor } from '../prometheus/real-prometheus';

/** The whole demo: simulator, preset config, seeded history, monitor and dashboard server. */
describe('startDemo', () => {
  let dir: string;
  let demo: RunningDemo;

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
  }, 60_000);

  afterAll(async () => {
    await demo?.close();
    await closeHttpAgents();
    await removeDir(dir);
  });

  it('writes the preset pointed at the simulator, every service enabled', async () => {
    const cfg = await demo.monitor.getConfig();
    expect(cfg.targets.map((t) => t.id)).toEqual([...SERVICE_IDS]);
    for (const t of cfg.targets) {
      expect(t.enabled, t.id).toBe(true);
      expect(t.kind === 'http' && t.url, t.id).toBe(
        demo.stack.urls[t.id as (typeof SERVICE_IDS)[number]],
      );
    }
    expect(cfg.rules.length).toBeGreaterThan(0);
    await expect(fs.stat(path.join(demo.dataDir, DEMO_MARKER))).resolves.toBeTruthy();
  });

  it('seeds an hour of history that queries return from the first second', async () => {
    expect(demo.seeded).toBeGreaterThanOrEqual(3590);
    const to = Date.now();
    const q = await demo.monitor.query({
      from: to - 3_600_000,
      to,
      series: ['tg.orchestrator.m.confidence', 'tg.llm-local.ms'],
      maxPoints: 200,
    });
    const conf = q.series['tg.orchestrator.m.confidence'].avg.filter((v) => v !== null);
    expect(conf.length).toBeGreaterThan(50);
    const a = await demo.monitor.analyze({ from: to - 3_600_000, to });
    const sched = a.targets.find((t) => t.id === 'scheduler');
    expect(sched?.samples).toBeGreaterThan(3000);
    expect(sched?.uptimePct).toBeGreaterThan(50);
  });

  it('collects live samples from the simulator and serves them on /metrics', async () => {
    // Outages are the simulator's to schedule; a down orchestrator reports no metrics, so
    // pin it up for the assertion on its confidence, and wait for a tick that has it.
    demo.stack.force('orchestrator', 'ok');
    let live = 0;
    let confident = false;
    const off = demo.monitor.onSample((s) => {
      live++;
      confident = s.tg.orchestrator?.m?.confidence !== undefined;
    });
    await waitFor(async () => live >= 2 && confident, 15_000);
    off();
    demo.stack.force('orchestrator', null);
    const res = await fetch(`${demo.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    expect(text).toMatch(/^opspulse_target_up\{target="scheduler"\} [01]$/m);
    expect(text).toMatch(/^opspulse_metric\{target="orchestrator",name="confidence"\} 0\.\d+$/m);
    expect(text).toMatch(
      /^opspulse_target_uptime_ratio\{target="llm-local",window="24h"\} [\d.]+$/m,
    );
    if (!SKIP_PROMTOOL) expect(promtoolCheckMetrics(text).code).toBe(0);
  });

  it('says which port is taken when the dashboard port is in use', async () => {
    const port = Number(new URL(demo.url).port);
    await expect(
      startDemo({
        port,
        staticDir: dir,
        historyHours: 0,
        stack: { anyPorts: true },
        systemMetrics: false,
      }),
    ).rejects.toThrow(`--port ${port} is in use (another opspulse serve or demo?); pass --port 0`);
  });

  it('refuses a data directory that holds something other than a demo', async () => {
    const real = path.join(dir, 'real');
    await fs.mkdir(real);
    await fs.writeFile(path.join(real, 'config.json'), '{}');
    await expect(startDemo({ dataDir: real, port: 0, staticDir: dir })).rejects.toThrow(
      /is not empty and not a demo directory/,
    );
    expect(await fs.readFile(path.join(real, 'config.json'), 'utf8')).toBe('{}');
  });
});

describe('startDemo on a directory it used before', () => {
  it('reuses it and seeds only the gap since the last run', async () => {
    const dir = await makeTmpDir();
    const opts = {
      dataDir: path.join(dir, 'data'),
      port: 0,
      staticDir: dir,
      historyHours: 1,
      intervalSec: 5,
      stack: { anyPorts: true },
      systemMetrics: false,
    };
    try {
      const first = await startDemo(opts);
      await first.close();
      expect(first.seeded).toBeGreaterThanOrEqual(719);
      const second = await startDemo(opts);
      await second.close();
      // Only the seconds between the two runs are missing.
      expect(second.seeded).toBeLessThan(20);
      await expect(fs.stat(opts.dataDir)).resolves.toBeTruthy();
    } finally {
      await closeHttpAgents();
      await removeDir(dir);
    }
  }, 60_000);
});
