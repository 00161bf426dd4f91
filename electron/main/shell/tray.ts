import {
  VERDICT_LABEL,
  verdictOf,
  type HealthSnapshot,
  type HealthState,
} from '../../../shared/health';
import type { ElectronLike, MenuItemSpec, TrayLike } from './electron-api';
import { trayIconPath } from './icons';
import { buildTrayMenu, overallLabel, type TrayActions } from './tray-menu';

export interface TrayOptions {
  electron: Pick<ElectronLike, 'Tray' | 'Menu'>;
  iconsDir: string;
  platform: NodeJS.Platform;
  actions: TrayActions;
  loginItem: { supported: boolean; get(): boolean };
  now: () => number;
}

/** Windows truncates tray tooltips at 127 characters. */
const MAX_TOOLTIP = 127;

/** "OpsPulse: 1 down: Local LLM · 4 ok · Local LLM down since 17:05". */
export function tooltipFor(snapshot: HealthSnapshot): string {
  const worst = snapshot.paused
    ? undefined
    : snapshot.targets.find((t) => verdictOf(t) === verdictOf(snapshot) && t.since !== undefined);
  const since =
    worst && verdictOf(snapshot) !== 'ok' && worst.since !== undefined
      ? ` · ${worst.name} ${VERDICT_LABEL[verdictOf(worst)].toLowerCase()} since ${clock(worst.since)}`
      : '';
  const line = `OpsPulse: ${snapshot.summary}${since}`.replace(/\s+/g, ' ');
  return line.length <= MAX_TOOLTIP ? line : `${line.slice(0, MAX_TOOLTIP - 1)}…`;
}

/**
 * The tray icon, tooltip, macOS title and menu, following the health snapshots the core
 * publishes after every tick. Only what changed is pushed to Electron: rebuilding an open
 * menu on every tick makes some Linux panels close it.
 */
export class TrayController {
  private readonly tray: TrayLike;
  private state: HealthState | null = null;
  private tooltip = '';
  private menuKey = '';
  private last: HealthSnapshot | null = null;

  constructor(
    private readonly opts: TrayOptions,
    initial: HealthSnapshot,
  ) {
    this.tray = new opts.electron.Tray(trayIconPath(opts.iconsDir, initial.overall, opts.platform));
    this.state = initial.overall;
    if (opts.platform !== 'darwin') this.tray.on('click', () => opts.actions.openDashboard());
    this.update(initial);
  }

  update(snapshot: HealthSnapshot): void {
    this.last = snapshot;
    const { opts, tray } = this;
    if (snapshot.overall !== this.state) {
      this.state = snapshot.overall;
      tray.setImage(trayIconPath(opts.iconsDir, snapshot.overall, opts.platform));
    }
    if (opts.platform === 'darwin') tray.setTitle(overallLabel(snapshot));
    const tooltip = tooltipFor(snapshot);
    if (tooltip !== this.tooltip) {
      this.tooltip = tooltip;
      tray.setToolTip(tooltip);
    }
    const template = buildTrayMenu(
      {
        snapshot,
        startAtLogin: opts.loginItem.get(),
        loginItemSupported: opts.loginItem.supported,
        now: opts.now,
      },
      opts.actions,
    );
    const key = menuKey(template);
    if (key !== this.menuKey) {
      this.menuKey = key;
      tray.setContextMenu(opts.electron.Menu.buildFromTemplate(template));
    }
  }

  /** Rebuilds from the last snapshot, e.g. after the login toggle changed. */
  refresh(): void {
    if (this.last) this.update(this.last);
  }

  destroy(): void {
    this.tray.destroy();
  }
}

function menuKey(items: MenuItemSpec[]): string {
  return JSON.stringify(items, (k, v: unknown) => (k === 'click' ? undefined : v));
}

function clock(t: number): string {
  const d = new Date(t);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}
