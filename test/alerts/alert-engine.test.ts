import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyMute, updateControl } from '../../electron/main/alerts/control-file';
import { config, Harness, makeTempDir, removeDir, target } from './helpers';

let dir: string;

beforeEach(async () => {
  dir = await makeTempDir();
});

afterEach(async () => {
  await removeDir(dir);
});

const ids = (n: number, prefix = 't') => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

function all(list: string[], v: 0 | 1): Record<string, 0 | 1> {
  return Object.fromEntries(list.map((id) => [id, v]));
}

describe('up/down rule', () => {
  it('goes down after 2 failed checks and back up after 2 good ones, notifying once each', async () => {
    const h = await new Harness(dir, config({ targets: [target('api')] })).open();
    const first = h.tick({ api: 1 });
    expect(first).toMatchObject([{ target: 'api', rule: 'down', from: 'unknown', to: 'ok' }]);
    expect(h.notifier.take()).toEqual([]);

    expect(h.tick({ api: 0 })).toEqual([]);
    const down = h.tick({ api: 0 });
    expect(down).toMatchObject([{ target: 'api', from: 'ok', to: 'crit' }]);
    expect(down[0].message).toContain('API is down: ECONNREFUSED');
    h.ticks(5, { api: 0 });
    const sent = h.notifier.take();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      kind: 'down',
      level: 'crit',
      title: 'API is down',
      targets: ['api'],
    });

    expect(h.tick({ api: 1 })).toEqual([]);
    const up = h.tick({ api: 1 });
    expect(up).toMatchObject([{ from: 'crit', to: 'ok' }]);
    expect(up[0].message).toMatch(/back up \(5 ms\), was down for 1m/);
    expect(h.notifier.take()).toMatchObject([{ kind: 'recovered', level: 'ok' }]);
  });

  it('honours downAfter / upAfter from the config', async () => {
    const h = await new Harness(
      dir,
      config({ targets: [target('api')], alerts: { downAfter: 4, upAfter: 1 } }),
    ).open();
    h.tick({ api: 1 });
    expect(h.ticks(3, { api: 0 })).toEqual([]);
    expect(h.tick({ api: 0 })).toMatchObject([{ to: 'crit' }]);
    expect(h.tick({ api: 1 })).toMatchObject([{ to: 'ok' }]);
  });

  it('a storm of 100 targets going down at once is one notification', async () => {
    const list = ids(100);
    const h = await new Harness(dir, config({ targets: list.map((id) => target(id)) })).open();
    h.tick(all(list, 1));
    h.ticks(2, all(list, 0));
    const sent = h.notifier.take();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ kind: 'storm', level: 'crit', title: '100 targets down' });
    expect(sent[0].targets).toHaveLength(100);
    expect(sent[0].events).toHaveLength(100);
    expect(sent[0].body).toContain('(+90 more)');

    h.ticks(2, all(list, 1));
    const back = h.notifier.take();
    expect(back).toHaveLength(1);
    expect(back[0]).toMatchObject({ kind: 'storm', level: 'ok', title: '100 targets recovered' });
    const snap = h.engine.snapshot(h.cfg);
    expect(snap.overall).toBe('ok');
    expect(snap.summary).toBe('All 100 targets healthy');
  });

  it('flapping notifies once, holds further notifications, and settles', async () => {
    const h = await new Harness(
      dir,
      config({
        targets: [target('api')],
        alerts: { downAfter: 1, upAfter: 1, flap: { windowSec: 300, changes: 4 } },
      }),
    ).open();
    h.tick({ api: 1 });
    for (let i = 0; i < 10; i++) h.tick({ api: i % 2 === 0 ? 0 : 1 });
    const sent = h.notifier.take();
    // down, up, down, up (4 changes), then the 5th change marks it flapping.
    expect(sent.map((n) => n.kind)).toEqual(['down', 'recovered', 'down', 'recovered', 'flapping']);
    const events = await h.engine.events({ since: 0, target: 'api' });
    expect(events.filter((e) => e.message.includes('is flapping'))).toHaveLength(1);
    expect(events.filter((e) => e.from !== e.to)).toHaveLength(11);
    expect(events.at(-1)?.message).toMatch(/\(not notified: flapping\)$/);
    expect(h.engine.snapshot(h.cfg).targets[0].reason).toContain('flapping');

    // It settles down: no notification until it has been stable for the whole window.
    h.ticks(29, { api: 0 });
    expect(h.notifier.take()).toEqual([]);
    h.ticks(2, { api: 0 });
    const settled = h.notifier.take();
    expect(settled).toMatchObject([{ kind: 'down', title: 'API is down' }]);
    const after = await h.engine.events({ since: 0, target: 'api' });
    expect(after.at(-1)?.message).toContain('stopped flapping');
  });
});

