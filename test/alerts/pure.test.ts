import { describe, expect, it } from 'vitest';
import { MaintenanceSchema, type MaintenanceWindow } from '../../shared/config-schema';
import type { TargetHealth } from '../../shared/health';
import { formatDuration, formatValue } from '../../electron/main/alerts/format';
import { groupNotifications, type NotifyItem } from '../../electron/main/alerts/group';
import { activeMaintenance, windowActive } from '../../electron/main/alerts/maintenance';
import { summarize, targetLine } from '../../electron/main/alerts/summarize';
import { levelFor, seriesMatcher } from '../../electron/main/alerts/threshold';

const th = (
  id: string,
  state: TargetHealth['state'],
  extra: Partial<TargetHealth> = {},
): TargetHealth => ({
  id,
  name: id.toUpperCase(),
  state,
  figure: state === 'crit' ? 'down: ECONNREFUSED' : '12 ms',
  ...(state === 'crit' ? { verdict: 'down' as const } : {}),
  ...extra,
});

describe('summarize', () => {
  const now = new Date(2026, 10, 25, 12, 0).getTime();
  it.each<[string, TargetHealth[], string, string]>([
    ['all healthy', [th('a', 'ok'), th('b', 'ok')], 'ok', 'All 2 targets healthy'],
    ['one target', [th('a', 'ok')], 'ok', 'All 1 target healthy'],
    [
      'down and degraded, names capped at 3',
      [
        th('a', 'crit'),
        th('b', 'crit'),
        th('c', 'crit'),
        th('d', 'crit'),
        th('e', 'warn'),
        th('f', 'ok'),
      ],
      'crit',
      '4 down: A, B, C +1 · 1 degraded: E · 1 ok',
    ],
    [
      'waiting for data',
      [th('a', 'unknown'), th('b', 'unknown')],
      'unknown',
      'Waiting for data (2)',
    ],
    [
      'a slow target is critical, not down',
      [
        th('a', 'crit'),
        th('llm', 'crit', { verdict: 'critical', figure: '6120 ms' }),
        th('b', 'ok'),
      ],
      'crit',
      '1 down: A · 1 critical: LLM · 1 ok',
    ],
    ['all in maintenance', [th('a', 'paused')], 'paused', 'All targets paused'],
    ['nothing configured', [], 'unknown', 'No targets configured'],
  ])('%s', (_name, targets, overall, summary) => {
    expect(summarize(targets, { paused: false, now })).toMatchObject({ overall, summary });
  });

  it('pause wins and mutes are mentioned', () => {
    expect(summarize([th('a', 'crit')], { paused: true, now }).overall).toBe('paused');
    const s = summarize([th('a', 'ok')], {
      paused: false,
      mutedUntil: new Date(2026, 10, 25, 13, 5).getTime(),
      now,
    });
    expect(s.summary).toBe('All 1 target healthy · muted until 13:05');
  });

  it('one line per target', () => {
    expect(targetLine(th('gw', 'crit', { reason: 'depends on LLM, which is down' }))).toBe(
      'GW — Down, down: ECONNREFUSED (depends on LLM, which is down)',
    );
    expect(summarize([th('a', 'ok'), th('b', 'warn')], { paused: false, now }).lines).toEqual([
      'A — OK, 12 ms',
      'B — Degraded, 12 ms',
    ]);
  });
});

