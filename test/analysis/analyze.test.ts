import { describe, expect, it } from 'vitest';
import { analyzeWindow } from '../../electron/main/analysis';
import type { Sample, TargetSample } from '../../shared/sample';
import { arraySource, config, DAY, down, HOUR, httpTarget, MIN, series, T0, up } from './helpers';

const STEP = 30_000;
const cfg = config({ targets: [httpTarget('api', 'API'), httpTarget('db', 'Database')] });
const tz = { timeZone: 'UTC' };

describe('analyzeWindow: uptime and incidents', () => {
  it('gives exact uptime and incident boundaries for an outage of known length', async () => {
    const outStart = T0 + 10 * MIN;
    const outEnd = T0 + 15 * MIN;
    const samples = series(T0 - 5 * MIN, T0 + HOUR + 5 * MIN, STEP, (t) => ({
      api: t >= outStart && t < outEnd ? down(t === outStart ? 'HTTP 503' : 'timeout') : up(),
      db: up(),
    }));
    const a = await analyzeWindow(
      arraySource(samples),
      cfg,
      { from: T0, to: T0 + HOUR },
      undefined,
      tz,
    );
    const api = a.targets.find((t) => t.id === 'api')!;
    expect(api.name).toBe('API');
    expect(api.samples).toBe(120);
    expect(api.upSamples).toBe(110);
    expect(api.downMs).toBe(5 * MIN);
    expect(api.upMs).toBe(55 * MIN);
    expect(api.uptimePct).toBeCloseTo((55 / 60) * 100, 10);
    expect(api.uptimePctBySamples).toBeCloseTo((110 / 120) * 100, 10);
    expect(api.noDataMs).toBe(0);
    expect(api.incidents).toEqual([
      { target: 'api', start: outStart, end: outEnd, durationMs: 5 * MIN, error: 'HTTP 503' },
    ]);
    expect(api.mttrMs).toBe(5 * MIN);
    expect(api.mtbfMs).toBe(55 * MIN);
    expect(api.longestOutageMs).toBe(5 * MIN);
    expect(api.streak).toEqual({ state: 'up', since: outEnd, durationMs: 45 * MIN });
    expect(api.statusCodes).toEqual({ '200': 110 });
    const db = a.targets.find((t) => t.id === 'db')!;
    expect(db.uptimePct).toBe(100);
    expect(db.incidents).toEqual([]);
    expect(db.mttrMs).toBeNull();
    expect(db.mtbfMs).toBeNull();
    expect(a.gaps).toEqual([]);
    expect(a.coveredMs).toBe(HOUR);
    expect(a.exact).toBe(true);
  });

  it('counts a target added mid-window only from when it appears', async () => {
    const added = T0 + 30 * MIN;
    const samples = series(T0, T0 + HOUR, STEP, (t): Record<string, TargetSample> =>
      t < added ? { api: up() } : { api: up(), db: t < added + 5 * MIN ? down() : up() },
    );
    const a = await analyzeWindow(
      arraySource(samples),
      cfg,
      { from: T0, to: T0 + HOUR },
      undefined,
      tz,
    );
    const db = a.targets.find((t) => t.id === 'db')!;
    expect(db.firstT).toBe(added);
    expect(db.noDataMs).toBe(30 * MIN);
    expect(db.downMs).toBe(5 * MIN);
    expect(db.uptimePct).toBeCloseTo((25 / 30) * 100, 10);
    expect(db.incidents).toHaveLength(1);
    expect(db.incidents[0]).toMatchObject({ start: added, end: added + 5 * MIN });
  });

  it('keeps a removed target, marked unconfigured, and never calls its absence an outage', async () => {
    const removed = T0 + 20 * MIN;
    const samples = series(T0, T0 + HOUR, STEP, (t): Record<string, TargetSample> =>
      t < removed ? { api: up(), old: t >= removed - MIN ? down() : up() } : { api: up() },
    );
    const a = await analyzeWindow(
      arraySource(samples),
      cfg,
      { from: T0, to: T0 + HOUR },
      undefined,
      tz,
    );
    const old = a.targets.find((t) => t.id === 'old')!;
    expect(old.configured).toBe(false);
    expect(old.name).toBe('old');
    expect(old.lastT).toBe(removed - STEP);
    expect(old.upMs).toBe(19 * MIN);
    expect(old.downMs).toBe(MIN);
    expect(old.noDataMs).toBe(40 * MIN);
    // Down at its last sample, but the target vanished: the incident ends, it is not ongoing.
    expect(old.incidents).toEqual([
      { target: 'old', start: removed - MIN, end: removed, durationMs: MIN, error: 'ECONNREFUSED' },
    ]);
  });

  it('reports a gap as a gap, neither up nor down, and splits an incident across it', async () => {
    const sleep = T0 + 20 * MIN;
    const wake = T0 + 40 * MIN;
    const samples = series(T0, T0 + HOUR, STEP, (t) => ({
      api: t >= sleep - MIN && t < wake + MIN ? down() : up(),
      db: up(),
    })).filter((s) => s.t < sleep || s.t >= wake);
    const a = await analyzeWindow(
      arraySource(samples),
      cfg,
      { from: T0, to: T0 + HOUR },
      undefined,
      tz,
    );
    expect(a.gaps).toEqual([{ start: sleep, end: wake, durationMs: 20 * MIN }]);
    expect(a.gapMs).toBe(20 * MIN);
    expect(a.coveredMs).toBe(40 * MIN);
    const db = a.targets.find((t) => t.id === 'db')!;
    expect(db.uptimePct).toBe(100);
    expect(db.upMs).toBe(40 * MIN);
    expect(db.noDataMs).toBe(20 * MIN);
    const api = a.targets.find((t) => t.id === 'api')!;
    expect(api.downMs).toBe(2 * MIN);
    expect(api.incidents.map((i) => [i.start, i.end])).toEqual([
      [sleep - MIN, sleep],
      [wake, wake + MIN],
    ]);
  });

  it('marks an outage still going at the window end as ongoing, excluded from MTTR', async () => {
    const samples = series(T0, T0 + HOUR, STEP, (t) => ({
      api: t >= T0 + 50 * MIN ? down() : up(),
    }));
    const a = await analyzeWindow(
      arraySource(samples),
      cfg,
      { from: T0, to: T0 + HOUR },
      undefined,
      tz,
    );
    const api = a.targets.find((t) => t.id === 'api')!;
    expect(api.incidents).toEqual([
      {
        target: 'api',
        start: T0 + 50 * MIN,
        end: null,
        durationMs: 10 * MIN,
        error: 'ECONNREFUSED',
      },
    ]);
    expect(api.mttrMs).toBeNull();
    expect(api.longestOutageMs).toBe(10 * MIN);
    expect(api.streak).toEqual({ state: 'down', since: T0 + 50 * MIN, durationMs: 10 * MIN });
  });

  it('clips an outage that began before the window and reads the state at the start', async () => {
    const samples = series(T0 - HOUR, T0 + HOUR, STEP, (t) => ({
      api: t < T0 + 5 * MIN ? down() : up(),
    }));
    const a = await analyzeWindow(
      arraySource(samples),
      cfg,
      { from: T0 + 10_000, to: T0 + HOUR },
      undefined,
      tz,
    );
    const api = a.targets.find((t) => t.id === 'api')!;
    expect(api.incidents).toEqual([
      {
        target: 'api',
        start: T0 + 10_000,
        end: T0 + 5 * MIN,
        durationMs: 5 * MIN - 10_000,
        error: 'ECONNREFUSED',
        startClipped: true,
      },
    ]);
    expect(api.mttrMs).toBeNull();
    expect(api.mtbfMs).toBeNull();
    expect(api.samples).toBe(119);
  });

  it('computes exact latency statistics over successful probes only', async () => {
    const samples: Sample[] = [];
    for (let i = 0; i < 100; i++) samples.push({ v: 1, t: T0 + i * STEP, tg: { api: up(i + 1) } });
    samples.push({ v: 1, t: T0 + 100 * STEP, tg: { api: { up: 0, ms: 10_000, err: 'timeout' } } });
    const a = await analyzeWindow(
      arraySource(samples),
      cfg,
      { from: T0, to: T0 + HOUR },
      undefined,
      tz,
    );
    const lat = a.targets.find((t) => t.id === 'api')!.latency;
    expect(lat.avg).toBeCloseTo(50.5, 10);
    expect(lat.min).toBe(1);
    expect(lat.max).toBe(100);
    expect(lat.p50).toBeCloseTo(50.5, 10);
    expect(lat.p95).toBeCloseTo(95.05, 10);
    expect(lat.p99).toBeCloseTo(99.01, 10);
  });
});