describe('dependencies', () => {
  const deps = () =>
    config({
      targets: [
        target('llm', { name: 'Local LLM' }),
        target('gateway', { name: 'Gateway', dependsOn: 'llm' }),
        target('ui', { name: 'UI', dependsOn: 'gateway' }),
      ],
    });

  it('suppresses children while the parent is down and says why', async () => {
    const h = await new Harness(dir, deps()).open();
    h.tick({ llm: 1, gateway: 1, ui: 1 });
    h.ticks(3, { llm: 0, gateway: 0, ui: 0 });
    const sent = h.notifier.take();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ kind: 'down', targets: ['llm'] });
    const snap = h.engine.snapshot(h.cfg);
    const gw = snap.targets.find((t) => t.id === 'gateway');
    expect(gw).toMatchObject({ state: 'crit', reason: 'depends on Local LLM, which is down' });
    // The grandchild is suppressed through the chain.
    expect(snap.targets.find((t) => t.id === 'ui')?.reason).toBe(
      'depends on Local LLM, which is down',
    );
    // The transitions are still in the incident log, saying why they were not notified.
    const events = await h.engine.events({ since: 0 });
    expect(events.find((e) => e.target === 'gateway' && e.to === 'crit')?.message).toBe(
      'Gateway is down: ECONNREFUSED (2 failed checks) (not notified: depends on Local LLM, which is down)',
    );
    expect(events.filter((e) => e.to === 'crit').map((e) => e.target)).toEqual([
      'llm',
      'gateway',
      'ui',
    ]);
  });

  it('when the parent recovers, a child that is still down is notified then', async () => {
    const h = await new Harness(dir, deps()).open();
    h.tick({ llm: 1, gateway: 1, ui: 1 });
    h.ticks(2, { llm: 0, gateway: 0, ui: 1 });
    h.notifier.take();
    h.ticks(2, { llm: 1, gateway: 0, ui: 1 });
    const sent = h.notifier.take();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ kind: 'storm', title: '2 changes: 1 down, 1 recovered' });
    expect(sent[0].body).toBe('down: Gateway\nrecovered: Local LLM');
  });

  it('children that recover with their parent are never notified', async () => {
    const h = await new Harness(dir, deps()).open();
    h.tick({ llm: 1, gateway: 1, ui: 1 });
    h.ticks(3, { llm: 0, gateway: 0, ui: 0 });
    h.ticks(3, { llm: 1, gateway: 1, ui: 1 });
    expect(h.notifier.take().map((n) => `${n.kind}:${n.targets.join(',')}`)).toEqual([
      'down:llm',
      'recovered:llm',
    ]);
  });
});

