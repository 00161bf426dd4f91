import { Cron } from 'croner';
import { WEEKDAYS, type ReportsConfig } from '../../../shared/config-schema';

export type PeriodKind = 'weekly' | 'monthly';

/** A calendar week or month in the schedule's time zone: [from, to). */
export interface CalendarPeriod {
  kind: PeriodKind;
  from: number;
  to: number;
}

type Schedule = ReportsConfig['schedule'];

function cron(pattern: string, timeZone: string | undefined): Cron {
  return new Cron(pattern, { paused: true, ...(timeZone ? { timezone: timeZone } : {}) });
}

function hm(at: string): [number, number] {
  const [h, m] = at.split(':').map(Number);
  return [h, m];
}

/**
 * Where periods begin: 00:00 local on the schedule's weekday, and on the 1st. croner
 * steps calendar fields in the zone, so a 23- or 25-hour day stays one day.
 */
function boundaryCron(kind: PeriodKind, schedule: Schedule): Cron {
  return kind === 'weekly'
    ? cron(`0 0 0 * * ${WEEKDAYS.indexOf(schedule.weekly.day)}`, schedule.timeZone)
    : cron('0 0 0 1 * *', schedule.timeZone);
}

function fireCron(kind: PeriodKind, schedule: Schedule): Cron {
  if (kind === 'weekly') {
    const [h, m] = hm(schedule.weekly.at);
    return cron(`0 ${m} ${h} * * ${WEEKDAYS.indexOf(schedule.weekly.day)}`, schedule.timeZone);
  }
  const [h, m] = hm(schedule.monthly.at);
  return cron(`0 ${m} ${h} ${schedule.monthly.day} * *`, schedule.timeZone);
}

/** The latest scheduled time at or before `now`. */
export function latestFire(kind: PeriodKind, schedule: Schedule, now: number): number | null {
  const [d] = fireCron(kind, schedule).previousRuns(1, new Date(now + 1));
  return d ? d.getTime() : null;
}

/** The next scheduled time after `now`. */
export function nextFire(kind: PeriodKind, schedule: Schedule, now: number): number | null {
  return fireCron(kind, schedule).nextRun(new Date(now))?.getTime() ?? null;
}

/** The whole period that ended last at or before `t` (last week, last month). */
export function periodBefore(kind: PeriodKind, schedule: Schedule, t: number): CalendarPeriod {
  const [to, from] = boundaryCron(kind, schedule).previousRuns(2, new Date(t + 1));
  return { kind, from: from.getTime(), to: to.getTime() };
}

/** The period of the same kind just before `p` (for the comparison). */
export function previousPeriod(p: CalendarPeriod, schedule: Schedule): CalendarPeriod {
  return periodBefore(p.kind, schedule, p.from);
}

/** "week of 23 Mar 2026" / "March 2026", in the schedule's zone. */
export function periodLabel(p: CalendarPeriod, timeZone: string | undefined): string {
  const tz = timeZone ? { timeZone } : {};
  if (p.kind === 'monthly')
    return new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', ...tz }).format(
      p.from,
    );
  const day = new Intl.DateTimeFormat('en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    ...tz,
  }).format(p.from);
  return `week of ${day}`;
}

/** YYYY-MM-DD (weekly) or YYYY-MM (monthly) of the period's start, for file names. */
export function periodKey(p: CalendarPeriod, timeZone: string | undefined): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    ...(timeZone ? { timeZone } : {}),
  }).format(p.from);
  return p.kind === 'monthly' ? parts.slice(0, 7) : parts;
}
