import type {
  AppLike,
  BrowserWindowLike,
  ElectronLike,
  InvokeEventLike,
  IpcMainLike,
  MenuItemSpec,
  MenuLike,
  NotificationLike,
  NotificationOptions,
  PreventableEvent,
  SchemePrivileges,
  SessionLike,
  TrayLike,
  WebContentsLike,
  WindowOptionsSpec,
} from '../../electron/main/shell/electron-api';

/**
 * An in-memory Electron for driving the shell under plain Node: it records what the shell
 * asked for and lets a test fire the events Electron would (clicks, second launch, IPC).
 */

type Listener = (...args: never[]) => unknown;

class Emitter {
  private readonly listeners = new Map<string, Listener[]>();
  on(event: string, fn: Listener): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), fn]);
    return this;
  }
  once(event: string, fn: Listener): this {
    const wrapped = ((...args: never[]) => {
      this.listeners.set(
        event,
        (this.listeners.get(event) ?? []).filter((f) => f !== wrapped),
      );
      return fn(...args);
    }) as Listener;
    return this.on(event, wrapped);
  }
  emit(event: string, ...args: unknown[]): void {
    for (const fn of this.listeners.get(event) ?? []) (fn as (...a: unknown[]) => unknown)(...args);
  }
  count(event: string): number {
    return this.listeners.get(event)?.length ?? 0;
  }
}

export class FakeMenu {
  constructor(readonly template: MenuItemSpec[]) {}
}

export class FakeTray extends Emitter implements TrayLike {
  static all: FakeTray[] = [];
  images: string[] = [];
  toolTip = '';
  title = '';
  menu: FakeMenu | null = null;
  menuBuilds = 0;
  destroyed = false;
  constructor(image: string) {
    super();
    this.images.push(image);
    FakeTray.all.push(this);
  }
  setImage(image: string): void {
    this.images.push(image);
  }
  setToolTip(t: string): void {
    this.toolTip = t;
  }
  setTitle(t: string): void {
    this.title = t;
  }
  setContextMenu(menu: MenuLike | null): void {
    this.menu = menu as FakeMenu | null;
    this.menuBuilds++;
  }
  destroy(): void {
    this.destroyed = true;
  }
}

export class FakeNotification extends Emitter implements NotificationLike {
  static shown: FakeNotification[] = [];
  static supported = true;
  constructor(readonly options: NotificationOptions) {
    super();
  }
  static isSupported(): boolean {
    return FakeNotification.supported;
  }
  show(): void {
    FakeNotification.shown.push(this);
  }
  close(): void {}
  click(): void {
    this.emit('click');
  }
}

let nextWebContentsId = 100;