describe('maintenance windows', () => {
  const weekly = MaintenanceSchema.parse({
    name: 'nightly backup',
    targets: ['db'],
    days: ['tue', 'sat'],
    at: '23:30',
    minutes: 60,
  }) as MaintenanceWindow;
  // 2026-11-24 is a Tuesday (local time).
  const at = (d: number, h: number, m: number) => new Date(2026, 10, d, h, m).getTime();

  it.each([
    [at(24, 23, 29), false],
    [at(24, 23, 30), true],
    [at(25, 0, 29), true],
    [at(25, 0, 30), false],
    [at(25, 23, 45), false],
    [at(28, 23, 45), true],
  ])('weekly window at %s -> %s', (t, on) => {
    expect(windowActive(weekly, t)).toBe(on);
  });

  it('applies to the listed targets only, or to everything when none are listed', () => {
    const t = at(24, 23, 45);
    expect(activeMaintenance([weekly], t, 'db')?.name).toBe('nightly backup');
    expect(activeMaintenance([weekly], t, 'api')).toBeUndefined();
    expect(activeMaintenance([weekly], t)).toBeUndefined();
    const everything = MaintenanceSchema.parse({
      name: 'move',
      from: '2026-11-24T10:00:00Z',
      to: '2026-11-24T12:00:00Z',
    }) as MaintenanceWindow;
    expect(activeMaintenance([everything], Date.UTC(2026, 10, 24, 11), 'api')?.name).toBe('move');
    expect(activeMaintenance([everything], Date.UTC(2026, 10, 24, 11))?.name).toBe('move');
    expect(activeMaintenance([everything], Date.UTC(2026, 10, 24, 12), 'api')).toBeUndefined();
  });
});

describe('threshold rules', () => {
  it.each<[string, string, boolean]>([
    ['tg.*.cert', 'tg.web.cert', true],
    ['tg.*.cert', 'tg.web.m.cert', false],
    ['tg.*.ms', 'tg.api.ms', true],
    ['sys.disk.*', 'sys.disk./mnt/data.1', true],
    ['sys.disk./', 'sys.disk./', true],
    ['sys.disk./', 'sys.disk./boot', false],
    ['tg.orch.m.confidence', 'tg.orch.m.confidence', true],
    ['tg.*.m.*', 'tg.orch.m.quality', true],
  ])('%s matches %s: %s', (pattern, series, expected) => {
    expect(seriesMatcher(pattern)(series)).toBe(expected);
  });

  it('levels: crit before warn, both directions', () => {
    const high = { op: '>' as const, warn: 500, crit: 2000 };
    expect([10, 501, 2001].map((v) => levelFor(high, v))).toEqual([0, 1, 2]);
    const low = { op: '<' as const, warn: 0.6 };
    expect([0.59, 0.6].map((v) => levelFor(low, v))).toEqual([1, 0]);
    expect(levelFor({ op: '==', crit: 0 }, 0)).toBe(2);
  });
});

describe('grouping', () => {
  const item = (id: string, kind: NotifyItem['kind'], level: NotifyItem['level']): NotifyItem => ({
    id,
    kind,
    level,
    subject: id,
    title: `${id} ${kind}`,
    message: `${id} message`,
    events: [],
  });

  it('nothing, one, or one storm', () => {
    expect(groupNotifications([], 0)).toBeNull();
    expect(groupNotifications([item('a', 'down', 'crit')], 5)).toEqual({
      t: 5,
      kind: 'down',
      level: 'crit',
      title: 'a down',
      body: 'a message',
      targets: ['a'],
      events: [],
    });
    const n = groupNotifications(
      [item('a', 'recovered', 'ok'), item('b', 'degraded', 'warn'), item('c', 'down', 'crit')],
      5,
    );
    expect(n).toMatchObject({
      kind: 'storm',
      level: 'crit',
      title: '3 changes: 1 down, 1 degraded, 1 recovered',
      body: 'down: c\ndegraded: b\nrecovered: a',
    });
  });
});

describe('format', () => {
  it.each([
    [0, '0s'],
    [59_400, '59s'],
    [60_000, '1m'],
    [3_600_000, '1h'],
    [3_900_000, '1h 5m'],
    [90_000_000, '1d 1h'],
  ])('%s ms is %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
  it('values', () => {
    expect([1234.5, 0.61234, 12.345, 99.99].map(formatValue)).toEqual([
      '1235',
      '0.612',
      '12.3',
      '100',
    ]);
  });
});
