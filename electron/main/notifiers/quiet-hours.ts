import type { QuietHours } from '../../../shared/config-schema';
import type { Notification } from '../../../shared/notification';

function minutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
}

/** Minutes since local midnight at `t` in `timeZone` (the machine's zone when omitted). */
function minuteOfDay(t: number, timeZone: string | undefined): number {
  const parts = new Intl.DateTimeFormat('en-GB', {
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    ...(timeZone ? { timeZone } : {}),
  }).formatToParts(t);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return get('hour') * 60 + get('minute');
}

/** Whether `t` falls in the daily window; one spanning midnight (22:00-07:00) works too. */
export function inQuietHours(q: QuietHours, t: number): boolean {
  const m = minuteOfDay(t, q.timeZone);
  const from = minutes(q.from);
  const to = minutes(q.to);
  return from < to ? m >= from && m < to : m >= from || m < to;
}

const LISTED = 10;

/** The one notification sent when quiet hours end, for everything held in them. */
export function quietSummary(held: readonly Notification[], t: number): Notification {
  const level = held.some((n) => n.level === 'crit')
    ? 'crit'
    : held.some((n) => n.level === 'warn')
      ? 'warn'
      : 'ok';
  const lines = held
    .slice(-LISTED)
    .map((n) => `${new Date(n.t).toISOString().slice(11, 16)} ${n.title}`);
  const more = held.length - lines.length;
  return {
    t,
    kind: 'summary',
    level,
    title: `Quiet hours ended: ${held.length} notification${held.length === 1 ? '' : 's'} held`,
    body: `${more > 0 ? `(${more} earlier not listed)\n` : ''}${lines.join('\n')}`,
    targets: [...new Set(held.flatMap((n) => n.targets))],
    events: held.flatMap((n) => n.events),
  };
}

/**
 * Holds notifications while quiet hours last and releases one summary when they end (at
 * the next notification or `poll` after the window). Held ones are still logged by the
 * caller and their transitions are in the incident log.
 */
export class QuietHoursGate {
  private held: Notification[] = [];

  constructor(private quiet: QuietHours | undefined) {}

  setQuietHours(q: QuietHours | undefined): void {
    this.quiet = q;
  }

  get heldCount(): number {
    return this.held.length;
  }

  /** True when `n` is held; false when it may go out now. */
  hold(n: Notification, t: number): boolean {
    if (!this.quiet || !inQuietHours(this.quiet, t)) return false;
    this.held.push(n);
    return true;
  }

  /** The summary to send once the window is over (or quiet hours were switched off). */
  release(t: number): Notification | null {
    if (this.held.length === 0) return null;
    if (this.quiet && inQuietHours(this.quiet, t)) return null;
    const n = quietSummary(this.held, t);
    this.held = [];
    return n;
  }
}
