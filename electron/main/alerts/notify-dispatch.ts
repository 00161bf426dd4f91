import type { AlertEvent } from '../../../shared/events';
import type { LineLogger, Notifier } from '../notifiers/notifier';
import { subject } from './alert-messages';
import { DOWN_RULE, type KeyState } from './alert-state';
import { formatDuration } from './format';
import { groupNotifications, type NotifyItem } from './group';
import { STORAGE_ID } from './health-snapshot';
import type { MachineState } from './hysteresis';
import { holdReason } from './notify-holds';
import type { Tick } from './tick';
import { SLO_RULE } from '../slo/slo-alerts';

type Notified = KeyState['notified'];

function notifiedClass(s: MachineState): Notified {
  return s === 'unknown' ? 'ok' : s;
}

/**
 * What to tell the user: what changed since they were last told, marked as told. Working
 * from "last notified" rather than from this tick's events makes mutes, maintenance,
 * dependencies and flapping all hold notifications the same way and release exactly
 * what is still true.
 */
export function dueNotifications(keys: Record<string, KeyState>, tick: Tick): NotifyItem[] {
  const items: NotifyItem[] = [];
  const reminders = tick.config.alerts.reminders;
  for (const k of Object.values(keys)) {
    if (holdReason(k, tick, keys) !== undefined) continue;
    if (k.flapping) {
      if (!k.flapNotified) {
        k.flapNotified = true;
        const name = subject(k, tick.targets, tick.config.rules);
        items.push({
          kind: 'flapping',
          level: 'warn',
          id: k.target ?? k.rule,
          subject: name,
          title: `${name} is flapping`,
          message: `${k.changes.length} state changes recently; now ${k.state}. No more notifications until it settles.`,
          events: [],
        });
      }
      continue;
    }
    const cls = notifiedClass(k.state);
    if (cls !== k.notified) {
      items.push(transitionItem(k, subject(k, tick.targets, tick.config.rules), cls, tick.events));
      k.notified = cls;
      k.notifiedAt = tick.t;
    } else if (
      reminders.enabled &&
      cls === 'crit' &&
      tick.t - k.notifiedAt >= reminders.everyMin * 60_000
    ) {
      k.notifiedAt = tick.t;
      const name = subject(k, tick.targets, tick.config.rules);
      items.push({
        kind: k.rule === DOWN_RULE ? 'down' : 'degraded',
        level: 'crit',
        id: k.target ?? k.rule,
        subject: name,
        title: `Still ${k.rule === DOWN_RULE ? 'down' : 'critical'}: ${name}`,
        message: `${k.message} (since ${formatDuration(tick.t - k.since)} ago)`,
        events: [],
      });
    }
  }
  return items.filter((i) => wanted(i, tick));
}

/** A target's `notifyOn` leaves some transitions out (they are marked told all the same). */
function wanted(i: NotifyItem, tick: Tick): boolean {
  const only = tick.targets.get(i.id)?.notifyOn;
  return only === undefined || i.kind === 'storage' || (only as string[]).includes(i.kind);
}

function transitionItem(
  k: KeyState,
  name: string,
  cls: Notified,
  tickEvents: readonly AlertEvent[],
): NotifyItem {
  const events = tickEvents.filter(
    (e) => e.rule === k.rule && e.target === k.target && e.from !== e.to,
  );
  const base = { id: k.target ?? k.rule, subject: name, message: k.message, events };
  if (cls === 'ok')
    return {
      ...base,
      kind: 'recovered',
      level: 'ok',
      title:
        k.rule === DOWN_RULE
          ? `${name} recovered`
          : k.rule === SLO_RULE
            ? `${name}: burn rate back within budget`
            : `${name} back to normal`,
    };
  if (k.rule === DOWN_RULE)
    return { ...base, kind: 'down', level: 'crit', title: `${name} is down` };
  if (k.rule === SLO_RULE)
    return {
      ...base,
      kind: 'degraded',
      level: cls,
      title: `${name}: error budget burning ${cls === 'crit' ? 'fast (page)' : '(ticket)'}`,
    };
  return {
    ...base,
    kind: 'degraded',
    level: cls,
    title: `${name} is ${cls === 'crit' ? 'critical' : 'degraded'}`,
  };
}

/** The notification for a change in whether samples can be stored. */
export function storageItem(event: AlertEvent, ok: boolean): NotifyItem {
  return {
    kind: 'storage',
    level: ok ? 'ok' : 'crit',
    id: STORAGE_ID,
    subject: 'Storage',
    title: ok ? 'Storage recovered' : 'Storage problem',
    message: event.message,
    events: [event],
  };
}

/** Sends `items` as at most one notification; a failing notifier is logged, not thrown. */
export function sendGrouped(
  notifier: Notifier,
  items: NotifyItem[],
  t: number,
  logger: LineLogger | undefined,
): void {
  const n = groupNotifications(items, t);
  if (!n) return;
  try {
    notifier.notify(n);
  } catch (err) {
    logger?.warn(`notifier failed: ${err instanceof Error ? err.message : String(err)}`);
  }
}
