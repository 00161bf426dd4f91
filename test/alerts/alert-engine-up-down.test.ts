import { describe, expect, it } from 'vitest';
import { config, Harness, makeTempDir, removeDir, target, tempDirEachTest } from './helpers';

const tmp = tempDirEachTest();

const ids = (n: number, prefix = 't') => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

function all(list: string[], v: 0 | 1): Record<string, 0 | 1> {
  return Object.fromEntries(list.map((id) => [id, v]));
}

describe('up/down rule', () => {
  it('goes down after 2 failed checks and back up after 2 good ones, notifying once each', async () => {
    const h = await new Harness(tmp.dir, config({ targets: [target('api')] })).open();
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
      tmp.dir,
      config({ targets: [target('api')], alerts: { downAfter: 4, upAfter: 1 } }),
    ).open();
    h.tick({ api: 1 });
    expect(h.ticks(3, { api: 0 })).toEqual([]);
    expect(h.tick({ api: 0 })).toMatchObject([{ to: 'crit' }]);
    expect(h.tick({ api: 1 })).toMatchObject([{ to: 'ok' }]);
  });

  it('a storm of 100 targets going down at once is one notification', async () => {
    const list = ids(100);
    const h = await new Harness(tmp.dir, config({ targets: list.map((id) => target(id)) })).open();
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
      tmp.dir,
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

describe('snapshot', () => {
  it('shows no data, stale and disabled targets honestly', async () => {
    const h = await new Harness(
      tmp.dir,
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
    const quiet = await new Harness(tmp.dir, config({ targets: [target('api')] })).open();
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
    const h = await new Harness(tmp.dir, config({ targets: [target('api')] })).open();
    h.notifier.notify = () => {
      throw new Error('display gone');
    };
    h.tick({ api: 1 });
    expect(h.ticks(2, { api: 0 })).toHaveLength(1);
    expect((await h.engine.events({ since: 0 })).length).toBe(2);
  });

  it('targets removed from the config drop out quietly', async () => {
    const h = await new Harness(tmp.dir, config({ targets: [target('a'), target('b')] })).open();
    h.tick({ a: 1, b: 1 });
    h.ticks(2, { a: 0, b: 0 });
    h.notifier.take();
    h.cfg = config({ targets: [target('a')] });
    expect(h.ticks(3, { a: 0 })).toEqual([]);
    expect(h.notifier.take()).toEqual([]);
    expect(h.engine.snapshot(h.cfg).targets.map((t) => t.id)).toEqual(['a']);
  });
});
