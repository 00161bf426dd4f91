import { describe, expect, it } from 'vitest';
import { applyMute, updateControl } from '../../electron/main/alerts/control-file';
import { config, Harness, target, tempDirEachTest } from './helpers';

const tmp = tempDirEachTest();

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
    const h = await new Harness(tmp.dir, deps()).open();
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
    const h = await new Harness(tmp.dir, deps()).open();
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
    const h = await new Harness(tmp.dir, deps()).open();
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
    const h = await new Harness(tmp.dir, config({ targets: [target('api'), target('db')] })).open();
    h.tick({ api: 1, db: 1 });
    updateControl(tmp.dir, h.t, (c) => applyMute(c, h.t + 60_000, 'api'));
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
    const h = await new Harness(tmp.dir, config({ targets: [target('api')] })).open();
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
    const h = await new Harness(tmp.dir, config({ targets: [target('api')] })).open();
    h.tick({ api: 1 });
    h.ticks(2, { api: 0 });
    h.notifier.take();
    h.engine.setPaused(true);
    expect(h.ticks(20, { api: 1 })).toEqual([]);
    const reopened = await new Harness(tmp.dir, h.cfg).open();
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
      tmp.dir,
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
