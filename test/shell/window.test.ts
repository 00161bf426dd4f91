import { describe, expect, it } from 'vitest';
import { rendererOrigin } from '../../electron/main/shell/protocol';
import { DashboardWindow, dashboardUrl } from '../../electron/main/shell/window';
import { createFakeElectron, FakeWindow } from './fake-electron';

function setup() {
  const electron = createFakeElectron('/tmp');
  let quitting = false;
  const dash = new DashboardWindow({
    electron,
    preloadPath: '/app/out/preload/index.cjs',
    isQuitting: () => quitting,
  });
  return { dash, quit: () => (quitting = true) };
}

describe('dashboard window', () => {
  it('is sandboxed, isolated, without Node, with our preload', () => {
    const { dash } = setup();
    dash.open();
    const prefs = FakeWindow.all[0].options.webPreferences;
    expect(prefs).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });

  it('loads app://opspulse and shows when ready; opens on a target via the fragment', () => {
    const { dash } = setup();
    dash.open('api');
    const win = FakeWindow.all[0];
    expect(win.urls).toEqual(['app://opspulse/index.html#target=api']);
    expect(win.visible).toBe(true);
    win.minimized = true;
    dash.open('db/1');
    expect(FakeWindow.all).toHaveLength(1);
    expect(win.urls.at(-1)).toBe(dashboardUrl('db/1'));
    expect(win.urls.at(-1)).toBe('app://opspulse/index.html#target=db%2F1');
    expect(win.minimized).toBe(false);
    expect(win.focused).toBe(1);
  });

  it('denies navigation away from the app, new windows and webviews', () => {
    const { dash } = setup();
    dash.open();
    const wc = FakeWindow.all[0].webContents;
    expect(wc.fire('will-navigate', 'https://evil.example/')).toBe(true);
    expect(wc.fire('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(wc.fire('will-redirect', 'http://127.0.0.1:1/')).toBe(true);
    expect(wc.fire('will-navigate', 'app://opspulse/index.html')).toBe(false);
    expect(wc.fire('will-attach-webview')).toBe(true);
    expect(wc.openHandler?.()).toEqual({ action: 'deny' });
  });

  it('hides on close so the app stays in the tray, and really closes when quitting', () => {
    const { dash, quit } = setup();
    dash.open();
    const win = FakeWindow.all[0];
    expect(win.userClose()).toBe(true);
    expect(win.visible).toBe(false);
    expect(dash.webContentsId()).toBe(win.webContents.id);
    quit();
    expect(win.userClose()).toBe(false);
    expect(dash.webContentsId()).toBeNull();
    dash.open();
    expect(FakeWindow.all).toHaveLength(2);
  });

  it('pushes only to its own live renderer', () => {
    const { dash, quit } = setup();
    dash.send('opspulse:push:health', { a: 1 });
    dash.open();
    const win = FakeWindow.all[0];
    dash.send('opspulse:push:health', { a: 2 });
    quit();
    win.userClose();
    dash.send('opspulse:push:health', { a: 3 });
    expect(win.webContents.sent).toEqual([{ channel: 'opspulse:push:health', args: [{ a: 2 }] }]);
  });

  it('in development loads the dev server and still refuses any other origin', () => {
    const electron = createFakeElectron('/tmp');
    const origin = rendererOrigin('http://localhost:5173/');
    const dash = new DashboardWindow({
      electron,
      preloadPath: '/p',
      isQuitting: () => false,
      origin,
    });
    dash.open('api');
    const win = FakeWindow.all[0];
    expect(win.urls).toEqual(['http://localhost:5173/#target=api']);
    expect(win.webContents.fire('will-navigate', 'http://localhost:5173/#targets')).toBe(false);
    expect(win.webContents.fire('will-navigate', 'http://localhost:5174/')).toBe(true);
    expect(origin.isOurs('app://opspulse/index.html')).toBe(true);
    expect(rendererOrigin().isOurs('http://localhost:5173/')).toBe(false);
  });

  it('reports a page that fails to load and shows the window anyway; a superseded load is no error', async () => {
    class FailingWindow extends FakeWindow {
      override async loadURL(url: string): Promise<void> {
        this.urls.push(url);
        throw new Error(
          url.includes('#target=')
            ? `ERR_ABORTED (-3) loading '${url}'`
            : `ERR_FILE_NOT_FOUND (-6) loading '${url}'`,
        );
      }
    }
    const errors: string[] = [];
    const dash = new DashboardWindow({
      electron: { BrowserWindow: FailingWindow },
      preloadPath: '/app/out/preload/index.cjs',
      isQuitting: () => false,
      onLoadError: (m) => errors.push(m),
    });
    dash.open();
    await new Promise((r) => setImmediate(r));
    const win = FakeWindow.all.at(-1)!;
    expect(win.visible).toBe(true);
    expect(errors).toEqual([expect.stringMatching(/did not load .*ERR_FILE_NOT_FOUND/)]);
    dash.open('api');
    await new Promise((r) => setImmediate(r));
    expect(errors).toHaveLength(1);
  });
});
