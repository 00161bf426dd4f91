import { Cron } from 'croner';
import { WEEKDAYS, type MaintenanceWindow } from '../../../shared/config-schema';

/** One schedule per distinct (days, at, zone): windows are checked for every target each tick. */
const schedules = new Map<string, Cron>();

/**
 * The weekly window's start times as a cron schedule in its zone. croner does the calendar
 * arithmetic: "Sunday 23:00" is 23:00 on the wall clock of that Sunday, whatever DST did
 * that weekend (a start inside a spring-forward gap moves to the end of the gap).
 */
function scheduleOf(w: MaintenanceWindow): Cron | null {
  if (!w.days || !w.at || !w.minutes) return null;
  const [hh, mm] = w.at.split(':').map(Number);
  const dow = w.days.map((d) => WEEKDAYS.indexOf(d)).join(',');
  const pattern = `${mm} ${hh} * * ${dow}`;
  const key = `${pattern}|${w.timeZone ?? ''}`;
  let cron = schedules.get(key);
  if (!cron) {
    cron = new Cron(pattern, { timezone: w.timeZone, paused: true });
    schedules.set(key, cron);
  }
  return cron;
}

function weeklyActive(w: MaintenanceWindow, t: number): boolean {
  const cron = scheduleOf(w);
  if (!cron || !w.minutes) return false;
  // The latest start at or before t decides: windows last at most 7 days and have the same
  // length, so if an earlier start still covers t, the latest does too.
  const [start] = cron.previousRuns(1, new Date(t + 1));
  return start !== undefined && t < start.getTime() + w.minutes * 60_000;
}

/** Whether a window is on at `t` (one-off in absolute time, weekly by the calendar of its zone). */
export function windowActive(w: MaintenanceWindow, t: number): boolean {
  if (w.from !== undefined && w.to !== undefined)
    return Date.parse(w.from) <= t && t < Date.parse(w.to);
  return weeklyActive(w, t);
}

/**
 * The maintenance window covering a target (or, with no target, a system rule) at `t`.
 * A window without `targets` covers everything.
 */
export function activeMaintenance(
  windows: readonly MaintenanceWindow[],
  t: number,
  target?: string,
): MaintenanceWindow | undefined {
  return windows.find(
    (w) =>
      (w.targets === undefined || (target !== undefined && w.targets.includes(target))) &&
      windowActive(w, t),
  );
}
