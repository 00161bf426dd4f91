import type { ReportFormat } from '../../../shared/api';
import {
  VERDICT_LABEL,
  verdictOf,
  verdictRank,
  type HealthSnapshot,
  type TargetHealth,
} from '../../../shared/health';
import type { MenuItemSpec } from './electron-api';

/** What the tray menu can ask for; the shell maps each onto the core or the window. */
export interface TrayActions {
  openDashboard(target?: string): void;
  exportReport(hours: number, format: ReportFormat): void;
  setPaused(paused: boolean): void;
  /** Unix ms; 0 unmutes. */
  mute(until: number): void;
  setStartAtLogin(on: boolean): void;
  quit(): void;
}

export interface TrayMenuState {
  snapshot: HealthSnapshot;
  startAtLogin: boolean;
  /** Hides the toggle where the platform has no login items the shell can manage. */
  loginItemSupported: boolean;
  /** Read when building and again on click: a menu can stay built for hours. */
  now: () => number;
}

/** The overall verdict in the one vocabulary (the macOS title shows it). */
export function overallLabel(snapshot: HealthSnapshot): string {
  return VERDICT_LABEL[snapshot.paused ? 'paused' : verdictOf(snapshot)];
}

/**
 * "API: Down since 17:05 · down: ECONNREFUSED", "LLM: Critical since 17:05 · slow: 6120 ms
 * > 5000 ms". A clock time, not "for 3 min", so the menu does not change every minute
 * (rebuilding an open menu closes it on some Linux panels).
 */
export function targetMenuLine(t: TargetHealth): string {
  const v = verdictOf(t);
  const since = t.since !== undefined ? ` since ${clock(t.since)}` : '';
  const detail = v === 'critical' || v === 'degraded' ? (t.reason ?? t.figure) : t.figure;
  return `${t.name}: ${VERDICT_LABEL[v]}${since}${detail ? ` · ${detail}` : ''}`;
}

export const REPORT_RANGES = [
  { label: 'Last 24 hours', hours: 24 },
  { label: 'Last 7 days', hours: 24 * 7 },
  { label: 'Last 30 days', hours: 24 * 30 },
] as const;

export const REPORT_FORMATS: readonly { label: string; format: ReportFormat }[] = [
  { label: 'Markdown', format: 'md' },
  { label: 'JSON', format: 'json' },
  { label: 'HTML', format: 'html' },
];

/** Menus taller than the screen are useless; the rest are one click away in the window. */
export const MAX_TARGET_LINES = 15;

const HOUR_MS = 3_600_000;

/** 08:00 local time on the day after `now`: "until tomorrow" means until the morning. */
export function tomorrowMorning(now: number): number {
  const d = new Date(now);
  d.setDate(d.getDate() + 1);
  d.setHours(8, 0, 0, 0);
  return d.getTime();
}

function clock(t: number): string {
  const d = new Date(t);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

export function isMuted(snapshot: HealthSnapshot, now: number): boolean {
  return snapshot.mutedUntil !== undefined && snapshot.mutedUntil > now;
}

/** The whole tray menu for one health snapshot. Pure, so tests read its structure. */
export function buildTrayMenu(state: TrayMenuState, actions: TrayActions): MenuItemSpec[] {
  const { snapshot } = state;
  const now = state.now();
  // Worst first, as on the dashboard: what needs a look is at the top.
  const ordered = snapshot.targets
    .map((t, i) => ({ t, i }))
    .sort((a, b) => verdictRank(verdictOf(b.t)) - verdictRank(verdictOf(a.t)) || a.i - b.i)
    .map((e) => e.t);
  const targets = ordered.slice(0, MAX_TARGET_LINES).map((t): MenuItemSpec => ({
    label: targetMenuLine(t),
    toolTip: t.reason,
    click: () => actions.openDashboard(t.id),
  }));
  const hidden = snapshot.targets.length - targets.length;
  if (hidden > 0)
    targets.push({ label: `… and ${hidden} more`, click: () => actions.openDashboard() });
  if (snapshot.targets.length === 0)
    targets.push({ label: 'No targets yet: add one in the dashboard', enabled: false });

  const muted = isMuted(snapshot, now);
  const menu: MenuItemSpec[] = [
    { label: `OpsPulse: ${overallLabel(snapshot)} · ${snapshot.summary}`, enabled: false },
    { type: 'separator' },
    ...targets,
    { type: 'separator' },
    { label: 'Open dashboard', click: () => actions.openDashboard() },
    {
      label: 'Export report',
      submenu: REPORT_RANGES.map((r) => ({
        label: r.label,
        submenu: REPORT_FORMATS.map((f) => ({
          label: f.label,
          click: () => actions.exportReport(r.hours, f.format),
        })),
      })),
    },
    { type: 'separator' },
    snapshot.paused
      ? { label: 'Resume collection', click: () => actions.setPaused(false) }
      : { label: 'Pause collection', click: () => actions.setPaused(true) },
    {
      label: muted
        ? `Notifications muted until ${clock(snapshot.mutedUntil ?? now)}`
        : 'Mute notifications',
      submenu: [
        { label: 'For 1 hour', click: () => actions.mute(state.now() + HOUR_MS) },
        {
          label: 'Until tomorrow (08:00)',
          click: () => actions.mute(tomorrowMorning(state.now())),
        },
        ...(muted ? [{ label: 'Unmute', click: () => actions.mute(0) }] : []),
      ],
    },
  ];
  if (state.loginItemSupported)
    menu.push({
      label: 'Start at login',
      type: 'checkbox',
      checked: state.startAtLogin,
      click: () => actions.setStartAtLogin(!state.startAtLogin),
    });
  menu.push({ type: 'separator' }, { label: 'Quit OpsPulse', click: () => actions.quit() });
  return menu;
}
