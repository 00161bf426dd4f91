import { MessageChannel } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import type { HealthSnapshot } from '../../shared/health';
import { connectMonitor, type RemoteMonitor } from '../../electron/main/shell/rpc/client';
import { serveMonitor } from '../../electron/main/shell/rpc/server';
import { superviseMonitor } from '../../electron/main/shell/supervisor';
import { ScriptedMonitor } from './scripted-monitor';

const channels: MessageChannel[] = [];
afterEach(() => {
  for (const c of channels.splice(0)) {
    c.port1.close();
    c.port2.close();
  }
});

function until(cond: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  return new Promise((resolve, reject) => {
    const poll = () => {
      if (cond()) resolve();
      else if (Date.now() > deadline) reject(new Error(`timed out waiting for ${what}`));
      else setTimeout(poll, 5);
    };
    poll();
  });
}

/** Each start gets a fresh core behind a fresh port, as a new worker would. */
function cores() {
  const started: { core: ScriptedMonitor; remote: RemoteMonitor; attempt: number }[] = [];
  const start = (attempt: number) => {
    const ch = new MessageChannel();
    channels.push(ch);
    const core = new ScriptedMonitor();
    serveMonitor(ch.port2, core, { onNotification: (cb) => core.onNotification(cb) });
    const remote = connectMonitor(ch.port1);
    started.push({ core, remote, attempt });
    return remote;
  };
  return { started, start };
}

describe('core supervisor', () => {
  it('restarts a core that died, keeping subscriptions, and says so meanwhile', async () => {
    const { started, start } = cores();
    const restarts: number[] = [];
    const sup = superviseMonitor(start, {
      backoffMs: () => 10,
      onRestart: (_r, n) => restarts.push(n),
    });
    const seen: HealthSnapshot[] = [];
    sup.onHealth((h) => seen.push(h));
    await sup.setPaused(true);
    started[0].remote.dispose(new Error('the monitor worker exited (code 1)'));
    expect(seen.at(-1)).toMatchObject({
      overall: 'unknown',
      summary: 'restarting after: the monitor worker exited (code 1)',
    });
    await until(() => started.length === 2, 'the restart');
    expect(started.map((s) => s.attempt)).toEqual([0, 1]);
    expect(restarts).toEqual([1]);
    await sup.mute(99);
    expect(started[1].core.calls).toEqual([{ method: 'mute', args: [99] }]);
    started[1].core.publish({ summary: 'back' });
    await until(() => seen.at(-1)?.summary === 'back', 'health from the new core');
  });

  it('gives up after too many crashes in the window and reports the last reason', async () => {
    const { started, start } = cores();
    let t = 0;
    const sup = superviseMonitor(start, {
      backoffMs: () => 1,
      maxRestarts: 2,
      windowMs: 60_000,
      now: () => t,
    });
    const gone: string[] = [];
    sup.onDisposed((e) => gone.push(e.message));
    for (let i = 0; i < 3; i++) {
      await until(() => started.length === i + 1, `start ${i + 1}`);
      t += 1_000;
      started[i].remote.dispose(new Error(`crash ${i + 1}`));
    }
    expect(gone).toEqual(['crash 3']);
    await expect(sup.health()).rejects.toThrow('crash 3');
    await new Promise((r) => setTimeout(r, 20));
    expect(started).toHaveLength(3);
  });

  it('forgets crashes older than the window', async () => {
    const { started, start } = cores();
    let t = 0;
    const sup = superviseMonitor(start, {
      backoffMs: () => 1,
      maxRestarts: 1,
      windowMs: 10_000,
      now: () => t,
    });
    const gone: string[] = [];
    sup.onDisposed((e) => gone.push(e.message));
    started[0].remote.dispose(new Error('one'));
    await until(() => started.length === 2, 'first restart');
    t += 60_000;
    started[1].remote.dispose(new Error('two'));
    await until(() => started.length === 3, 'second restart');
    expect(gone).toEqual([]);
    await sup.close();
  });

  it('does not restart on close or an explicit dispose', async () => {
    const { started, start } = cores();
    const sup = superviseMonitor(start, { backoffMs: () => 1 });
    await sup.close();
    started[0].remote.dispose(new Error('terminated'));
    const other = cores();
    const sup2 = superviseMonitor(other.start, { backoffMs: () => 1 });
    sup2.dispose(new Error('shell says stop'));
    await new Promise((r) => setTimeout(r, 20));
    expect(started).toHaveLength(1);
    expect(other.started).toHaveLength(1);
  });
});
