import type { BrowserWindowLike, ElectronLike, WindowOptionsSpec } from './electron-api';
import { APP_ENTRY, rendererOrigin, type RendererOrigin } from './protocol';

export interface DashboardWindowOptions {
  electron: Pick<ElectronLike, 'BrowserWindow'>;
  preloadPath: string;
  /** While false, closing hides the window and the app stays in the tray. */
  isQuitting(): boolean;
  /** Default: app://opspulse only. */
  origin?: RendererOrigin;
  /** A page that failed to load (default: written to stderr). */
  onLoadError?: (message: string) => void;
}

/** The renderer reads the target to focus from the URL fragment: `#target=<id>`. */
export function dashboardUrl(target?: string, entry: string = APP_ENTRY): string {
  const base = entry.replace(/#.*$/, '');
  return target ? `${base}#target=${encodeURIComponent(target)}` : base;
}

export function secureWindowOptions(preloadPath: string): WindowOptionsSpec {
  return {
    width: 1200,
    height: 800,
    minWidth: 720,
    minHeight: 480,
    show: false,
    title: 'OpsPulse',
    autoHideMenuBar: true,
    backgroundColor: '#1f232a',
    webPreferences: {
      preload: preloadPath,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  };
}

/**
 * The dashboard window, created on first use and then hidden rather than closed. It may
 * only ever show our own app:// pages: navigation elsewhere, new windows and webviews
 * are refused.
 */
export class DashboardWindow {
  private win: BrowserWindowLike | null = null;
  private readonly origin: RendererOrigin;

  constructor(private readonly opts: DashboardWindowOptions) {
    this.origin = opts.origin ?? rendererOrigin();
  }

  /** Shows the dashboard, focused on a target when one is given. */
  open(target?: string): void {
    const existing = this.win && !this.win.isDestroyed() ? this.win : null;
    const win = existing ?? this.create();
    if (existing) {
      if (target !== undefined) this.load(win, dashboardUrl(target, this.origin.entry));
      if (win.isMinimized()) win.restore();
      win.show();
      win.focus();
    } else {
      win.once('ready-to-show', () => win.show());
      this.load(win, dashboardUrl(target, this.origin.entry));
    }
  }

  /** The id IPC senders are checked against; null while there is no window. */
  webContentsId(): number | null {
    return this.win && !this.win.isDestroyed() ? this.win.webContents.id : null;
  }

  /** Pushes to our renderer only; a hidden window still gets live data. */
  send(channel: string, payload: unknown): void {
    const wc = this.win && !this.win.isDestroyed() ? this.win.webContents : null;
    if (wc && !wc.isDestroyed()) wc.send(channel, payload);
  }

  /**
   * loadURL rejects when a load fails, and also when a newer navigation supersedes it
   * (ERR_ABORTED, e.g. focusing another target): only a real failure is reported, and the
   * window is shown anyway, since 'ready-to-show' may then never come.
   */
  private load(win: BrowserWindowLike, url: string): void {
    win.loadURL(url).catch((err: unknown) => {
      const message = err instanceof Error ? err.message : String(err);
      if (/ERR_ABORTED|\(-3\)/.test(message)) return;
      const report = this.opts.onLoadError ?? ((m: string) => console.error(`opspulse: ${m}`));
      report(`the dashboard did not load (${url}): ${message}`);
      if (!win.isDestroyed()) win.show();
    });
  }

  private create(): BrowserWindowLike {
    const win = new this.opts.electron.BrowserWindow(secureWindowOptions(this.opts.preloadPath));
    const wc = win.webContents;
    wc.setWindowOpenHandler(() => ({ action: 'deny' }));
    const keepInApp = (e: { preventDefault(): void }, url: string) => {
      if (!this.origin.isOurs(url)) e.preventDefault();
    };
    wc.on('will-navigate', keepInApp);
    wc.on('will-redirect', keepInApp);
    wc.on('will-attach-webview', (e) => e.preventDefault());
    win.on('close', (e) => {
      if (this.opts.isQuitting()) return;
      e.preventDefault();
      win.hide();
    });
    win.on('closed', () => {
      if (this.win === win) this.win = null;
    });
    this.win = win;
    return win;
  }
}
