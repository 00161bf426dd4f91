import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startMonitorWorker } from '../../electron/main/shell/monitor-host';
import type { RemoteMonitor } from '../../electron/main/shell/rpc/client';
import { startShell } from '../../electron/main/shell/shell';
import { superviseMonitor } from '../../electron/main/shell/supervisor';
import { makeTmpDir, removeDir } from '../helpers/tmp-dir';
import { createFakeElectron, FakeNotification, FakeTray } from './fake-electron';

function until(cond: () => boolean, what: string, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const poll = () => {
      if (cond()) resolve();
      else if (Date.now() > deadline) reject(new Error(`timed out waiting for ${what}`));
      else setTimeout(poll, 20);
    };
    poll();
  });
}

/**
 * The real core in a real worker thread, a real HTTP service on loopback, and the shell
 * on a fake Electron: the tray must follow the service going down, with a notification.
 */
describe('the desktop app with the real Monitor in a worker thread', () => {
  let dir: string;
  let server: http.Server;
  let remote: RemoteMonitor | null;
  let healthy: boolean;
  const savedLog = process.env.OPSPULSE_LOG;

  beforeEach(async () => {
    process.env.OPSPULSE_LOG = 'silent';
    dir = await makeTmpDir('opspulse-shell-worker-');
    healthy = true;
    server = http.createServer((_req, res) => {
      res.statusCode = healthy ? 200 : 503;
      res.end(healthy ? 'ok' : 'down');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    await fs.writeFile(
      path.join(dir, 'config.json'),
      JSON.stringify({
        version: 1,
        interval: 1,
        system: { enabled: false },
        alerts: { downAfter: 1, upAfter: 1 },
        targets: [{ id: 'api', name: 'API', kind: 'http', url: `http://127.0.0.1:${port}/health` }],
      }),
    );
    remote = null;
  });

  afterEach(async () => {
    await remote?.close().catch(() => undefined);
    await new Promise((r) => server.close(r));
    await removeDir(dir);
    if (savedLog === undefined) delete process.env.OPSPULSE_LOG;
    else process.env.OPSPULSE_LOG = savedLog;
  });

  it(
    'turns the tray red and notifies when the service goes down',
    { timeout: 90_000 },
    async () => {
      const electron = createFakeElectron(dir);
      const shell = startShell({
        electron,
        platform: 'linux',
        paths: { iconsDir: '/icons', preload: '', rendererDir: dir },
        startMonitor: async () => {
          remote = startMonitorWorker({ dataDir: dir, systemMetrics: false });
          return remote;
        },
        loginItem: { supported: false, get: () => false, set: () => undefined },
      });
      electron.app.makeReady();
      await shell?.ready;
      const tray = FakeTray.all[0];
      await until(() => tray.images.at(-1) === '/icons/tray-ok-32.png', 'the green icon', 60_000);
      expect(tray.toolTip).toMatch(/^OpsPulse: /);

      healthy = false;
      await until(() => tray.images.at(-1) === '/icons/tray-crit-32.png', 'the red icon');
      await until(() => FakeNotification.shown.length > 0, 'the down notification');
      expect(FakeNotification.shown[0].options.urgency).toBe('critical');

      FakeNotification.shown[0].click();
      const config = await remote?.getConfig();
      expect(config?.targets.map((t) => t.id)).toEqual(['api']);
    },
  );

  it(
    'reports a broken config through every call instead of dying',
    { timeout: 60_000 },
    async () => {
      await fs.writeFile(path.join(dir, 'config.json'), '{"interval": "often"}');
      remote = startMonitorWorker({ dataDir: dir, systemMetrics: false });
      await expect(remote.health()).rejects.toThrow(/interval/);
    },
  );

  it(
    "comes back after the worker dies, once the dead one's lock goes stale",
    { timeout: 120_000 },
    async () => {
      const workers: ReturnType<typeof startMonitorWorker>[] = [];
      const sup = superviseMonitor(
        (attempt) => {
          const w = startMonitorWorker({
            dataDir: dir,
            systemMetrics: false,
            lockWaitMs: attempt > 0 ? 40_000 : 0,
          });
          workers.push(w);
          return w;
        },
        { backoffMs: () => 10 },
      );
      remote = sup;
      await until(() => workers.length === 1, 'the first worker');
      expect((await sup.getConfig()).targets).toHaveLength(1);
      const states: string[] = [];
      sup.onHealth((h) => states.push(h.overall));
      await workers[0].worker.terminate();
      await until(() => workers.length === 2, 'the restart');
      expect(states[0]).toBe('unknown');
      await until(() => states.at(-1) === 'ok', 'health from the restarted core', 90_000);
      expect((await sup.getConfig()).targets.map((t) => t.id)).toEqual(['api']);
    },
  );
});
