import { WEEKDAYS, type MaintenanceWindow } from '../../../shared/config-schema';

const DAY_MS = 86_400_000;

function weeklyActive(w: MaintenanceWindow, t: number): boolean {
  if (!w.days || !w.at || !w.minutes) return false;
  const [hh, mm] = w.at.split(':').map(Number);
  const days = new Set(w.days);
  // A window may run up to 7 days, so one that started on any of the last 8 days counts.
  for (let back = 0; back <= 7; back++) {
    const d = new Date(t - back * DAY_MS);
    d.setHours(hh, mm, 0, 0);
    if (!days.has(WEEKDAYS[d.getDay()])) continue;
    const start = d.getTime();
    if (start <= t && t < start + w.minutes * 60_000) return true;
  }
  return false;
}

/** Whether a window is on at `t` (one-off in absolute time, weekly in local time). */
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
