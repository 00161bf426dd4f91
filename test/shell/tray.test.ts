import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { HealthSnapshot, HealthState } from '../../shared/health';
import type { ReportFormat } from '../../shared/api';
import { TrayController, tooltipFor } from '../../electron/main/shell/tray';
import {
  buildTrayMenu,
  MAX_TARGET_LINES,
  tomorrowMorning,
  type TrayActions,
} from '../../electron/main/shell/tray-menu';
import { createFakeElectron, FakeTray, labels, menuItem } from './fake-electron';
import { target } from './scripted-monitor';

const ICONS = '/icons';
const NOW = new Date(2026, 10, 25, 15, 30).getTime();

function snapshot(patch: Partial<HealthSnapshot> = {}): HealthSnapshot {
  return {
    t: NOW,
    overall: 'ok',
    summary: 'all 2 targets up',
    targets: [target('api', 'ok', '12 ms'), target('db', 'ok', '3 ms')],
    paused: false,
    ...patch,
  };
}

function recorder() {
  const log: string[] = [];
  const actions: TrayActions = {
    openDashboard: (t) => log.push(`open:${t ?? ''}`),
    exportReport: (h: number, f: ReportFormat) => log.push(`export:${h}:${f}`),
    setPaused: (p) => log.push(`paused:${p}`),
    mute: (u) => log.push(`mute:${u}`),
    setStartAtLogin: (on) => log.push(`login:${on}`),
    quit: () => log.push('quit'),
  };
  return { log, actions };
}

function controller(platform: NodeJS.Platform, initial = snapshot(), login = false) {
  const electron = createFakeElectron('/tmp');
  const { log, actions } = recorder();
  let now = NOW;
  const tray = new TrayController(
    {
      electron,
      iconsDir: ICONS,
      platform,
      actions,
      loginItem: { supported: true, get: () => login },
      now: () => now,
    },
    initial,
  );
  const fake = FakeTray.all[0];
  return { tray, fake, log, advance: (ms: number) => (now += ms) };
}

describe('tray menu', () => {
  it('has the status line, a line per target, and every command in order', () => {
    const { actions } = recorder();
    const menu = buildTrayMenu(
      { snapshot: snapshot(), startAtLogin: false, loginItemSupported: true, now: () => NOW },
      actions,
    );
    expect(labels(menu)).toEqual([
      'OpsPulse: OK · all 2 targets up',
      '---',
      'API: OK · 12 ms',
      'DB: OK · 3 ms',
      '---',
      'Open dashboard',
      'Export report',
      '---',
      'Pause collection',
      'Mute notifications',
      'Start at login',
      '---',
      'Quit OpsPulse',
    ]);
    expect(menu[0].enabled).toBe(false);
    const exp = menuItem(menu, 'Export report');
    expect(labels(exp.submenu ?? [])).toEqual(['Last 24 hours', 'Last 7 days', 'Last 30 days']);
    for (const range of exp.submenu ?? [])
      expect(labels(range.submenu ?? [])).toEqual(['Markdown', 'JSON', 'HTML']);
    expect(labels(menuItem(menu, 'Mute notifications').submenu ?? [])).toEqual([
      'For 1 hour',
      'Until tomorrow (08:00)',
    ]);
  });

  it('routes every click to the matching action', () => {
    const { log, actions } = recorder();
    const menu = buildTrayMenu(
      { snapshot: snapshot(), startAtLogin: true, loginItemSupported: true, now: () => NOW },
      actions,
    );
    menuItem(menu, 'DB').click?.();
    menuItem(menu, 'Open dashboard').click?.();
    menuItem(menu, 'Export report', 'Last 7 days', 'HTML').click?.();
    menuItem(menu, 'Export report', 'Last 30 days', 'JSON').click?.();
    menuItem(menu, 'Export report', 'Last 24 hours', 'Markdown').click?.();
    menuItem(menu, 'Pause collection').click?.();
    menuItem(menu, 'Mute notifications', 'For 1 hour').click?.();
    menuItem(menu, 'Mute notifications', 'Until tomorrow').click?.();
    menuItem(menu, 'Start at login').click?.();
    menuItem(menu, 'Quit').click?.();
    expect(log).toEqual([
      'open:db',
      'open:',
      'export:168:html',
      'export:720:json',
      'export:24:md',
      'paused:true',
      `mute:${NOW + 3_600_000}`,
      `mute:${new Date(2026, 10, 26, 8, 0).getTime()}`,
      'login:false',
      'quit',
    ]);
    expect(menuItem(menu, 'Start at login')).toMatchObject({ type: 'checkbox', checked: true });
  });

  it('offers Resume while paused and Unmute while muted, and shows until when', () => {
    const { log, actions } = recorder();
    const until = new Date(2026, 10, 25, 16, 45).getTime();
    const menu = buildTrayMenu(
      {
        snapshot: snapshot({ paused: true, overall: 'paused', mutedUntil: until }),
        startAtLogin: false,
        loginItemSupported: false,
        now: () => NOW,
      },
      actions,
    );
    expect(labels(menu)).not.toContain('Start at login');
    menuItem(menu, 'Resume collection').click?.();
    const mute = menuItem(menu, 'Notifications muted until 16:45');
    menuItem(mute.submenu, 'Unmute').click?.();
    expect(log).toEqual(['paused:false', 'mute:0']);
  });

  it('caps the target lines and links the rest to the dashboard', () => {
    const { log, actions } = recorder();
    const many = Array.from({ length: MAX_TARGET_LINES + 5 }, (_, i) => target(`t${i}`, 'ok', ''));
    const menu = buildTrayMenu(
      {
        snapshot: snapshot({ targets: many }),
        startAtLogin: false,
        loginItemSupported: true,
        now: () => NOW,
      },
      actions,
    );
    expect(labels(menu).filter((l) => l.startsWith('T'))).toHaveLength(MAX_TARGET_LINES);
    menuItem(menu, '… and 5 more').click?.();
    expect(log).toEqual(['open:']);
  });

  it('computes mute times when clicked, not when the menu was built', () => {
    let now = NOW;
    const { log, actions } = recorder();
    const menu = buildTrayMenu(
      { snapshot: snapshot(), startAtLogin: false, loginItemSupported: true, now: () => now },
      actions,
    );
    now += 5 * 3_600_000;
    menuItem(menu, 'Mute notifications', 'For 1 hour').click?.();
    expect(log).toEqual([`mute:${now + 3_600_000}`]);
  });

  it('"until tomorrow" is 08:00 local on the next day, across month ends', () => {
    expect(tomorrowMorning(new Date(2026, 0, 31, 23, 59).getTime())).toBe(
      new Date(2026, 1, 1, 8, 0).getTime(),
    );
  });
});

