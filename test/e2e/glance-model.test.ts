import { describe, expect, it } from 'vitest';
import type { WindowAnalysis } from '../../shared/analysis';
import type { HealthSnapshot, TargetHealth } from '../../shared/health';
import { latencyAxis, latencyLogAxis, rateAxis } from '../../renderer/src/charts/axis-units';
import { fmtBytesRate, fmtDurationS, fmtUptime } from '../../renderer/src/format';
import {
  bySeverity,
  sinceText,
  verdictCounts,
  verdictOf,
} from '../../renderer/src/health/health-text';
import { LiveUptime } from '../../renderer/src/views/live-uptime';

// The glance's DOM-free parts under Node: units, durations, vocabulary, order, live uptime.

const th = (id: string, state: TargetHealth['state'], extra: Partial<TargetHealth> = {}) =>
  ({ id, name: id, state, figure: '', ...extra }) as TargetHealth;

describe('one unit per axis', () => {
  it('keeps latency in ms below 10 s and in s from there, never mixed', () => {
    expect(latencyAxis([0, 2500, 5000, 7500])).toEqual(['0 ms', '2500 ms', '5000 ms', '7500 ms']);
    expect(latencyAxis([0, 5000, 10_000, 15_000])).toEqual(['0 s', '5 s', '10 s', '15 s']);
    expect(latencyAxis([0, 2500, 5000, 7500, 10_000])).toEqual([
      '0.0 s',
      '2.5 s',
      '5.0 s',
      '7.5 s',
      '10.0 s',
    ]);
  });

  it('labels only the decades of a log axis', () => {
    expect(latencyLogAxis([1, 2, 5, 10, 20, 100, 1000])).toEqual([
      '1 ms',
      '',
      '',
      '10 ms',
      '',
      '100 ms',
      '1000 ms',
    ]);
  });

  it('uses decimal SI for byte rates, one unit for the axis', () => {
    expect(rateAxis([0, 500_000, 1_000_000, 1_500_000])).toEqual([
      '0.0 MB/s',
      '0.5 MB/s',
      '1.0 MB/s',
      '1.5 MB/s',
    ]);
    expect(fmtBytesRate(1500)).toBe('1.5 kB/s');
    expect(fmtBytesRate(999)).toBe('999 B/s');
  });
});

describe('durations and since', () => {
  it('rounds uptime down: never 100 % while there was down time', () => {
    expect(fmtUptime(99.99988)).toBe('99.999 %');
    expect(fmtUptime(100)).toBe('100.000 %');
    expect(fmtUptime(98.7654, 2)).toBe('98.76 %');
  });

  it('gives incident durations to the second, never floored to minutes', () => {
    expect(fmtDurationS(90_000)).toBe('1 min 30 s');
    expect(fmtDurationS(7_205_000)).toBe('2 h 0 min 5 s');
    expect(fmtDurationS(45_000)).toBe('45 s');
  });

  it('says "down 3 min · since <time>" in the one vocabulary', () => {
    const now = new Date(2026, 10, 25, 17, 8).getTime();
    const since = new Date(2026, 10, 25, 17, 5).getTime();
    const text = sinceText(th('llm', 'crit', { verdict: 'down', since }), now);
    expect(text).toMatch(/^down 3 min · since /);
    expect(text).toContain(
      new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' }).format(since),
    );
    expect(sinceText(th('llm', 'crit', { verdict: 'critical', since }), now)).toMatch(
      /^critical 3 min/,
    );
    expect(sinceText(th('x', 'ok'), now)).toBe('');
  });
});

describe('severity', () => {
  it('orders worst first, keeping config order among equals', () => {
    const list = [
      th('a', 'ok'),
      th('b', 'warn'),
      th('c', 'crit', { verdict: 'critical' }),
      th('d', 'crit', { verdict: 'down' }),
      th('e', 'paused'),
      th('f', 'unknown'),
      th('g', 'ok'),
    ];
    expect(bySeverity(list, verdictOf).map((t) => t.id)).toEqual([
      'd',
      'c',
      'b',
      'f',
      'e',
      'a',
      'g',
    ]);
  });

  it('counts targets per verdict for the header', () => {
    const hs: HealthSnapshot = {
      t: 0,
      overall: 'crit',
      summary: '',
      paused: false,
      targets: [th('a', 'ok'), th('b', 'ok'), th('c', 'crit', { verdict: 'down' })],
    };
    expect(verdictCounts(hs)).toEqual([
      { verdict: 'down', count: 1 },
      { verdict: 'ok', count: 2 },
    ]);
  });
});

describe('live uptime', () => {
  it('follows new samples from the analysis figures, counting a gap as neither', () => {
    const u = new LiveUptime();
    u.reset({
      gapThresholdMs: 2500,
      targets: [{ id: 'api', upMs: 9000, downMs: 1000, lastT: 10_000 }],
    } as unknown as WindowAnalysis);
    expect(u.pct('api')).toBeCloseTo(90);
    u.add({ v: 1, t: 11_000, tg: { api: { up: 0 } } }, 1000);
    expect(u.pct('api')).toBeCloseTo((100 * 9000) / 11_000);
    // After an hour without samples only one interval counts.
    u.add({ v: 1, t: 3_611_000, tg: { api: { up: 1 } } }, 1000);
    expect(u.pct('api')).toBeCloseTo((100 * 10_000) / 12_000);
    // A target new to the window shows its uptime from its first sample.
    u.add({ v: 1, t: 3_612_000, tg: { db: { up: 0 } } }, 1000);
    expect(u.pct('db')).toBe(0);
  });
});