describe('mute, pause and maintenance', () => {
  it('a mute written by another process (the CLI) holds notifications until it ends', async () => {
    const h = await new Harness(dir, config({ targets: [target('api'), target('db')] })).open();
    h.tick({ api: 1, db: 1 });
    updateControl(dir, h.t, (c) => applyMute(c, h.t + 60_000, 'api'));
    h.ticks(3, { api: 0, db: 1 });
    expect(h.notifier.take()).toEqual([]);
    const snap = h.engine.snapshot(h.cfg);
    expect(snap.targets[0]).toMatchObject({ state: 'crit' });
    expect(snap.targets[0].reason).toMatch(/^muted for/);
    // db is not muted.
    h.ticks(2, { api: 0, db: 0 });
    expect(h.notifier.take()).toMatchObject([{ targets: ['db'] }]);
    // The mute ends while api is still down: now it is told, once.
    h.ticks(3, { api: 0, db: 0 });
    expect(h.notifier.take()).toMatchObject([{ kind: 'down', targets: ['api'] }]);
  });

  it('mute all, then unmute, through the engine API', async () => {
    const h = await new Harness(dir, config({ targets: [target('api')] })).open();
    h.tick({ api: 1 });
    h.engine.mute(h.t + 3_600_000);
    h.ticks(3, { api: 0 });
    expect(h.notifier.take()).toEqual([]);
    const snap = h.engine.snapshot(h.cfg);
    expect(snap.mutedUntil).toBe(h.t + 3_600_000 - 30_000);
    expect(snap.summary).toMatch(/^1 down: API · muted until \d\d:\d\d$/);
    h.engine.mute(0);
    h.tick({ api: 0 });
    expect(h.notifier.take()).toHaveLength(1);
  });

  it('pause judges nothing; a recovery while paused is reported as such on resume', async () => {
    const h = await new Harness(dir, config({ targets: [target('api')] })).open();
    h.tick({ api: 1 });
    h.ticks(2, { api: 0 });
    h.notifier.take();
    h.engine.setPaused(true);
    expect(h.ticks(20, { api: 1 })).toEqual([]);
    const reopened = await new Harness(dir, h.cfg).open();
    expect(reopened.engine.isPaused()).toBe(true);
    const snap = h.engine.snapshot(h.cfg);
    expect(snap).toMatchObject({ overall: 'paused', paused: true, summary: 'OpsPulse is paused' });
    h.engine.setPaused(false);
    h.tick({ api: 1 });
    const events = h.tick({ api: 1 });
    expect(events[0].message).toMatch(
      /recovered while OpsPulse was not running \(no checks for 3m/,
    );
  });

  it('a maintenance window holds notifications and excludes the target from overall health', async () => {
    const start = Date.UTC(2026, 10, 25, 12, 0, 0);
    const h = await new Harness(
      dir,
      config({
        targets: [target('api'), target('db')],
        maintenance: [
          {
            name: 'db upgrade',
            targets: ['db'],
            from: new Date(start).toISOString(),
            to: new Date(start + 120_000).toISOString(),
          },
        ],
      }),
    ).open();
    h.ticks(5, { api: 1, db: 0 });
    expect(h.notifier.take()).toEqual([]);
    const snap = h.engine.snapshot(h.cfg);
    expect(snap.overall).toBe('ok');
    expect(snap.targets[1]).toMatchObject({ state: 'paused', reason: 'maintenance: db upgrade' });
    expect(snap.summary).toBe('All 1 target healthy · 1 paused');
    // After the window, db is still down: one notification.
    h.ticks(8, { api: 1, db: 0 });
    expect(h.notifier.take()).toMatchObject([{ kind: 'down', targets: ['db'] }]);
  });
});

describe('threshold rules', () => {
  it('latency warn and crit on one target, each with its own counts', async () => {
    const h = await new Harness(
      dir,
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
    expect(snap.targets[0]).toMatchObject({ state: 'crit', figure: '2500 ms' });
    expect(snap.targets[0].reason).toContain('tg.api.ms is 2500 (crit > 2000)');
    h.ticks(2, ms(20));
    expect(h.notifier.take()).toMatchObject([
      { kind: 'recovered', title: 'API latency back to normal' },
    ]);
  });

  it('sys.cpu > 90 for 5 minutes, and wildcards over targets and mounts', async () => {
    const h = await new Harness(
      dir,
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
      dir,
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
      dir,
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

describe('persistence across restarts', () => {
  it('no duplicate "down" after a restart while still down; recovery during downtime is reported', async () => {
    const cfg = config({ targets: [target('api')] });
    const a = await new Harness(dir, cfg).open();
    a.tick({ api: 1 });
    a.ticks(3, { api: 0 });
    expect(a.notifier.take()).toHaveLength(1);
    await a.engine.close();

    const b = await new Harness(dir, cfg).open();
    b.t = a.t;
    b.ticks(5, { api: 0 });
    expect(b.notifier.take()).toEqual([]);
    expect(b.engine.snapshot(cfg).targets[0]).toMatchObject({ state: 'crit' });
    await b.engine.close();

    // The app is off for an hour, during which the target came back.
    const c = await new Harness(dir, cfg).open();
    c.t = b.t + 3_600_000;
    c.tick({ api: 1 });
    const events = c.tick({ api: 1 });
    expect(events[0].message).toBe(
      'API recovered while OpsPulse was not running (no checks for 1h) (5 ms)',
    );
    expect(c.notifier.take()).toMatchObject([{ kind: 'recovered' }]);
    const log = await c.engine.events({ since: 0 });
    expect(log.map((e) => e.to)).toEqual(['ok', 'crit', 'ok']);
  });

  it('a damaged state file is set aside and the engine starts fresh', async () => {
    await fs.mkdir(path.join(dir, 'state'), { recursive: true });
    await fs.writeFile(path.join(dir, 'state', 'alerts.json'), '{"v":1,"keys":');
    const h = await new Harness(dir, config({ targets: [target('api')] })).open();
    expect(h.tick({ api: 1 })).toHaveLength(1);
    const names = await fs.readdir(path.join(dir, 'state'));
    expect(names.some((n) => n.startsWith('alerts.json.bad-'))).toBe(true);
  });
});

describe('incident log and storage health', () => {
  it('keeps events in memory while the disk refuses them, then writes them all', async () => {
    const h = await new Harness(dir, config({ targets: [target('api')] })).open();
    // A file where the events directory should be makes every append fail.
    await fs.writeFile(path.join(dir, 'events'), 'not a directory');
    h.tick({ api: 1 });
    h.ticks(2, { api: 0 });
    h.engine.noteStorageHealth({ ok: false, error: 'ENOSPC: no space left on device' });
    h.engine.noteStorageHealth({ ok: false, error: 'ENOSPC: no space left on device' });
    const sent = h.notifier.take();
    expect(sent.map((n) => n.kind)).toEqual(['down', 'storage']);
    expect(sent[1].body).toBe('Samples cannot be stored: ENOSPC: no space left on device');
    const snap = h.engine.snapshot(h.cfg);
    expect(snap.targets.at(-1)).toMatchObject({ id: '@storage', state: 'crit' });
    expect((await h.engine.events({ since: 0 })).map((e) => e.rule)).toEqual([
      'down',
      'down',
      'storage',
    ]);

    await fs.rm(path.join(dir, 'events'));
    h.engine.noteStorageHealth({ ok: true });
    h.tick({ api: 0 });
    const text = await fs.readFile(path.join(dir, 'events', '2026-11.jsonl'), 'utf8');
    expect(
      text
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).rule),
    ).toEqual(['down', 'down', 'storage', 'storage']);
  });

  it('storage problems respect a global mute but are still logged', async () => {
    const h = await new Harness(dir, config({ targets: [target('api')] })).open();
    h.engine.mute(h.t + 60_000);
    h.engine.noteStorageHealth({ ok: false, error: 'EIO' });
    expect(h.notifier.take()).toEqual([]);
    expect((await h.engine.events({ since: 0 })).map((e) => e.to)).toEqual(['crit']);
    expect(h.engine.snapshot(h.cfg).overall).toBe('crit');
  });

  it('filters by time and target, and skips a torn last line', async () => {
    const h = await new Harness(dir, config({ targets: [target('a'), target('b')] })).open();
    const t0 = h.t;
    h.tick({ a: 1, b: 1 });
    h.ticks(2, { a: 0, b: 1 });
    await fs.appendFile(path.join(dir, 'events', '2026-11.jsonl'), '{"t":17');
    h.ticks(2, { a: 0, b: 0 });
    expect((await h.engine.events({ since: 0 })).length).toBe(4);
    expect((await h.engine.events({ since: 0, target: 'b' })).map((e) => e.to)).toEqual([
      'ok',
      'crit',
    ]);
    expect((await h.engine.events({ since: t0 + 25_000 })).map((e) => e.target)).toEqual([
      'a',
      'b',
    ]);
  });
});

describe('snapshot', () => {
  it('shows no data, stale and disabled targets honestly', async () => {
    const h = await new Harness(
      dir,
      config({
        targets: [target('api'), target('db'), target('old', { enabled: false })],
      }),
    ).open();
    expect(h.engine.snapshot(h.cfg)).toMatchObject({
      overall: 'unknown',
      summary: 'Waiting for data (2) · 1 paused',
    });
    h.tick({ api: 1, db: 1 });
    h.ticks(5, { api: 1 });
    const snap = h.engine.snapshot(h.cfg);
    expect(snap.targets.map((t) => [t.id, t.state, t.reason])).toEqual([
      ['api', 'ok', undefined],
      ['db', 'unknown', 'no data for 50s'],
      ['old', 'paused', 'disabled'],
    ]);
    expect(snap.summary).toBe('1 no data: DB · 1 ok · 1 paused');
  });
});

describe('reminders and robustness', () => {
  it('reminders are off by default and repeat while critical when configured', async () => {
    const quiet = await new Harness(dir, config({ targets: [target('api')] })).open();
    quiet.tick({ api: 1 });
    quiet.ticks(400, { api: 0 });
    expect(quiet.notifier.take()).toHaveLength(1);

    const dir2 = await makeTempDir();
    try {
      const h = await new Harness(
        dir2,
        config({
          targets: [target('api')],
          alerts: { reminders: { enabled: true, everyMin: 10 } },
        }),
      ).open();
      h.tick({ api: 1 });
      h.ticks(2 + 60 + 60, { api: 0 });
      const sent = h.notifier.take();
      expect(sent.map((n) => n.title)).toEqual([
        'API is down',
        'Still down: API',
        'Still down: API',
      ]);
      expect(sent[1].body).toMatch(
        /^API is down: ECONNREFUSED \(2 failed checks\) \(since 10m ago\)$/,
      );
    } finally {
      await removeDir(dir2);
    }
  });

  it('a notifier that throws does not stop evaluation or lose events', async () => {
    const h = await new Harness(dir, config({ targets: [target('api')] })).open();
    h.notifier.notify = () => {
      throw new Error('display gone');
    };
    h.tick({ api: 1 });
    expect(h.ticks(2, { api: 0 })).toHaveLength(1);
    expect((await h.engine.events({ since: 0 })).length).toBe(2);
  });

  it('targets removed from the config drop out quietly', async () => {
    const h = await new Harness(dir, config({ targets: [target('a'), target('b')] })).open();
    h.tick({ a: 1, b: 1 });
    h.ticks(2, { a: 0, b: 0 });
    h.notifier.take();
    h.cfg = config({ targets: [target('a')] });
    expect(h.ticks(3, { a: 0 })).toEqual([]);
    expect(h.notifier.take()).toEqual([]);
    expect(h.engine.snapshot(h.cfg).targets.map((t) => t.id)).toEqual(['a']);
  });
});
