/**
 * The part of Electron the shell uses, as an interface. The real module is injected by
 * index.ts (the only runtime import of 'electron'); tests inject fakes and run under plain
 * Node. test/shell/electron-types.test.ts proves the real typings satisfy it.
 */

/** A menu item as the shell builds it; a subset of Electron's MenuItemConstructorOptions. */
export interface MenuItemSpec {
  label?: string;
  type?: 'normal' | 'separator' | 'submenu' | 'checkbox' | 'radio';
  enabled?: boolean;
  checked?: boolean;
  toolTip?: string;
  submenu?: MenuItemSpec[];
  click?: () => void;
}

export type MenuLike = object;

export interface TrayLike {
  /** A file path: Electron treats a name ending in `Template` as a macOS template image. */
  setImage(image: string): void;
  setToolTip(toolTip: string): void;
  setTitle(title: string): void;
  setContextMenu(menu: MenuLike | null): void;
  on(event: 'click', listener: () => void): unknown;
  destroy(): void;
}

export interface NotificationOptions {
  title: string;
  body: string;
  silent?: boolean;
  urgency?: 'normal' | 'critical' | 'low';
  /** A PNG path; Linux shows a generic icon without one. */
  icon?: string;
}

export interface NotificationLike {
  on(event: 'click', listener: () => void): unknown;
  show(): void;
  close(): void;
}

export interface WebPreferencesSpec {
  preload: string;
  sandbox: true;
  contextIsolation: true;
  nodeIntegration: false;
  nodeIntegrationInWorker: false;
  nodeIntegrationInSubFrames: false;
  webSecurity: true;
  allowRunningInsecureContent: false;
  webviewTag: false;
  spellcheck: boolean;
}

export interface WindowOptionsSpec {
  width: number;
  height: number;
  minWidth?: number;
  minHeight?: number;
  show: boolean;
  title: string;
  autoHideMenuBar?: boolean;
  backgroundColor?: string;
  webPreferences: WebPreferencesSpec;
}

export interface PreventableEvent {
  preventDefault(): void;
}

export interface WebContentsLike {
  readonly id: number;
  send(channel: string, ...args: unknown[]): void;
  setWindowOpenHandler(handler: () => { action: 'deny' }): void;
  on(event: 'will-navigate', listener: (e: PreventableEvent, url: string) => void): unknown;
  on(event: 'will-redirect', listener: (e: PreventableEvent, url: string) => void): unknown;
  on(event: 'will-attach-webview', listener: (e: PreventableEvent) => void): unknown;
  isDestroyed(): boolean;
}

export interface BrowserWindowLike {
  readonly webContents: WebContentsLike;
  loadURL(url: string): Promise<void>;
  show(): void;
  hide(): void;
  focus(): void;
  restore(): void;
  isMinimized(): boolean;
  isDestroyed(): boolean;
  on(event: 'close', listener: (e: PreventableEvent) => void): unknown;
  on(event: 'closed', listener: () => void): unknown;
  once(event: 'ready-to-show', listener: () => void): unknown;
}

/** What the IPC wrapper reads from an invoke event to decide whether to trust it. */
export interface InvokeEventLike {
  readonly sender: { readonly id: number };
  readonly senderFrame: { readonly url: string } | null;
}

export interface IpcMainLike {
  handle(
    channel: string,
    listener: (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown> | unknown,
  ): void;
  removeHandler(channel: string): void;
}

export interface SessionLike {
  setPermissionRequestHandler(
    handler: (
      webContents: unknown,
      permission: string,
      callback: (granted: boolean) => void,
    ) => void,
  ): void;
  setPermissionCheckHandler(handler: () => boolean): void;
}

export interface SchemePrivileges {
  scheme: string;
  privileges: {
    standard: boolean;
    secure: boolean;
    supportFetchAPI: boolean;
    corsEnabled?: boolean;
    stream?: boolean;
  };
}

export interface AppLike {
  readonly isPackaged: boolean;
  whenReady(): Promise<void>;
  quit(): void;
  requestSingleInstanceLock(): boolean;
  setAppUserModelId(id: string): void;
  getPath(name: 'downloads' | 'documents' | 'home' | 'userData'): string;
  getLoginItemSettings(): { openAtLogin: boolean };
  setLoginItemSettings(settings: { openAtLogin: boolean }): void;
  on(event: 'second-instance', listener: () => void): unknown;
  /** macOS: the dock icon was clicked. */
  on(event: 'activate', listener: () => void): unknown;
  on(event: 'window-all-closed', listener: () => void): unknown;
  on(event: 'before-quit', listener: () => void): unknown;
  on(event: 'will-quit', listener: (e: PreventableEvent) => void): unknown;
}

export interface ElectronLike {
  app: AppLike;
  Tray: new (image: string) => TrayLike;
  Menu: { buildFromTemplate(template: MenuItemSpec[]): MenuLike };
  Notification: { new (options: NotificationOptions): NotificationLike; isSupported(): boolean };
  BrowserWindow: new (options: WindowOptionsSpec) => BrowserWindowLike;
  ipcMain: IpcMainLike;
  dialog: {
    showSaveDialog(options: {
      title?: string;
      defaultPath?: string;
      filters?: { name: string; extensions: string[] }[];
    }): Promise<{ canceled: boolean; filePath?: string }>;
  };
  shell: { showItemInFolder(fullPath: string): void; openPath(path: string): Promise<string> };
  protocol: {
    registerSchemesAsPrivileged(schemes: SchemePrivileges[]): void;
    handle(scheme: string, handler: (request: Request) => Response | Promise<Response>): void;
  };
  session: { readonly defaultSession: SessionLike };
}
