import { describe, expect, it } from 'vitest';
import { config, Harness, target, tempDirEachTest } from './helpers';

const tmp = tempDirEachTest();

describe('threshold rules', () => {
  it('latency warn and crit on one target, each with its own counts', async () => {
    const h = await new Harness(
      tmp.dir,
      config({
        targets: [target('api')],
        rules: [
          {
            id: 'slow',
            name: 'latency',
            series: 'tg.api.ms',
            op: '>',
            warn: 500,
            crit: 2000,
            forSamples: 2,
          },
        ],
      }),
    ).open();
    const ms = (v: number) => ({ api: { up: 1 as const, ms: v } });
    h.tick(ms(10));
    h.tick(ms(700));
    expect(h.notifier.take()).toEqual([]);
    const warn = h.tick(ms(800));
    expect(warn).toMatchObject([{ rule: 'slow', from: 'ok', to: 'warn', value: 800 }]);
    expect(warn[0].message).toBe('latency: tg.api.ms is 800 (warn > 500)');
    expect(h.notifier.take()).toMatchObject([
      { kind: 'degraded', level: 'warn', title: 'API latency is degraded' },
    ]);
    h.ticks(2, ms(2500));
    expect(h.notifier.take()).toMatchObject([{ level: 'crit', title: 'API latency is critical' }]);
    const snap = h.engine.snapshot(h.cfg);
    // It answers, only too slowly: Critical with the broken limit, not Down.
    expect(snap.targets[0]).toMatchObject({
      state: 'crit',
      verdict: 'critical',
      figure: '2500 ms',
      reason: 'latency: 2500 ms > 2000 ms',
    });
    expect(snap.verdict).toBe('critical');
    expect(snap.summary).toMatch(/^1 critical: API/);
    const since = snap.targets[0].since;
    h.tick(ms(2600));
    expect(h.engine.snapshot(h.cfg).targets[0].since).toBe(since);
    h.ticks(2, ms(20));
    expect(h.notifier.take()).toMatchObject([
      { kind: 'recovered', title: 'API latency back to normal' },
    ]);
  });

  it('sys.cpu > 90 for 5 minutes, and wildcards over targets and mounts', async () => {
    const h = await new Harness(
      tmp.dir,
      config({
        interval: 60,
        targets: [target('web'), target('blog')],
        rules: [
          { id: 'cpu', series: 'sys.cpu', op: '>', crit: 90, forSec: 300 },
          { id: 'cert', name: 'certificate', series: 'tg.*.cert', op: '<', warn: 14, crit: 3 },
          { id: 'disk', series: 'sys.disk.*', op: '>', crit: 95, recoverSamples: 1 },
        ],
      }),
    ).open();
    const tg = { web: { up: 1 as const, cd: 30 }, blog: { up: 1 as const, cd: 10 } };
    const sys = { cpu: 99, disk: { '/': 50, '/mnt/data.1': 97 } };
    const events = h.ticks(5, tg, sys);
    expect(events.map((e) => `${e.rule}:${e.to}`)).toEqual([
      'down:ok',
      'down:ok',
      'cert:ok',
      'cert:warn',
      'disk:ok',
      'disk:crit',
    ]);
    expect(events.find((e) => e.rule === 'disk' && e.to === 'crit')?.message).toContain(
      'sys.disk./mnt/data.1 is 97',
    );
    const cpu = h.tick(tg, sys);
    expect(cpu).toMatchObject([{ rule: 'cpu', from: 'unknown', to: 'crit', value: 99 }]);
    expect(cpu[0].message).toBe('cpu: sys.cpu is 99 (crit > 90) for 5m');
    const snap = h.engine.snapshot(h.cfg);
    expect(snap.targets.find((t) => t.id === '@system')).toMatchObject({
      state: 'crit',
      figure: 'cpu 99% · disk 97%',
    });
    expect(snap.targets.find((t) => t.id === 'blog')?.state).toBe('warn');
    expect(snap.overall).toBe('crit');
  });

  it('a custom metric below a floor: tg.orch.m.confidence < 0.6', async () => {
    const h = await new Harness(
      tmp.dir,
      config({
        targets: [target('orch', { name: 'Orchestrator' })],
        rules: [
          { id: 'confidence', series: 'tg.orch.m.confidence', op: '<', warn: 0.6, forSamples: 3 },
        ],
      }),
    ).open();
    const c = (v: number) => ({ orch: { up: 1 as const, ms: 3, m: { confidence: v } } });
    h.ticks(2, c(0.8));
    h.ticks(2, c(0.5));
    expect(h.notifier.take()).toEqual([]);
    expect(h.tick(c(0.55))).toMatchObject([
      {
        rule: 'confidence',
        to: 'warn',
        message: 'confidence: tg.orch.m.confidence is 0.55 (warn < 0.6)',
      },
    ]);
    expect(h.notifier.take()).toMatchObject([{ title: 'Orchestrator confidence is degraded' }]);
  });

  it('a rule on a down target is held: "API is down" says it all', async () => {
    const h = await new Harness(
      tmp.dir,
      config({
        targets: [target('api')],
        rules: [{ id: 'slow', series: 'tg.api.ms', op: '>', crit: 1000, forSamples: 1 }],
      }),
    ).open();
    h.tick({ api: { up: 1, ms: 5 } });
    h.ticks(2, { api: { up: 0, ms: 5000, err: 'timeout' } });
    expect(h.notifier.take()).toMatchObject([{ kind: 'down', title: 'API is down' }]);
  });
});
