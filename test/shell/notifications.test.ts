import { describe, expect, it } from 'vitest';
import type { Notification } from '../../shared/notification';
import { DesktopNotifier } from '../../electron/main/shell/notifications';
import { desktopText } from '../../electron/main/shell/notification-text';
import { createFakeElectron, FakeNotification } from './fake-electron';

function note(patch: Partial<Notification> = {}): Notification {
  return {
    t: 0,
    kind: 'down',
    level: 'crit',
    title: 'API is down',
    body: 'ECONNREFUSED',
    targets: ['api'],
    events: [],
    ...patch,
  };
}

function setup(opts: { mutedUntil?: number } = {}) {
  const electron = createFakeElectron('/tmp');
  let now = 1_000_000;
  const opened: (string | undefined)[] = [];
  const notifier = new DesktopNotifier({
    electron,
    open: (t) => opened.push(t),
    openFile: (f) => opened.push(`file:${f}`),
    mutedUntil: () => opts.mutedUntil ?? 0,
    now: () => now,
    dedupeMs: 60_000,
  });
  return { notifier, opened, advance: (ms: number) => (now += ms) };
}

describe('desktop notification text', () => {
  it.each([
    [
      'API is down',
      'API is down: connection refused (3 failed checks)',
      'API: Down',
      'Connection refused (3 failed checks)',
    ],
    [
      'API recovered',
      'API is back up (5 ms), was down for 1m',
      'API: OK again',
      'Back up (5 ms), was down for 1m',
    ],
    [
      'API latency is critical',
      'slow: tg.api.ms is 6120 (crit > 5000)',
      'API latency: Critical',
      'slow: tg.api.ms is 6120 (crit > 5000)',
    ],
    [
      'Still down: API',
      'API is down: timeout (since 5m ago)',
      'API: still Down',
      'Timeout (since 5m ago)',
    ],
    ['3 targets down', 'down: A, B, C', '3 targets down', 'down: A, B, C'],
  ])('%s', (title, body, wantTitle, wantBody) => {
    expect(desktopText(title, body)).toEqual({ title: wantTitle, body: wantBody });
    // The name is in the title once and never repeated in the body.
    const name = wantTitle.split(':')[0];
    if (wantTitle.includes(':')) expect(wantBody.includes(name)).toBe(false);
  });
});

describe('desktop notifications', () => {
  it('shows each kind the alert engine sends, critical ones as critical', () => {
    const { notifier } = setup();
    const kinds: Notification['kind'][] = ['down', 'degraded', 'recovered', 'storm', 'flapping'];
    for (const kind of kinds) expect(notifier.show(note({ kind, title: kind }))).toBe(true);
    expect(FakeNotification.shown.map((n) => n.options.title)).toEqual(kinds);
    expect(FakeNotification.shown[0].options).toMatchObject({
      urgency: 'critical',
      body: 'ECONNREFUSED',
    });
    notifier.show(note({ kind: 'recovered', level: 'ok', title: 'API recovered' }));
    expect(FakeNotification.shown.at(-1)?.options).toMatchObject({
      silent: true,
      urgency: 'normal',
    });
  });

  it('shows the same notification once within the window, again after it', () => {
    const { notifier, advance } = setup();
    expect(notifier.show(note())).toBe(true);
    advance(30_000);
    expect(notifier.show(note())).toBe(false);
    expect(notifier.show(note({ targets: ['db'], title: 'DB is down' }))).toBe(true);
    advance(31_000);
    expect(notifier.show(note())).toBe(true);
    expect(FakeNotification.shown).toHaveLength(3);
  });

  it('does not treat a recovery as a duplicate of the outage', () => {
    const { notifier } = setup();
    notifier.show(note());
    expect(notifier.show(note({ kind: 'recovered', level: 'ok', title: 'API is up' }))).toBe(true);
  });

  it('stays silent while muted, but still shows notices the user asked for', () => {
    const { notifier } = setup({ mutedUntil: 2_000_000 });
    expect(notifier.show(note())).toBe(false);
    notifier.notice('Report saved', 'r.md');
    expect(FakeNotification.shown.map((n) => n.options.title)).toEqual(['Report saved']);
  });

  it('opens the dashboard on the target when clicked, or on the overview for a storm', () => {
    const { notifier, opened } = setup();
    notifier.show(note());
    notifier.show(note({ kind: 'storm', title: '3 targets down', targets: ['a', 'b', 'c'] }));
    FakeNotification.shown[0].click();
    FakeNotification.shown[1].click();
    expect(opened).toEqual(['api', undefined]);
  });

  it('opens the report a "Weekly report ready" notification is about', () => {
    const { notifier, opened } = setup();
    notifier.show(
      note({
        kind: 'report',
        level: 'ok',
        title: 'Weekly report ready',
        targets: [],
        open: '/data/reports/opspulse-weekly-2026-03-30.html',
      }),
    );
    FakeNotification.shown[0].click();
    expect(opened).toEqual(['file:/data/reports/opspulse-weekly-2026-03-30.html']);
  });

  it('does nothing where the desktop has no notification service', () => {
    const { notifier } = setup();
    FakeNotification.supported = false;
    expect(notifier.show(note())).toBe(false);
    expect(FakeNotification.shown).toHaveLength(0);
  });
});
