import { describe, expect, it } from 'vitest';
import type { Notification } from '../../shared/notification';
import { ConfiguredNotifier } from '../../electron/main/notifiers';
import { inQuietHours } from '../../electron/main/notifiers/quiet-hours';
import { CollectingNotifier, config, Harness, target, tempDirEachTest } from '../alerts/helpers';

const tmp = tempDirEachTest();

function note(t: number, title: string, level: Notification['level'] = 'crit'): Notification {
  return { t, kind: 'down', level, title, body: title, targets: ['api'], events: [] };
}

describe('quiet hours', () => {
  const q = { from: '22:00', to: '07:00', timeZone: 'Europe/Berlin' };

  it('spans midnight in the given zone', () => {
    expect(inQuietHours(q, Date.UTC(2026, 0, 10, 21, 30))).toBe(true); // 22:30 CET
    expect(inQuietHours(q, Date.UTC(2026, 0, 10, 5, 59))).toBe(true); // 06:59
    expect(inQuietHours(q, Date.UTC(2026, 0, 10, 6, 0))).toBe(false); // 07:00
    expect(inQuietHours(q, Date.UTC(2026, 0, 10, 12))).toBe(false);
  });

  it('holds notifications (still logged) and sends one summary when the window ends', () => {
    let now = Date.UTC(2026, 0, 10, 22); // 23:00 in Berlin
    const desktop = new CollectingNotifier();
    const logged: string[] = [];
    const log = { info: (m: string) => logged.push(m), warn: (m: string) => logged.push(m) };
    const n = new ConfiguredNotifier(
      config({ alerts: { quietHours: q } }),
      desktop,
      log,
      () => now,
    );
    n.notify(note(now, 'API is down'));
    now += 3_600_000;
    n.notify(note(now, 'API recovered', 'ok'));
    n.poll(now);
    expect(desktop.sent).toEqual([]);
    expect(logged.filter((l) => l.startsWith('notification'))).toHaveLength(2);
    now = Date.UTC(2026, 0, 11, 6, 1); // 07:01
    n.poll(now);
    n.poll(now + 60_000);
    expect(desktop.sent).toHaveLength(1);
    expect(desktop.sent[0]).toMatchObject({
      kind: 'summary',
      level: 'crit',
      title: 'Quiet hours ended: 2 notifications held',
    });
    expect(desktop.sent[0].body).toBe('22:00 API is down\n23:00 API recovered');
    n.notify(note(now, 'DB is down'));
    expect(desktop.sent.map((s) => s.title)).toEqual([
      'Quiet hours ended: 2 notifications held',
      'DB is down',
    ]);
  });
});

describe('notifyOn', () => {
  it('notifies only the chosen transitions of a target, and records all of them', async () => {
    const cfg = config({
      targets: [target('api', { notifyOn: ['down'] }), target('db')],
    });
    const h = await new Harness(tmp.dir, cfg).open();
    h.ticks(2, { api: 1, db: 1 });
    const down = h.ticks(2, { api: 0, db: 1 });
    const up = h.ticks(2, { api: 1, db: 1 });
    expect([...down, ...up].map((e) => e.to)).toEqual(['crit', 'ok']);
    expect(h.notifier.take().map((n) => n.title)).toEqual(['API is down']);
    h.ticks(2, { api: 1, db: 0 });
    h.ticks(2, { api: 1, db: 1 });
    expect(h.notifier.take().map((n) => n.title)).toEqual(['DB is down', 'DB recovered']);
  });
});