describe('analyzeWindow: series', () => {
  it('fits trends, time above threshold and the date a disk fills', async () => {
    const samples = series(
      T0,
      T0 + 2 * DAY,
      5 * MIN,
      () => ({ api: { up: 1, ms: 5, m: { quality: 0.5 } } }),
      (t) => {
        const days = (t - T0) / DAY;
        return {
          cpu: t >= T0 + DAY && t < T0 + DAY + HOUR ? 95 : 10 + 5 * days,
          disk: { '/': 50 + 10 * days },
        };
      },
    );
    const every5min = config({ interval: 300, targets: [httpTarget('api')] });
    const a = await analyzeWindow(
      arraySource(samples),
      every5min,
      { from: T0, to: T0 + 2 * DAY },
      undefined,
      tz,
    );
    expect(a.gaps).toEqual([]);
    const disk = a.system.find((s) => s.series === 'sys.disk./')!;
    expect(disk.slopePerDay).toBeCloseTo(10, 8);
    expect(disk.first).toBe(50);
    expect(disk.threshold).toBe(90);
    expect(disk.aboveMs).toBe(0);
    // Fitted value at the window end is 70 %: 30 points at 10 a day is 3 days later.
    expect(disk.projectedFullAt).toBe(T0 + 5 * DAY);
    const cpu = a.system.find((s) => s.series === 'sys.cpu')!;
    expect(cpu.aboveMs).toBe(HOUR);
    expect(cpu.max).toBe(95);
    expect(cpu.p95).not.toBeNull();
    const q = a.targets[0].metrics.find((m) => m.metric === 'quality')!;
    expect(q).toMatchObject({ series: 'tg.api.m.quality', avg: 0.5, first: 0.5, last: 0.5 });
    expect(q.slopePerDay).toBeCloseTo(0, 12);
    expect(q.count).toBe(576);
  });

  it('builds a timeline of means for charts', async () => {
    const samples = series(T0, T0 + HOUR, STEP, (t) => ({ api: up(t < T0 + 30 * MIN ? 10 : 30) }));
    const a = await analyzeWindow(
      arraySource(samples),
      cfg,
      { from: T0, to: T0 + HOUR },
      undefined,
      {
        ...tz,
        timelinePoints: 2,
      },
    );
    expect(a.timeline.t).toEqual([T0, T0 + 30 * MIN]);
    expect(a.timeline.series['tg.api.ms']).toEqual([10, 30]);
    expect(a.timeline.series['tg.api.up']).toEqual([1, 1]);
  });
});