describe('tray icon, tooltip and title', () => {
  const iconOf = (state: HealthState, size: number) =>
    path.join(ICONS, `tray-${state}-${size}.png`);

  it('shows the icon of the overall state and swaps it on the tick the state changes', () => {
    const { tray, fake } = controller('linux');
    expect(fake.images).toEqual([iconOf('ok', 32)]);
    tray.update(snapshot({ overall: 'warn', summary: 'api slow' }));
    tray.update(snapshot({ overall: 'crit', summary: 'db down' }));
    tray.update(snapshot({ overall: 'crit', summary: 'db down' }));
    tray.update(snapshot({ overall: 'paused', paused: true }));
    tray.update(snapshot({ overall: 'unknown' }));
    expect(fake.images).toEqual([
      iconOf('ok', 32),
      iconOf('warn', 32),
      iconOf('crit', 32),
      iconOf('paused', 32),
      iconOf('unknown', 32),
    ]);
  });

  it('uses 16 px images on Windows and template images plus a title on macOS', () => {
    expect(controller('win32').fake.images).toEqual([iconOf('ok', 16)]);
    const mac = controller('darwin', snapshot({ overall: 'crit', verdict: 'down' }));
    expect(mac.fake.images).toEqual([path.join(ICONS, 'tray-critTemplate.png')]);
    expect(mac.fake.title).toBe('Down');
    mac.tray.update(snapshot({ overall: 'ok' }));
    expect(mac.fake.title).toBe('OK');
    expect(controller('linux').fake.title).toBe('');
  });

  it('puts the one-line summary in the tooltip, flattened and capped for Windows', () => {
    const { tray, fake } = controller('linux');
    expect(fake.toolTip).toBe('OpsPulse: all 2 targets up');
    tray.update(snapshot({ summary: 'db down\nsince 10:02' }));
    expect(fake.toolTip).toBe('OpsPulse: db down since 10:02');
    const long = tooltipFor(snapshot({ summary: 'x'.repeat(300) }));
    expect(long).toHaveLength(127);
    expect(long.endsWith('…')).toBe(true);
  });

  it('rebuilds the menu only when its content changes', () => {
    const { tray, fake } = controller('linux');
    expect(fake.menuBuilds).toBe(1);
    tray.update(snapshot());
    tray.update(snapshot({ t: NOW + 5000 }));
    expect(fake.menuBuilds).toBe(1);
    tray.update(snapshot({ targets: [target('api', 'crit', 'down: ECONNREFUSED')] }));
    expect(fake.menuBuilds).toBe(2);
    expect(labels(fake.menu?.template ?? [])).toContain('API: Down · down: ECONNREFUSED');
  });

  it('says since when, and calls a slow target Critical with its reason, not Down', () => {
    const since = new Date(2026, 10, 25, 15, 5).getTime();
    const slow = {
      ...target('llm', 'crit', '6120 ms'),
      verdict: 'critical' as const,
      reason: 'slow: 6120 ms > 5000 ms',
      since,
    };
    const down = { ...target('db', 'crit', 'down: ECONNREFUSED'), since: since + 60_000 };
    const snap = snapshot({
      overall: 'crit',
      verdict: 'down',
      summary: '1 down: DB · 1 critical: LLM · 1 ok',
      targets: [target('api', 'ok', '12 ms'), slow, down],
    });
    const { fake } = controller('darwin', snap);
    const lines = labels(fake.menu?.template ?? []);
    // Worst first: down, then critical, then ok.
    expect(lines.slice(2, 5)).toEqual([
      'DB: Down since 15:06 · down: ECONNREFUSED',
      'LLM: Critical since 15:05 · slow: 6120 ms > 5000 ms',
      'API: OK · 12 ms',
    ]);
    expect(lines.join('\n')).not.toMatch(/LLM: Down/);
    expect(fake.toolTip).toBe(
      'OpsPulse: 1 down: DB · 1 critical: LLM · 1 ok · DB down since 15:06',
    );
    expect(fake.title).toBe('Down');
  });

  it('opens the dashboard on a left click where the platform sends one', () => {
    const { fake, log } = controller('win32');
    fake.emit('click');
    expect(log).toEqual(['open:']);
  });
});
