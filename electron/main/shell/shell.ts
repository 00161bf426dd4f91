import path from 'node:path';
import type { ReportFormat } from '../../../shared/api';
import type { HealthSnapshot } from '../../../shared/health';
import { PUSH_CHANNELS } from '../../../shared/ipc';
import type { ElectronLike } from './electron-api';
import { errorText, exportReportToFile } from './export-report';
import { registerIpc, trustOnly } from './ipc-handlers';
import type { LoginItem } from './login-item';
import { DesktopNotifier } from './notifications';
import { APP_ICON } from './icons';
import { handleAppScheme, registerAppScheme, rendererOrigin } from './protocol';
import type { RemoteMonitor } from './rpc/client';
import { TrayController } from './tray';
import { DashboardWindow } from './window';

/** Also electron-builder's appId: Windows shows notifications only for a known AUMID. */
export const APP_USER_MODEL_ID = 'dev.opspulse.app';

export interface ShellPaths {
  iconsDir: string;
  /** The built preload script (CommonJS: sandboxed preloads cannot be ES modules). */
  preload: string;
  /** The built renderer, served as app://opspulse/. */
  rendererDir: string;
}

export interface ShellOptions {
  electron: ElectronLike;
  platform: NodeJS.Platform;
  paths: ShellPaths;
  /** Starts the core off the main thread; called once, only in the primary instance. */
  startMonitor(): Promise<RemoteMonitor>;
  loginItem: LoginItem;
  now?: () => number;
  log?: (message: string) => void;
  /** The electron-vite dev server, while developing; never set in a packaged app. */
  devServerUrl?: string;
  /** How long quitting waits for the core to flush and close. */
  closeTimeoutMs?: number;
}

export interface Shell {
  /** Settles when the tray is up (after app ready and the first health snapshot). */
  readonly ready: Promise<void>;
  readonly window: DashboardWindow;
  readonly notifier: DesktopNotifier;
  tray(): TrayController | null;
}

/** What the tray shows when the core could not start (e.g. a broken config.json). */
export function failedSnapshot(err: unknown, now: number): HealthSnapshot {
  return {
    t: now,
    overall: 'unknown',
    summary: `not running: ${errorText(err)}`,
    targets: [],
    paused: false,
  };
}

/**
 * The desktop app: maps the core's decisions onto Electron. Call it synchronously at
 * startup (the scheme must be registered before ready). Returns null in a second instance,
 * which hands over to the first (it opens its dashboard) and quits.
 */
export function startShell(opts: ShellOptions): Shell | null {
  const { electron, platform, paths } = opts;
  const { app } = electron;
  const now = opts.now ?? Date.now;
  const log = opts.log ?? (() => undefined);

  registerAppScheme(electron);
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return null;
  }
  if (platform === 'win32') app.setAppUserModelId(APP_USER_MODEL_ID);

  let quitting = false;
  let closed = false;
  let tray: TrayController | null = null;
  let last: HealthSnapshot | null = null;
  let unregisterIpc: () => void = () => undefined;

  const origin = rendererOrigin(opts.devServerUrl);
  const window = new DashboardWindow({
    electron,
    preloadPath: paths.preload,
    isQuitting: () => quitting,
    origin,
  });
  const notifier = new DesktopNotifier({
    electron,
    open: (target) => window.open(target),
    openFile: (file) => void electron.shell.openPath(file),
    mutedUntil: () => last?.mutedUntil ?? 0,
    now,
    icon: path.join(paths.iconsDir, APP_ICON),
  });

  app.on('second-instance', () => window.open());
  app.on('activate', () => window.open());
  // A tray app outlives its window: without this listener Electron quits on close.
  app.on('window-all-closed', () => undefined);
  app.on('before-quit', () => {
    quitting = true;
  });

  const monitorReady = opts.startMonitor();

  app.on('will-quit', (e) => {
    if (closed) return;
    e.preventDefault();
    void shutdown().finally(() => {
      closed = true;
      app.quit();
    });
  });

  async function shutdown(): Promise<void> {
    unregisterIpc();
    tray?.destroy();
    tray = null;
    const monitor = await monitorReady.catch(() => null);
    if (!monitor) return;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, opts.closeTimeoutMs ?? 5_000);
    });
    await Promise.race([monitor.close().catch((err) => log(`close: ${errorText(err)}`)), timeout]);
    clearTimeout(timer);
  }

  function applyHealth(h: HealthSnapshot): void {
    last = h;
    tray?.update(h);
    window.send(PUSH_CHANNELS.health, h);
  }

  const ready = app.whenReady().then(async () => {
    handleAppScheme(electron, paths.rendererDir);
    const ses = electron.session.defaultSession;
    ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
    ses.setPermissionCheckHandler(() => false);

    let monitor: RemoteMonitor | null = null;
    let initial: HealthSnapshot;
    try {
      monitor = await monitorReady;
      initial = await monitor.health();
    } catch (err) {
      log(`core did not start: ${errorText(err)}`);
      initial = failedSnapshot(err, now());
      notifier.notice('OpsPulse could not start', errorText(err));
    }
    last = initial;

    const api = monitor;
    const withCore = (run: (m: RemoteMonitor) => Promise<HealthSnapshot>) => {
      if (!api) return;
      run(api).then(applyHealth, (err) => notifier.notice('OpsPulse', errorText(err)));
    };

    tray = new TrayController(
      {
        electron,
        iconsDir: paths.iconsDir,
        platform,
        loginItem: opts.loginItem,
        now,
        actions: {
          openDashboard: (target) => window.open(target),
          exportReport: (hours: number, format: ReportFormat) => {
            if (!api) return;
            void exportReportToFile(
              {
                api,
                electron,
                defaultDir: app.getPath('downloads'),
                notify: (title, body, onClick) => notifier.notice(title, body, onClick),
                now,
              },
              hours,
              format,
            );
          },
          setPaused: (paused) => withCore((m) => m.setPaused(paused)),
          mute: (until) => withCore((m) => m.mute(until)),
          setStartAtLogin: (on) => {
            try {
              opts.loginItem.set(on);
            } catch (err) {
              notifier.notice('Start at login', errorText(err));
            }
            tray?.refresh();
          },
          quit: () => app.quit(),
        },
      },
      initial,
    );

    if (api) {
      unregisterIpc = registerIpc(
        electron.ipcMain,
        api,
        trustOnly(() => window.webContentsId(), origin.isOurs),
        log,
      );
      api.onHealth(applyHealth);
      api.onSample((s) => window.send(PUSH_CHANNELS.sample, s));
      api.onNotification((n) => notifier.show(n));
      api.onDisposed((reason) => {
        if (quitting) return;
        log(`core stopped: ${reason.message}`);
        applyHealth(failedSnapshot(reason, now()));
        notifier.notice('OpsPulse stopped monitoring', reason.message);
      });
    }
  });

  return { ready, window, notifier, tray: () => tray };
}
