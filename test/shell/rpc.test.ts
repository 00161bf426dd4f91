import { MessageChannel } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import type { HealthSnapshot } from '../../shared/health';
import type { Notification } from '../../shared/notification';
import { connectMonitor, type RemoteMonitor } from '../../electron/main/shell/rpc/client';
import { serveMonitor } from '../../electron/main/shell/rpc/server';
import { ScriptedMonitor, target } from './scripted-monitor';

const channels: MessageChannel[] = [];
afterEach(() => {
  for (const c of channels.splice(0)) {
    c.port1.close();
    c.port2.close();
  }
});

function pair(monitor: ScriptedMonitor | Promise<ScriptedMonitor>, close?: () => Promise<void>) {
  const ch = new MessageChannel();
  channels.push(ch);
  const resolved = Promise.resolve(monitor);
  serveMonitor(ch.port2, monitor, {
    onNotification: (cb) => {
      let off = () => undefined as unknown;
      void resolved.then(
        (m) => (off = m.onNotification(cb)),
        () => undefined,
      );
      return () => void off();
    },
    close,
  });
  return connectMonitor(ch.port1);
}

function next<T>(subscribe: (cb: (v: T) => void) => () => void): Promise<T> {
  return new Promise((resolve) => {
    const off = subscribe((v) => {
      off();
      resolve(v);
    });
  });
}

describe('MonitorApi over a message port', () => {
  it('carries calls and results through structured clone', async () => {
    const core = new ScriptedMonitor([target('api', 'ok', '12 ms')]);
    const remote = pair(core);
    expect((await remote.health()).targets[0].figure).toBe('12 ms');
    const h = await remote.mute(42, 'api');
    expect(h.mutedUntil).toBe(42);
    await remote.mute(7, undefined);
    expect(core.calls).toEqual([
      { method: 'mute', args: [42, 'api'] },
      { method: 'mute', args: [7] },
    ]);
  });

  it("rejects with the core's error, field errors as data", async () => {
    const remote = pair(new ScriptedMonitor());
    await expect(remote.deleteTarget('x')).rejects.toEqual([
      { path: 'id', message: 'no target has id "x"' },
    ]);
    await expect(remote.query({ from: 0, to: 1, series: [], maxPoints: 1 })).rejects.toThrow(
      'query is not scripted in this test',
    );
  });

  it('streams health, samples and notifications', async () => {
    const core = new ScriptedMonitor();
    const remote = pair(core);
    await remote.health();
    const health = next<HealthSnapshot>((cb) => remote.onHealth(cb));
    const sample = next((cb) => remote.onSample(cb));
    const note = next<Notification>((cb) => remote.onNotification(cb));
    core.publish({ overall: 'crit', summary: 'api down' });
    core.emitSample({ v: 1, t: 5, tg: { api: { up: 0, err: 'ECONNREFUSED' } } });
    core.emitNotification({
      t: 5,
      kind: 'down',
      level: 'crit',
      title: 'API down',
      body: '',
      targets: ['api'],
      events: [],
    });
    expect((await health).summary).toBe('api down');
    expect(await sample).toEqual({ v: 1, t: 5, tg: { api: { up: 0, err: 'ECONNREFUSED' } } });
    expect((await note).title).toBe('API down');
  });

  it('holds calls made while the core is still opening', async () => {
    let open!: (m: ScriptedMonitor) => void;
    const remote = pair(new Promise<ScriptedMonitor>((r) => (open = r)));
    const pending = remote.setPaused(true);
    open(new ScriptedMonitor());
    expect((await pending).paused).toBe(true);
  });

  it('answers every call with the reason when the core failed to open', async () => {
    const failed = Promise.reject(
      new Error('config.json: targets[0].url: an http:// or https:// URL'),
    );
    const remote = pair(failed as Promise<ScriptedMonitor>);
    await expect(remote.health()).rejects.toThrow(/targets\[0\]\.url/);
  });

  it('closes the core on request, and fails fast once disposed', async () => {
    let closed = 0;
    const remote: RemoteMonitor = pair(new ScriptedMonitor(), async () => void closed++);
    await remote.close();
    expect(closed).toBe(1);
    const other = pair(new ScriptedMonitor());
    other.dispose(new Error('the monitor worker exited (code 1)'));
    await expect(other.health()).rejects.toThrow('exited (code 1)');
  });
});

describe('health() through the worker', () => {
  it('answers from the last published snapshot without a round trip', async () => {
    const ch = new MessageChannel();
    channels.push(ch);
    const core = new ScriptedMonitor();
    let calls = 0;
    const counting = Object.assign(Object.create(core) as ScriptedMonitor, {
      health: () => {
        calls++;
        return core.health();
      },
    });
    serveMonitor(ch.port2, counting);
    const remote = connectMonitor(ch.port1);
    await remote.health();
    expect(calls).toBe(1);
    const pushed = next<HealthSnapshot>((cb) => remote.onHealth(cb));
    core.publish({ overall: 'warn', summary: 'api slow' });
    await pushed;
    expect(await remote.health()).toMatchObject({ overall: 'warn', summary: 'api slow' });
    expect(calls).toBe(1);
  });
});
