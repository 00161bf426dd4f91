import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loginItemFor, xdgLoginItem } from '../../electron/main/shell/login-item';
import { FakeApp } from './fake-electron';

describe('start at login', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opspulse-login-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('on Linux writes and removes an XDG autostart entry', () => {
    const item = xdgLoginItem(dir, '/opt/Ops Pulse/opspulse');
    expect(item.get()).toBe(false);
    item.set(true);
    expect(item.get()).toBe(true);
    const text = fs.readFileSync(path.join(dir, 'autostart', 'opspulse.desktop'), 'utf8');
    expect(text).toMatch(/^\[Desktop Entry\]\nType=Application\n/);
    expect(text).toContain('Exec="/opt/Ops Pulse/opspulse"\n');
    item.set(false);
    expect(item.get()).toBe(false);
    item.set(false);
  });

  it('prefers the AppImage path and XDG_CONFIG_HOME on Linux', () => {
    const app = new FakeApp(dir);
    const item = loginItemFor(
      'linux',
      app,
      { XDG_CONFIG_HOME: dir, APPIMAGE: '/home/u/OpsPulse.AppImage' },
      '/tmp/.mount/opspulse',
      '/home/u',
    );
    item.set(true);
    expect(fs.readFileSync(path.join(dir, 'autostart', 'opspulse.desktop'), 'utf8')).toContain(
      'Exec=/home/u/OpsPulse.AppImage\n',
    );
  });

  it('uses Electron login items on macOS and Windows', () => {
    for (const platform of ['darwin', 'win32'] as const) {
      const app = new FakeApp(dir);
      const item = loginItemFor(platform, app, {}, '/x', dir);
      item.set(true);
      expect(app.openAtLogin).toBe(true);
      expect(item.get()).toBe(true);
    }
    expect(loginItemFor('freebsd', new FakeApp(dir), {}, '/x', dir).supported).toBe(false);
  });
});
