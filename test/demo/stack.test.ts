import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpTarget } from '../../shared/config-schema';
import { buildDemoConfig } from '../../electron/main/demo/demo-config';
import { judge } from '../../electron/main/demo/history';
import { SERVICE_IDS, type Phase, type ServiceId } from '../../electron/main/demo/model';
import { startDemoStack, type DemoStack } from '../../electron/main/demo/stack';
import { closeHttpAgents, runProbe } from '../../electron/main/probes';

/** The simulator, probed by the real HTTP probe through the demo config. */
describe('the demo stack', () => {
  let stack: DemoStack;
  const T = Date.UTC(2026, 10, 25, 12, 0, 0);

  beforeAll(async () => {
    // A fixed clock: replies are then a function of the request count alone.
    stack = await startDemoStack({ anyPorts: true, seed: 11, now: () => T });
  });

  afterAll(async () => {
    await stack.close();
    await closeHttpAgents();
  });

  const target = (id: ServiceId): HttpTarget => {
    const t = buildDemoConfig(stack.urls).targets.find((x) => x.id === id);
    if (t?.kind !== 'http') throw new Error(`no http target ${id}`);
    return t;
  };
  const probe = (id: ServiceId) => runProbe(target(id), { intervalSec: 30 });
  const forceAll = (phase: Phase | null) => SERVICE_IDS.forEach((id) => stack.force(id, phase));

  it('listens on loopback on the requested (here: free) ports', () => {
    expect(stack.host).toBe('127.0.0.1');
    for (const id of SERVICE_IDS) {
      expect(stack.ports[id]).toBeGreaterThan(0);
      expect(stack.urls[id]).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${stack.ports[id]}/`));
    }
    expect(new Set(Object.values(stack.ports)).size).toBe(SERVICE_IDS.length);
  });

  it('is healthy through the preset conditions and yields the preset metrics', async () => {
    forceAll('ok');
    const results = Object.fromEntries(
      await Promise.all(SERVICE_IDS.map(async (id) => [id, await probe(id)])),
    );
    for (const id of SERVICE_IDS) expect(results[id], id).toMatchObject({ up: true, status: 200 });
    expect(Object.keys(results.scheduler.metrics)).toEqual(['loops', 'lag_seconds']);
    expect(Object.keys(results['task-queue'].metrics)).toEqual(['depth', 'workers']);
    const o = results.orchestrator.metrics;
    expect(Object.keys(o)).toEqual(['confidence', 'quality', 'second_pass_rate']);
    expect(o.confidence).toBeGreaterThan(0.4);
    expect(o.confidence).toBeLessThan(1);
  });

  it('is down in each service’s own way during an outage, as the history says it would be', async () => {
    forceAll('down');
    for (const id of SERVICE_IDS) {
      const live = await probe(id);
      expect(live.up, id).toBe(false);
      // The seeded history judges a reply exactly as the live probe does.
      const predicted = judge(target(id), stack.model.reply(id, T, 0));
      expect(live.error, id).toBe(predicted.error);
      expect(live.status, id).toBe(predicted.status);
    }
    forceAll(null);
  });

  it('answers slowly in a slow period', async () => {
    stack.force('llm-local', 'ok');
    const fast = await probe('llm-local');
    stack.force('llm-local', 'slow');
    const slow = await probe('llm-local');
    stack.force('llm-local', null);
    expect(fast.up && slow.up).toBe(true);
    expect(slow.ms!).toBeGreaterThan(300);
    expect(slow.ms!).toBeGreaterThan(fast.ms! * 3);
  });

  it('answers 404 on other paths and refuses a port already in use, naming it', async () => {
    const res = await fetch(`http://127.0.0.1:${stack.ports.scheduler}/nope`);
    expect(res.status).toBe(404);
    await expect(
      startDemoStack({ ports: { scheduler: stack.ports.scheduler }, anyPorts: true }),
    ).rejects.toThrow(
      `simulated scheduler: cannot listen on 127.0.0.1:${stack.ports.scheduler}: port ${stack.ports.scheduler} is already in use`,
    );
  });
});
