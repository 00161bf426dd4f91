import type { AlertEvent } from './events';

/** What a notification is about; the Electron shell picks an icon and sound from it. */
export type NotificationKind =
  | 'down'
  | 'degraded'
  | 'recovered'
  | 'storm'
  | 'flapping'
  | 'storage'
  /** A scheduled report was written (`open` is its file). */
  | 'report'
  /** One notice summing up others: the end of quiet hours, "while you were away". */
  | 'summary';

export type NotificationLevel = 'crit' | 'warn' | 'ok';

/**
 * One thing to tell the user: a desktop notification, a log line or a webhook call. Many
 * transitions in one tick arrive as a single `storm` notification listing them all.
 */
export interface Notification {
  /** Unix ms. */
  t: number;
  kind: NotificationKind;
  level: NotificationLevel;
  title: string;
  body: string;
  /** Target ids involved (rule ids for rules not tied to a target). */
  targets: string[];
  /** The transitions behind it, for webhooks and the incident log. */
  events: AlertEvent[];
  /** A file a click opens instead of the dashboard (a scheduled report). */
  open?: string;
}