export class FakeWebContents extends Emitter implements WebContentsLike {
  readonly id = nextWebContentsId++;
  sent: { channel: string; args: unknown[] }[] = [];
  openHandler: (() => { action: 'deny' }) | null = null;
  destroyed = false;
  send(channel: string, ...args: unknown[]): void {
    this.sent.push({ channel, args });
  }
  setWindowOpenHandler(handler: () => { action: 'deny' }): void {
    this.openHandler = handler;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  /** Fires a preventable event the way Electron does; true when the shell prevented it. */
  fire(event: 'will-navigate' | 'will-redirect' | 'will-attach-webview', url = ''): boolean {
    let prevented = false;
    const e: PreventableEvent = { preventDefault: () => (prevented = true) };
    this.emit(event, e, url);
    return prevented;
  }
}

export class FakeWindow extends Emitter implements BrowserWindowLike {
  static all: FakeWindow[] = [];
  readonly webContents = new FakeWebContents();
  urls: string[] = [];
  visible = false;
  focused = 0;
  minimized = false;
  destroyed = false;
  constructor(readonly options: WindowOptionsSpec) {
    super();
    FakeWindow.all.push(this);
  }
  async loadURL(url: string): Promise<void> {
    this.urls.push(url);
    if (this.urls.length === 1) this.emit('ready-to-show');
  }
  show(): void {
    this.visible = true;
  }
  hide(): void {
    this.visible = false;
  }
  focus(): void {
    this.focused++;
  }
  restore(): void {
    this.minimized = false;
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  /** The user closes the window; true when the shell kept it (hid it instead). */
  userClose(): boolean {
    let prevented = false;
    this.emit('close', { preventDefault: () => (prevented = true) });
    if (!prevented) {
      this.destroyed = true;
      this.webContents.destroyed = true;
      this.emit('closed');
    }
    return prevented;
  }
}

export class FakeIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, (event: InvokeEventLike, ...args: unknown[]) => unknown>();
  handle(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => unknown): void {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  /** What `ipcRenderer.invoke` would resolve with, from a given sender. */
  async invoke(sender: InvokeEventLike, channel: string, ...args: unknown[]): Promise<unknown> {
    const h = this.handlers.get(channel);
    if (!h) throw new Error(`No handler registered for '${channel}'`);
    return h(sender, ...structuredClone(args));
  }
}

export class FakeSession implements SessionLike {
  requestHandler:
    ((wc: unknown, permission: string, cb: (granted: boolean) => void) => void) | null = null;
  checkHandler: (() => boolean) | null = null;
  setPermissionRequestHandler(
    handler: (wc: unknown, permission: string, cb: (granted: boolean) => void) => void,
  ): void {
    this.requestHandler = handler;
  }
  setPermissionCheckHandler(handler: () => boolean): void {
    this.checkHandler = handler;
  }
}

export class FakeApp extends Emitter implements AppLike {
  isPackaged = false;
  locked = true;
  quitCalls = 0;
  appUserModelId: string | null = null;
  openAtLogin = false;
  private readyResolve!: () => void;
  private readonly readyPromise = new Promise<void>((r) => (this.readyResolve = r));
  constructor(readonly downloads: string) {
    super();
  }
  whenReady(): Promise<void> {
    return this.readyPromise;
  }
  makeReady(): void {
    this.readyResolve();
  }
  /** Runs Electron's quit sequence: before-quit, then will-quit unless prevented. */
  quit(): void {
    this.quitCalls++;
    this.emit('before-quit');
    let prevented = false;
    this.emit('will-quit', { preventDefault: () => (prevented = true) });
    if (!prevented) this.emit('quit');
  }
  requestSingleInstanceLock(): boolean {
    return this.locked;
  }
  setAppUserModelId(id: string): void {
    this.appUserModelId = id;
  }
  getPath(): string {
    return this.downloads;
  }
  getLoginItemSettings(): { openAtLogin: boolean } {
    return { openAtLogin: this.openAtLogin };
  }
  setLoginItemSettings(s: { openAtLogin: boolean }): void {
    this.openAtLogin = s.openAtLogin;
  }
}

export interface FakeElectron extends ElectronLike {
  app: FakeApp;
  ipcMain: FakeIpcMain;
  session: { defaultSession: FakeSession };
  saveDialog: {
    answer: { canceled: boolean; filePath?: string };
    asked: { defaultPath?: string }[];
  };
  shown: string[];
  schemes: SchemePrivileges[];
  protocolHandlers: Map<string, (req: Request) => Response | Promise<Response>>;
}

export function createFakeElectron(downloads: string): FakeElectron {
  FakeTray.all = [];
  FakeWindow.all = [];
  FakeNotification.shown = [];
  FakeNotification.supported = true;
  const saveDialog: FakeElectron['saveDialog'] = { answer: { canceled: true }, asked: [] };
  const shown: string[] = [];
  const schemes: SchemePrivileges[] = [];
  const protocolHandlers = new Map<string, (req: Request) => Response | Promise<Response>>();
  return {
    app: new FakeApp(downloads),
    Tray: FakeTray,
    Menu: { buildFromTemplate: (template) => new FakeMenu(template) },
    Notification: FakeNotification,
    BrowserWindow: FakeWindow,
    ipcMain: new FakeIpcMain(),
    dialog: {
      async showSaveDialog(opts) {
        saveDialog.asked.push(opts);
        return saveDialog.answer;
      },
    },
    shell: {
      showItemInFolder: (p) => void shown.push(p),
      openPath: async (p) => {
        shown.push(p);
        return '';
      },
    },
    protocol: {
      registerSchemesAsPrivileged: (s) => void schemes.push(...s),
      handle: (scheme, handler) => void protocolHandlers.set(scheme, handler),
    },
    session: { defaultSession: new FakeSession() },
    saveDialog,
    shown,
    schemes,
    protocolHandlers,
  };
}

/** Finds a menu item by its path of labels (prefix match per level). */
export function menuItem(menu: MenuItemSpec[] | undefined, ...path: string[]): MenuItemSpec {
  let items = menu ?? [];
  let found: MenuItemSpec | undefined;
  for (const label of path) {
    found = items.find((i) => i.label?.startsWith(label));
    if (!found)
      throw new Error(`no menu item "${label}" in [${items.map((i) => i.label).join(', ')}]`);
    items = found.submenu ?? [];
  }
  if (!found) throw new Error('empty path');
  return found;
}

export function labels(menu: MenuItemSpec[]): string[] {
  return menu.map((i) => (i.type === 'separator' ? '---' : (i.label ?? '')));
}
