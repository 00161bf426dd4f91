import type { AlertEvent } from '../../../shared/events';
import type {
  Notification,
  NotificationKind,
  NotificationLevel,
} from '../../../shared/notification';

/** One thing worth telling the user about, before grouping. */
export interface NotifyItem {
  kind: Exclude<NotificationKind, 'storm' | 'report' | 'summary'>;
  level: NotificationLevel;
  /** Target id, or rule id for a rule not tied to a target. */
  id: string;
  /** Display name. */
  subject: string;
  title: string;
  message: string;
  events: AlertEvent[];
}

const LEVEL_RANK: Record<NotificationLevel, number> = { ok: 0, warn: 1, crit: 2 };
const KIND_ORDER: NotifyItem['kind'][] = ['down', 'storage', 'degraded', 'flapping', 'recovered'];
const NAMES_PER_LINE = 10;

function namesLine(items: NotifyItem[]): string {
  const names = items.slice(0, NAMES_PER_LINE).map((i) => i.subject);
  const more = items.length - names.length;
  return more > 0 ? `${names.join(', ')} … (+${more} more)` : names.join(', ');
}

/**
 * Storm control: everything from one tick becomes at most one notification. A single item
 * is passed through; several become "7 targets down" with the names listed by kind.
 */
export function groupNotifications(items: readonly NotifyItem[], t: number): Notification | null {
  if (items.length === 0) return null;
  const events = items.flatMap((i) => i.events);
  const targets = [...new Set(items.map((i) => i.id))];
  if (items.length === 1) {
    const [i] = items;
    return {
      t,
      kind: i.kind,
      level: i.level,
      title: i.title,
      body: i.message,
      targets,
      events,
    };
  }
  let level: NotificationLevel = 'ok';
  for (const i of items) if (LEVEL_RANK[i.level] > LEVEL_RANK[level]) level = i.level;
  const byKind = KIND_ORDER.map((k) => [k, items.filter((i) => i.kind === k)] as const).filter(
    ([, list]) => list.length > 0,
  );
  const counts = byKind.map(([k, list]) => `${list.length} ${k}`);
  const title =
    byKind.length === 1
      ? `${items.length} targets ${byKind[0][0]}`
      : `${items.length} changes: ${counts.join(', ')}`;
  const body = byKind.map(([k, list]) => `${k}: ${namesLine(list)}`).join('\n');
  return { t, kind: 'storm', level, title, body, targets, events };
}
