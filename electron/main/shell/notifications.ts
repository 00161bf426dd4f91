import type { Notification } from '../../../shared/notification';
import type { ElectronLike, NotificationLike, NotificationOptions } from './electron-api';
import { desktopText } from './notification-text';

export interface DesktopNotifierOptions {
  electron: Pick<ElectronLike, 'Notification'>;
  /** Where a click goes: the dashboard, on the target when there is exactly one. */
  open(target?: string): void;
  /** Where a click on a notification about a file goes (a scheduled report). */
  openFile?(file: string): void;
  /** Unix ms until which notifications are muted (0 or less: not muted). */
  mutedUntil(): number;
  now: () => number;
  /** The same notification twice within this window is shown once. */
  dedupeMs?: number;
  /** The app icon, shown beside the text. */
  icon?: string;
}

/** Electron drops click handlers of notifications that were garbage-collected. */
const KEEP_ALIVE = 20;

/**
 * Shows the alert engine's notifications natively. The engine already applies hysteresis,
 * cooldown and storm grouping; this guards the last step: muting, and the same notice
 * arriving twice (a worker restart replaying, two rules with one message).
 */
export class DesktopNotifier {
  private readonly recent = new Map<string, number>();
  private readonly alive: NotificationLike[] = [];

  constructor(private readonly opts: DesktopNotifierOptions) {}

  /** True when it was shown. */
  show(n: Notification): boolean {
    const { opts } = this;
    const now = opts.now();
    if (opts.mutedUntil() > now) return false;
    if (!opts.electron.Notification.isSupported()) return false;
    const key = dedupeKey(n);
    const window = opts.dedupeMs ?? 60_000;
    for (const [k, t] of this.recent) if (now - t >= window) this.recent.delete(k);
    if (this.recent.has(key)) return false;
    this.recent.set(key, now);

    const target = n.targets.length === 1 ? n.targets[0] : undefined;
    this.display(
      {
        ...desktopText(n.title, n.body),
        silent: n.level === 'ok',
        urgency: n.level === 'crit' ? 'critical' : 'normal',
      },
      () => (n.open !== undefined && opts.openFile ? opts.openFile(n.open) : opts.open(target)),
    );
    return true;
  }

  /** A notice the user asked for (an export finished): shown even while muted. */
  notice(title: string, body: string, onClick?: () => void): void {
    if (!this.opts.electron.Notification.isSupported()) return;
    this.display({ title, body }, onClick);
  }

  private display(options: NotificationOptions, onClick?: () => void): void {
    const icon = this.opts.icon;
    const note = new this.opts.electron.Notification(icon ? { ...options, icon } : options);
    if (onClick) note.on('click', onClick);
    this.alive.push(note);
    if (this.alive.length > KEEP_ALIVE) this.alive.shift();
    note.show();
  }
}

function dedupeKey(n: Notification): string {
  return [n.kind, n.level, [...n.targets].sort().join(','), n.title, n.body].join('\u0000');
}
