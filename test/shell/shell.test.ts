import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { MessageChannel } from 'node:worker_threads';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { invokeChannel, PUSH_CHANNELS } from '../../shared/ipc';
import type { LoginItem } from '../../electron/main/shell/login-item';
import { connectMonitor, type RemoteMonitor } from '../../electron/main/shell/rpc/client';
import { serveMonitor } from '../../electron/main/shell/rpc/server';
import { APP_USER_MODEL_ID, startShell, type Shell } from '../../electron/main/shell/shell';
import {
  createFakeElectron,
  FakeNotification,
  FakeTray,
  FakeWindow,
  labels,
  menuItem,
  type FakeElectron,
} from './fake-electron';
import { ScriptedMonitor, target } from './scripted-monitor';

const ICONS = '/icons';

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

describe('the shell, composed', () => {
  let dir: string;
  let electron: FakeElectron;
  let core: ScriptedMonitor;
  let channel: MessageChannel;
  let closes: number;
  let loginOn: boolean;
  let remote: RemoteMonitor | null;
  const loginItem: LoginItem = {
    supported: true,
    get: () => loginOn,
    set: (on) => void (loginOn = on),
  };

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'opspulse-shell-'));
    electron = createFakeElectron(dir);
    core = new ScriptedMonitor([target('api', 'ok', '12 ms'), target('db', 'ok', '2 ms')]);
    channel = new MessageChannel();
    closes = 0;
    loginOn = false;
  });
  afterEach(async () => {
    channel.port1.close();
    channel.port2.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  /** The core behind a real message port, as the worker thread would serve it. */
  function remoteCore(): Promise<RemoteMonitor> {
    serveMonitor(channel.port2, core, {
      onNotification: (cb) => core.onNotification(cb),
      close: async () => void closes++,
    });
    remote = connectMonitor(channel.port1);
    return Promise.resolve(remote);
  }

  async function boot(platform: NodeJS.Platform = 'linux'): Promise<Shell> {
    const shell = startShell({
      electron,
      platform,
      paths: { iconsDir: ICONS, preload: '/p/index.cjs', rendererDir: dir },
      startMonitor: remoteCore,
      loginItem,
    });
    if (!shell) throw new Error('expected the primary instance');
    electron.app.makeReady();
    await shell.ready;
    return shell;
  }

  it('a second instance hands over and quits without starting a core', () => {
    electron.app.locked = false;
    let started = 0;
    const shell = startShell({
      electron,
      platform: 'linux',
      paths: { iconsDir: ICONS, preload: '', rendererDir: dir },
      startMonitor: async () => {
        started++;
        return connectMonitor(channel.port1);
      },
      loginItem,
    });
    expect(shell).toBeNull();
    expect(electron.app.quitCalls).toBe(1);
    expect(started).toBe(0);
  });

  it('the first instance opens its dashboard when launched again', async () => {
    await boot();
    expect(FakeWindow.all).toHaveLength(0);
    electron.app.emit('second-instance');
    expect(FakeWindow.all).toHaveLength(1);
    expect(FakeWindow.all[0].visible).toBe(true);
    FakeWindow.all[0].userClose();
    electron.app.emit('activate');
    expect(FakeWindow.all[0].visible).toBe(true);
  });

  it('sets the AppUserModelId on Windows only', async () => {
    await boot('win32');
    expect(electron.app.appUserModelId).toBe(APP_USER_MODEL_ID);
    const other = createFakeElectron(dir);
    startShell({
      electron: other,
      platform: 'linux',
      paths: { iconsDir: ICONS, preload: '', rendererDir: dir },
      startMonitor: remoteCore,
      loginItem,
    });
    expect(other.app.appUserModelId).toBeNull();
  });

  it('registers app:// and denies every permission request', async () => {
    await boot();
    expect(electron.schemes.map((s) => s.scheme)).toEqual(['app']);
    expect(electron.protocolHandlers.has('app')).toBe(true);
    const ses = electron.session.defaultSession;
    const answers: boolean[] = [];
    for (const p of ['notifications', 'media', 'geolocation', 'openExternal'])
      ses.requestHandler?.(null, p, (granted) => answers.push(granted));
    expect(answers).toEqual([false, false, false, false]);
    expect(ses.checkHandler?.()).toBe(false);
  });

  it('follows the core: the tray icon changes on the tick the state does', async () => {
    const shell = await boot();
    const tray = FakeTray.all[0];
    expect(tray.images).toEqual([path.join(ICONS, 'tray-ok-32.png')]);
    core.publish({ overall: 'crit', summary: 'db down', targets: [target('db', 'crit', 'down')] });
    await until(() => tray.images.length === 2, 'the icon to change');
    expect(tray.images[1]).toBe(path.join(ICONS, 'tray-crit-32.png'));
    expect(tray.toolTip).toBe('OpsPulse: db down');
    expect(labels(tray.menu?.template ?? [])).toContain('DB: Down · down');
    expect(shell.tray()).not.toBeNull();
  });

  it('pauses, resumes and mutes through the core from the menu', async () => {
    await boot();
    const tray = FakeTray.all[0];
    menuItem(tray.menu?.template, 'Pause collection').click?.();
    await until(() => tray.images.length === 2, 'the paused icon');
    expect(tray.images[1]).toBe(path.join(ICONS, 'tray-paused-32.png'));
    menuItem(tray.menu?.template, 'Resume collection').click?.();
    await until(() => core.calls.length === 2, 'resume');
    menuItem(tray.menu?.template, 'Mute notifications', 'For 1 hour').click?.();
    await until(() => core.calls.length === 3, 'mute');
    expect(core.calls.map((c) => c.method)).toEqual(['setPaused', 'setPaused', 'mute']);
  });

  it("shows the core's notifications, opens the target on click, and mutes them", async () => {
    await boot();
    const down = {
      t: 1,
      kind: 'down' as const,
      level: 'crit' as const,
      title: 'API down',
      body: 'ECONNREFUSED',
      targets: ['api'],
      events: [],
    };
    core.emitNotification(down);
    await until(() => FakeNotification.shown.length === 1, 'the notification');
    FakeNotification.shown[0].click();
    expect(FakeWindow.all[0].urls).toEqual(['app://opspulse/index.html#target=api']);
    expect(FakeNotification.shown[0].options.icon).toBe(path.join(ICONS, 'icon.png'));
    await core.mute(Date.now() + 3_600_000);
    await until(
      () =>
        FakeTray.all[0].menu?.template.some((i) => i.label?.startsWith('Notifications muted')) ??
        false,
      'muted',
    );
    core.emitNotification({ ...down, title: 'DB down', targets: ['db'] });
    core.emitSample({ v: 1, t: 2, tg: {} });
    await until(
      () => FakeWindow.all[0].webContents.sent.some((s) => s.channel === PUSH_CHANNELS.sample),
      'the sample push',
    );
    expect(FakeNotification.shown).toHaveLength(1);
  });

  it('routes a target line of the menu to the dashboard on that target', async () => {
    await boot();
    menuItem(FakeTray.all[0].menu?.template, 'DB').click?.();
    expect(FakeWindow.all[0].urls).toEqual(['app://opspulse/index.html#target=db']);
  });

  it('exports a report from the tray into the chosen file', async () => {
    await boot();
    const dest = path.join(dir, 'out.md');
    electron.saveDialog.answer = { canceled: false, filePath: dest };
    menuItem(
      FakeTray.all[0].menu?.template,
      'Export report',
      'Last 24 hours',
      'Markdown',
    ).click?.();
    await until(() => FakeNotification.shown.length === 1, 'the saved notice');
    expect(await fs.readFile(dest, 'utf8')).toMatch(/^report md \d+\.\.\d+$/);
    FakeNotification.shown[0].click();
    expect(electron.shown).toEqual([dest]);
  });

  it('toggles start at login and reflects it in the menu', async () => {
    await boot();
    const tray = FakeTray.all[0];
    menuItem(tray.menu?.template, 'Start at login').click?.();
    expect(loginOn).toBe(true);
    expect(menuItem(tray.menu?.template, 'Start at login').checked).toBe(true);
  });

  it('serves IPC only to its own window, and pushes health to it', async () => {
    await boot();
    electron.app.emit('second-instance');
    const win = FakeWindow.all[0];
    const ours = { sender: win.webContents, senderFrame: { url: 'app://opspulse/index.html' } };
    expect(await electron.ipcMain.invoke(ours, invokeChannel('health'))).toMatchObject({
      ok: true,
    });
    const stranger = { sender: { id: 9999 }, senderFrame: { url: 'app://opspulse/index.html' } };
    expect(await electron.ipcMain.invoke(stranger, invokeChannel('health'))).toMatchObject({
      ok: false,
    });
    core.publish({ summary: 'still fine' });
    await until(
      () => win.webContents.sent.some((s) => s.channel === PUSH_CHANNELS.health),
      'the health push',
    );
  });

  it('keeps running when the window closes and closes the core on quit', async () => {
    await boot();
    electron.app.emit('second-instance');
    expect(FakeWindow.all[0].userClose()).toBe(true);
    expect(electron.app.count('window-all-closed')).toBe(1);
    menuItem(FakeTray.all[0].menu?.template, 'Quit').click?.();
    await until(() => electron.app.quitCalls === 2, 'the second quit after closing the core');
    expect(closes).toBe(1);
    expect(FakeTray.all[0].destroyed).toBe(true);
    expect(electron.ipcMain.handlers.size).toBe(0);
  });

  it('turns grey and says so when the core stops under it', async () => {
    await boot();
    remote?.dispose(new Error('the monitor worker exited (code 1)'));
    const tray = FakeTray.all[0];
    expect(tray.images.at(-1)).toBe(path.join(ICONS, 'tray-unknown-32.png'));
    expect(tray.toolTip).toBe('OpsPulse: not running: the monitor worker exited (code 1)');
    expect(FakeNotification.shown.map((n) => n.options.title)).toEqual([
      'OpsPulse stopped monitoring',
    ]);
  });

  it('shows why in the tray when the core cannot start', async () => {
    const shell = startShell({
      electron,
      platform: 'linux',
      paths: { iconsDir: ICONS, preload: '', rendererDir: dir },
      startMonitor: async () => {
        serveMonitor(channel.port2, Promise.reject(new Error('config.json: interval: too small')));
        return connectMonitor(channel.port1);
      },
      loginItem,
    });
    electron.app.makeReady();
    await shell?.ready;
    const tray = FakeTray.all[0];
    expect(tray.images).toEqual([path.join(ICONS, 'tray-unknown-32.png')]);
    expect(tray.toolTip).toBe('OpsPulse: not running: config.json: interval: too small');
    expect(FakeNotification.shown[0].options.title).toBe('OpsPulse could not start');
  });
});
