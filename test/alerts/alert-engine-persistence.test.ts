import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { config, Harness, target, tempDirEachTest } from './helpers';

const tmp = tempDirEachTest();

describe('persistence across restarts', () => {
  it('no duplicate "down" after a restart while still down; recovery during downtime is reported', async () => {
    const cfg = config({ targets: [target('api')] });
    const a = await new Harness(tmp.dir, cfg).open();
    a.tick({ api: 1 });
    a.ticks(3, { api: 0 });
    expect(a.notifier.take()).toHaveLength(1);
    const downSince = a.engine.snapshot(cfg).targets[0].since;
    expect(downSince).toBeGreaterThan(0);
    await a.engine.close();

    const b = await new Harness(tmp.dir, cfg).open();
    b.t = a.t;
    b.ticks(5, { api: 0 });
    expect(b.notifier.take()).toEqual([]);
    // "Down since" is the moment it went down, not the restart.
    expect(b.engine.snapshot(cfg).targets[0]).toMatchObject({
      state: 'crit',
      verdict: 'down',
      since: downSince,
    });
    await b.engine.close();

    // The app is off for an hour, during which the target came back.
    const c = await new Harness(tmp.dir, cfg).open();
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
    await fs.mkdir(path.join(tmp.dir, 'state'), { recursive: true });
    await fs.writeFile(path.join(tmp.dir, 'state', 'alerts.json'), '{"v":1,"keys":');
    const h = await new Harness(tmp.dir, config({ targets: [target('api')] })).open();
    expect(h.tick({ api: 1 })).toHaveLength(1);
    const names = await fs.readdir(path.join(tmp.dir, 'state'));
    expect(names.some((n) => n.startsWith('alerts.json.bad-'))).toBe(true);
  });
});

describe('incident log and storage health', () => {
  it('keeps events in memory while the disk refuses them, then writes them all', async () => {
    const h = await new Harness(tmp.dir, config({ targets: [target('api')] })).open();
    // A file where the events directory should be makes every append fail.
    await fs.writeFile(path.join(tmp.dir, 'events'), 'not a directory');
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

    await fs.rm(path.join(tmp.dir, 'events'));
    h.engine.noteStorageHealth({ ok: true });
    h.tick({ api: 0 });
    const text = await fs.readFile(path.join(tmp.dir, 'events', '2026-11.jsonl'), 'utf8');
    expect(
      text
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).rule),
    ).toEqual(['down', 'down', 'storage', 'storage']);
  });

  it('storage problems respect a global mute but are still logged', async () => {
    const h = await new Harness(tmp.dir, config({ targets: [target('api')] })).open();
    h.engine.mute(h.t + 60_000);
    h.engine.noteStorageHealth({ ok: false, error: 'EIO' });
    expect(h.notifier.take()).toEqual([]);
    expect((await h.engine.events({ since: 0 })).map((e) => e.to)).toEqual(['crit']);
    expect(h.engine.snapshot(h.cfg).overall).toBe('crit');
  });

  it('filters by time and target, and skips a torn last line', async () => {
    const h = await new Harness(tmp.dir, config({ targets: [target('a'), target('b')] })).open();
    const t0 = h.t;
    h.tick({ a: 1, b: 1 });
    h.ticks(2, { a: 0, b: 1 });
    await fs.appendFile(path.join(tmp.dir, 'events', '2026-11.jsonl'), '{"t":17');
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
