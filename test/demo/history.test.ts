import { describe, expect, it } from 'vitest';
import type { HttpTarget } from '../../shared/config-schema';
import { buildDemoConfig } from '../../electron/main/demo/demo-config';
import { demoHistory, judge } from '../../electron/main/demo/history';
import { DemoModel, SERVICE_IDS, type ServiceId } from '../../electron/main/demo/model';

const T0 = Date.UTC(2026, 10, 25, 6, 0, 0);
const urls = Object.fromEntries(
  SERVICE_IDS.map((id, i) => [id, `http://127.0.0.1:${9000 + i}/x`]),
) as Record<ServiceId, string>;

describe('the seeded history', () => {
  const config = buildDemoConfig(urls, { intervalSec: 5 });
  const model = new DemoModel({ seed: 2 });
  const samples = [...demoHistory(model, config, { from: T0 + 1, to: T0 + 6 * 3_600_000 })];

  it('has one sample per interval on the interval grid, inside the range', () => {
    expect(samples).toHaveLength(6 * 720 - 1);
    expect(samples[0].t).toBe(T0 + 5000);
    expect(samples.every((s, i) => i === 0 || s.t - samples[i - 1].t === 5000)).toBe(true);
    expect(samples.at(-1)!.t).toBeLessThan(T0 + 6 * 3_600_000);
  });

  it('covers every enabled service target and the machine', () => {
    for (const s of samples.slice(0, 50)) {
      expect(Object.keys(s.tg)).toEqual([...SERVICE_IDS]);
      expect(s.sys?.cpu).toBeGreaterThan(0);
      expect(s.sys?.mem).toBeGreaterThan(0);
      expect(s.sys?.disk?.['/']).toBeGreaterThan(0);
    }
    const partial = buildDemoConfig(urls);
    partial.targets = partial.targets.map((t) =>
      t.id === 'llm-cloud' ? { ...t, enabled: false } : t,
    );
    const [one] = demoHistory(model, partial, { from: T0, to: T0 + 1 });
    expect(Object.keys(one.tg)).not.toContain('llm-cloud');
  });

  it("ends at the machine's real memory and disk use, so live samples carry on without a cliff", () => {
    const anchor = { cpu: 97, mem: 6.4, disk: { '/': 22.7 } };
    const range = { from: T0 + 1, to: T0 + 6 * 3_600_000 };
    const anchored = [...demoHistory(model, config, range, anchor)];
    const last = anchored.at(-1)!.sys!;
    expect(Math.abs(last.mem! - 6.4)).toBeLessThan(0.5);
    expect(Math.abs(last.cpu! - 97)).toBeLessThan(1.5);
    expect(Math.abs(last.disk!['/'] - 22.7)).toBeLessThan(0.5);
    // Still a living series hours before, not a flat copy of the anchor.
    const early = anchored.slice(0, 600).map((s) => s.sys!.mem!);
    expect(Math.max(...early) - Math.min(...early)).toBeGreaterThan(1);
    // No step anywhere bigger than its noise: the largest jump between neighbours is small.
    let jump = 0;
    for (let i = 1; i < anchored.length; i++)
      jump = Math.max(jump, Math.abs(anchored[i].sys!.mem! - anchored[i - 1].sys!.mem!));
    expect(jump).toBeLessThan(10);
  });

  it('contains outages, slow periods and drifting scores, not a flat line', () => {
    const down = samples.filter((s) => SERVICE_IDS.some((id) => s.tg[id].up === 0)).length;
    expect(down / samples.length).toBeGreaterThan(0.02);
    expect(down / samples.length).toBeLessThan(0.4);
    const ms = samples.map((s) => s.tg['llm-local'].ms).filter((v): v is number => v !== undefined);
    expect(Math.max(...ms)).toBeGreaterThan(20 * Math.min(...ms));
    const conf = samples.map((s) => s.tg.orchestrator.m?.confidence).filter((v) => v !== undefined);
    expect(new Set(conf).size).toBeGreaterThan(100);
  });
});

describe('judge', () => {
  const cfg = buildDemoConfig(urls);
  const target = (id: ServiceId): HttpTarget => cfg.targets.find((t) => t.id === id) as HttpTarget;

  it('words failures as the HTTP probe does', () => {
    expect(
      judge(target('scheduler'), { kind: 'json', delayMs: 3, status: 503, body: {} }),
    ).toMatchObject({
      up: false,
      status: 503,
      error: 'status 503 (expected 2xx)',
    });
    expect(judge(target('task-queue'), { kind: 'reset', delayMs: 1 })).toEqual({
      up: false,
      error: 'connection closed by the server (127.0.0.1:9001)',
    });
    const stopped = judge(target('orchestrator'), {
      kind: 'json',
      delayMs: 3,
      status: 200,
      body: { state: 'stopped' },
    });
    expect(stopped).toMatchObject({
      up: false,
      error: '$.state is "stopped" (expected != "stopped")',
    });
  });

  it('honours expectStatus and records metrics with the latency', () => {
    const t = { ...target('orchestrator'), expectStatus: [202] };
    const body = { state: 'running', confidence: 0.7, quality: 0.8, second_pass_rate: 0.2 };
    expect(judge(t, { kind: 'json', delayMs: 3, status: 200, body }).error).toBe(
      'status 200 (expected 202)',
    );
    const ok = judge(t, { kind: 'json', delayMs: 3, status: 202, body });
    expect(ok).toMatchObject({
      up: true,
      metrics: { confidence: 0.7, quality: 0.8, second_pass_rate: 0.2 },
    });
    expect(ok.ms).toBeGreaterThan(3);
  });
});
