import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigSchema, type TargetInput } from '../../shared/config-schema';
import { Collector } from '../../electron/main/collector/collector';
import { runProbe } from '../../electron/main/probes';
import { startHttp, type TestServer } from '../probes/helpers';

let healthy: TestServer;
let hanging: TestServer;

beforeAll(async () => {
  healthy = await startHttp((_req, res) => res.end('{"ok":true}'));
  // Accepts the request and never answers.
  hanging = await startHttp(() => undefined);
});
afterAll(async () => {
  await Promise.all([healthy.close(), hanging.close()]);
});

function config(targets: TargetInput[], over: Record<string, unknown> = {}) {
  return ConfigSchema.parse({
    interval: 2,
    concurrency: 2,
    system: { enabled: false },
    targets,
    ...over,
  });
}

function targets(nHang: number, nOk: number): TargetInput[] {
  // Hanging ones first in the file: the worst order for a first tick.
  return [
    ...Array.from({ length: nHang }, (_, i) => ({
      id: `hang${i}`,
      name: `hang${i}`,
      kind: 'http' as const,
      url: `${hanging.url}/x`,
      timeoutMs: 10_000,
    })),
    ...Array.from({ length: nOk }, (_, i) => ({
      id: `ok${i}`,
      name: `ok${i}`,
      kind: 'http' as const,
      url: `${healthy.url}/health`,
    })),
  ];
}

describe('Collector', () => {
  it('samples every healthy target in each tick though hanging ones hold the concurrency cap', async () => {
    const cfg = config(targets(10, 20));
    const c = new Collector({ runProbe });
    for (let tick = 0; tick < 2; tick++) {
      const started = Date.now();
      const s = await c.collect(cfg, started, { budgetMs: 3_000 });
      const elapsed = Date.now() - started;
      expect(elapsed).toBeLessThan(3_600);
      for (let i = 0; i < 20; i++)
        expect(s.tg[`ok${i}`], `ok${i} tick ${tick}`).toMatchObject({ up: 1 });
      const hung = Object.keys(s.tg).filter((id) => id.startsWith('hang'));
      // Each hanging target is probed (its own slot, its own deadline) or counted as skipped.
      expect(hung.length + c.stats.last!.skipped.length).toBe(10);
      for (const id of hung) expect(s.tg[id].up).toBe(0);
    }
    expect(c.stats.last!.overran).toEqual([]);
  });

  it('starts no second probe for a target whose previous one has not returned', async () => {
    const never = new Promise<never>(() => undefined);
    let calls = 0;
    const c = new Collector({
      runProbe: () => {
        calls++;
        return never;
      },
    });
    const cfg = config(targets(1, 0));
    const first = await c.collect(cfg, 1, { budgetMs: 200 });
    expect(first.tg.hang0).toMatchObject({ up: 0 });
    expect(c.stats.last!.late).toEqual(['hang0']);
    const second = await c.collect(cfg, 2, { budgetMs: 200 });
    expect(calls).toBe(1);
    expect(c.stats.last!.overran).toEqual(['hang0']);
    expect(second.tg.hang0.err).toMatch(/previous check still running/);
  });

  it('cancelAll ends a tick in progress at once and keeps what had completed', async () => {
    const cfg = config(targets(3, 3), { concurrency: 10 });
    const c = new Collector({ runProbe });
    const started = Date.now();
    const p = c.collect(cfg, started, { budgetMs: 1_800 });
    setTimeout(() => c.cancelAll(), 300);
    const s = await p;
    expect(Date.now() - started).toBeLessThan(800);
    expect(Object.keys(s.tg).sort()).toEqual(['ok0', 'ok1', 'ok2']);
  });

  it('probes targets though system metrics fail, and says why', async () => {
    const c = new Collector({
      runProbe,
      system: { collect: () => Promise.reject(new Error('system worker did not start')) },
    });
    const cfg = config(targets(0, 2), { system: { enabled: true } });
    const s = await c.collect(cfg, 1, { budgetMs: 1_000 });
    expect(s.sys).toBeUndefined();
    expect(s.tg.ok0).toMatchObject({ up: 1 });
    expect(c.stats.last?.systemError).toBe('system worker did not start');
  });
});