describe('analyzeWindow: edges', () => {
  it('answers an empty window with configured targets and no figures', async () => {
    const a = await analyzeWindow(arraySource([]), cfg, { from: T0, to: T0 + HOUR }, undefined, tz);
    expect(a.samples).toBe(0);
    expect(a.gaps).toEqual([{ start: T0, end: T0 + HOUR, durationMs: HOUR }]);
    expect(a.targets.map((t) => [t.id, t.uptimePct, t.samples, t.noDataMs])).toEqual([
      ['api', null, 0, HOUR],
      ['db', null, 0, HOUR],
    ]);
    expect(a.system).toEqual([]);
  });

  it('limits to the requested targets and names unknown ones', async () => {
    const samples = series(T0, T0 + HOUR, STEP, () => ({ api: up(), db: up(), x: up() }));
    const a = await analyzeWindow(
      arraySource(samples),
      cfg,
      { from: T0, to: T0 + HOUR, targets: ['db', 'nope'] },
      undefined,
      tz,
    );
    expect(a.targets.map((t) => t.id)).toEqual(['db']);
    expect(a.unknownTargets).toEqual(['nope']);
    expect(Object.keys(a.timeline.series).filter((s) => s.startsWith('tg.'))).toEqual([
      'tg.db.up',
      'tg.db.ms',
    ]);
  });

  it('rejects a window whose end is not after its start, saying so', async () => {
    await expect(analyzeWindow(arraySource([]), cfg, { from: T0, to: T0 })).rejects.toThrow(
      /"to" .* is not after "from"/,
    );
    await expect(analyzeWindow(arraySource([]), cfg, { from: NaN, to: T0 })).rejects.toThrow(
      /invalid window/,
    );
    await expect(
      analyzeWindow(arraySource([]), cfg, { from: T0, to: T0 + 1 }, undefined, {
        timeZone: 'Mars/Base',
      }),
    ).rejects.toThrow(/unknown time zone "Mars\/Base"/);
  });

  it('skips out-of-order samples instead of corrupting the runs', async () => {
    const samples = series(T0, T0 + HOUR, STEP, () => ({ api: up() }));
    samples.splice(10, 0, { v: 1, t: T0, tg: { api: down() } });
    const a = await analyzeWindow(
      arraySource(samples),
      cfg,
      { from: T0, to: T0 + HOUR },
      undefined,
      tz,
    );
    expect(a.targets[0].uptimePct).toBe(100);
    expect(a.samples).toBe(120);
  });

  it('reports progress ending at 1', async () => {
    const samples = series(T0, T0 + 2 * DAY, STEP, () => ({ api: up() }));
    const seen: number[] = [];
    await analyzeWindow(
      arraySource(samples),
      cfg,
      { from: T0, to: T0 + 2 * DAY },
      (f) => seen.push(f),
      tz,
    );
    expect(seen.length).toBeGreaterThan(1);
    expect(seen.every((f, i) => f >= 0 && f <= 1 && (i === 0 || f >= seen[i - 1]))).toBe(true);
    expect(seen.at(-1)).toBe(1);
  });
});
