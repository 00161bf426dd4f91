import type { Notification } from '../../../shared/notification';

/**
 * Where notifications go: the desktop (Electron shell), a log line, webhooks. `notify`
 * must return at once; anything slow (network) happens in the background.
 */
export interface Notifier {
  notify(n: Notification): void;
}

/** The log a notifier writes to; a pino logger fits, and so does `console`. */
export interface LineLogger {
  info(msg: string): void;
  warn(msg: string): void;
}

/** Sends each notification to every notifier; one that throws does not stop the others. */
export class FanOutNotifier implements Notifier {
  constructor(
    private readonly notifiers: readonly Notifier[],
    private readonly log?: LineLogger,
  ) {}

  notify(n: Notification): void {
    for (const target of this.notifiers) {
      try {
        target.notify(n);
      } catch (err) {
        this.log?.warn(`notifier failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }
}
