import type { Notification } from '../../../shared/notification';
import type { LineLogger, Notifier } from './notifier';

/** One line for a notification: `[crit] 7 targets down — down: a, b, c`. */
export function notificationLine(n: Notification): string {
  const body = n.body.replace(/\s*\n\s*/g, '; ');
  // Single-event bodies usually repeat the title ("API is down: ECONNREFUSED").
  if (body.startsWith(n.title)) return `[${n.level}] ${body}`;
  return `[${n.level}] ${n.title}${body ? ` — ${body}` : ''}`;
}

/** Headless mode's stand-in for desktop notifications: one log line each. */
export class LogNotifier implements Notifier {
  constructor(private readonly log: LineLogger = console) {}

  notify(n: Notification): void {
    const line = `notification ${notificationLine(n)}`;
    if (n.level === 'ok') this.log.info(line);
    else this.log.warn(line);
  }
}
