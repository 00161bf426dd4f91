import fs from 'node:fs';
import path from 'node:path';
import type { AppLike } from './electron-api';

export interface LoginItem {
  /** False where the shell cannot manage it; the menu then hides the toggle. */
  readonly supported: boolean;
  get(): boolean;
  set(on: boolean): void;
}

/** macOS and Windows: Electron's own login items. */
export function electronLoginItem(
  app: Pick<AppLike, 'getLoginItemSettings' | 'setLoginItemSettings'>,
): LoginItem {
  return {
    supported: true,
    get: () => app.getLoginItemSettings().openAtLogin,
    set: (on) => app.setLoginItemSettings({ openAtLogin: on }),
  };
}

/**
 * Linux: Electron has no login items there, so we write an XDG autostart entry
 * (~/.config/autostart/opspulse.desktop), which GNOME, KDE and XFCE all honour.
 */
export function xdgLoginItem(configHome: string, execPath: string): LoginItem {
  const file = path.join(configHome, 'autostart', 'opspulse.desktop');
  return {
    supported: true,
    get: () => fs.existsSync(file),
    set(on) {
      if (!on) {
        fs.rmSync(file, { force: true });
        return;
      }
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(
        file,
        [
          '[Desktop Entry]',
          'Type=Application',
          'Name=OpsPulse',
          'Comment=Tray health monitor',
          `Exec=${desktopQuote(execPath)}`,
          'Terminal=false',
          'X-GNOME-Autostart-enabled=true',
          '',
        ].join('\n'),
      );
    },
  };
}

/** Desktop Entry Exec quoting: wrap in double quotes, escape ", `, $ and \. */
function desktopQuote(arg: string): string {
  return /[\s"'`$\\]/.test(arg) ? `"${arg.replace(/(["`$\\])/g, '\\$1')}"` : arg;
}

export function loginItemFor(
  platform: NodeJS.Platform,
  app: Pick<AppLike, 'getLoginItemSettings' | 'setLoginItemSettings'>,
  env: NodeJS.ProcessEnv,
  execPath: string,
  home: string,
): LoginItem {
  if (platform === 'darwin' || platform === 'win32') return electronLoginItem(app);
  if (platform === 'linux')
    return xdgLoginItem(
      env.XDG_CONFIG_HOME || path.join(home, '.config'),
      env.APPIMAGE || execPath,
    );
  return { supported: false, get: () => false, set: () => undefined };
}
