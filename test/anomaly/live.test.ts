import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnomalyService } from '../../electron/main/anomaly/anomaly-service';
import { Monitor } from '../../electron/main/core/monitor';
import { createMonitorMetrics } from '../../electron/main/prometheus/monitor-metrics';
import { startServer, type RunningServer } from '../../electron/main/server/server';
import { SampleStore } from '../../electron/main/store/sample-store';
import { SAMPLE_VERSION } from '../../shared/sample';
import type { AnomalyReport, ForecastReport } from '../../shared/anomaly';
import { makeTmpDir, removeDir } from '../helpers/tmp-dir';

const MIN = 60_000;
const DAY = 24 * 60 * MIN;
const SERIES = 'tg.jobs.m.queue';
/** Minute ticks ending well before now, so the store's replay range covers them. */
const T0 = Math.floor((Date.now() - 12 * 60 * MIN) / MIN) * MIN;
const TICKS = 420;
const SPIKE = 380;

/**
 * The detector live: a real Monitor probing a real file target every tick, its anomaly
 * marks and rates through the API, /metrics and the HTTP routes, its state file across a
 * restart, and its rebuild from the store when that file is gone.
 */
describe('anomaly detection in the running monitor', () => {
  let dir: string;
  let dataDir: string;
  let monitor: Monitor;
  let server: RunningServer;

  const open = async (): Promise<Monitor> => Monitor.open({ dataDir, systemMetrics: false });

  beforeAll(async () => {
    dir = await makeTmpDir('opspulse-anomaly-');
    dataDir = path.join(dir, 'data');
    const file = path.join(dir, 'jobs.json');
    await fs.writeFile(file, '{"queue": 10}');
    // Eight days of history before the live ticks: a disk filling 2 %/day and a target
    // whose latency creeps up 5 ms a day.
    const store = await SampleStore.open(dataDir);
    for (let t = T0 - 8 * DAY; t < T0; t += 5 * MIN) {
      const d = (t - T0) / DAY;
      store.append({
        v: SAMPLE_VERSION,
        t,
        sys: { disk: { '/': 60 + 2 * d + Math.sin(2 * Math.PI * d) } },
        tg: { api: { up: 1, ms: 200 + 5 * d + ((t / (5 * MIN)) % 7) } },
      });
    }
    await store.close();
    monitor = await open();
    await monitor.saveTarget({ id: 'jobs', name: 'Jobs', kind: 'file', path: file });
    // Off by default; a person adds it: tell me when the queue length is unusual.
    await monitor.saveRule({
      id: 'queue-unusual',
      series: `anomaly(${SERIES})`,
      op: '>=',
      crit: 0.9,
    });
    for (let i = 0; i < TICKS; i++) {
      // A queue that wobbles between 8 and 12, then one tick at 500.
      const queue = i === SPIKE ? 500 : 10 + ((i * 7) % 5) - 2;
      await fs.writeFile(file, JSON.stringify({ queue }));
      await monitor.tick(T0 + i * MIN);
    }
    await fs.mkdir(path.join(dir, 'static'), { recursive: true });
    server = await startServer({
      api: monitor,
      host: '127.0.0.1',
      port: 0,
      staticDir: path.join(dir, 'static'),
    });
  }, 120_000);

  afterAll(async () => {
    await server?.close();
    await monitor?.close();
    await removeDir(dir);
  });

  const range = { from: T0, to: T0 + TICKS * MIN };

  it('marks the spike, and only the spike, with its value and a rate', async () => {
    const report = await monitor.anomalies(range);
    const marks = report.marks.filter((m) => m.series === SERIES);
    expect(marks).toEqual([
      expect.objectContaining({ t: T0 + SPIKE * MIN, series: SERIES, value: 500 }),
    ]);
    expect(marks[0].score).toBeGreaterThanOrEqual(0.9);
    const rate = report.rates.find((r) => r.series === SERIES);
    expect(rate).toMatchObject({ samples: TICKS, anomalies: 1 });
    // Up/down is not a series to find anomalies in.
    expect(report.latest.map((l) => l.series)).not.toContain('tg.jobs.up');
  });

  it('fires a rule on the anomaly score at the spike, and recovers after it', async () => {
    const events = (await monitor.events({ since: T0 })).filter((e) => e.rule === 'queue-unusual');
    // The first is the rule's first verdict (ok); then the spike, and the recovery.
    expect(events.map((e) => e.to)).toEqual(['ok', 'crit', 'ok']);
    expect(events.slice(1).map((e) => e.t)).toEqual([T0 + SPIKE * MIN, T0 + (SPIKE + 2) * MIN]);
    expect(events[1].value).toBeGreaterThanOrEqual(0.9);
  });

  it('serves marks and forecasts over HTTP, and refuses a bad range by name', async () => {
    const res = await fetch(
      `${server.url}/api/anomalies?from=${range.from}&to=${range.to}&series=${SERIES}`,
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as AnomalyReport;
    expect(body.marks.map((m) => m.t)).toEqual([T0 + SPIKE * MIN]);
    const bad = await fetch(`${server.url}/api/anomalies?from=${range.to}&to=${range.from}`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/to/);
    const f = await fetch(`${server.url}/api/forecasts`);
    const forecasts = (await f.json()) as ForecastReport;
    const item = (series: string) => forecasts.items.find((i) => i.series === series);
    // 60 % eight days ago at 2 %/day: about 60 % now (plus half a day), full in ~20 days.
    expect(item('sys.disk./')).toMatchObject({ kind: 'time-to-full', ok: true });
    expect(item('sys.disk./')?.days).toBeGreaterThan(17);
    expect(item('sys.disk./')?.days).toBeLessThan(21);
    expect(item('sys.disk./')?.text).toMatch(/^full in ~(18|19|20) days/);
    expect(item('tg.api.ms')).toMatchObject({ kind: 'latency-creep', ok: true });
    expect(item('tg.api.ms')?.perDay).toBeCloseTo(5, 0);
  });

  it('exports the latest score on /metrics', async () => {
    const metrics = createMonitorMetrics(monitor, { windows: {} });
    const text = await metrics.render();
    metrics.close();
    const m = /^opspulse_anomaly_score\{series="tg\.jobs\.m\.queue"\} (\S+)$/m.exec(text);
    expect(m).not.toBeNull();
    const latest = (await monitor.anomalies(range)).latest.find((l) => l.series === SERIES);
    expect(Number(m?.[1])).toBe(latest?.score);
  });

  it('keeps its state across a restart, and rebuilds it from the store when it is gone', async () => {
    const before = await monitor.anomalies(range);
    await server.close();
    await monitor.close();
    const stateFile = path.join(dataDir, 'anomaly', 'state.json');
    await fs.access(stateFile);

    monitor = await open();
    expect(await monitor.anomalies(range)).toEqual(before);
    await monitor.close();

    // Samples stored after the last save (a crash) are caught up from the store.
    // Two hours on, so the hourly counts of the range below do not include it.
    const late = T0 + (TICKS + 150) * MIN;
    const store = await SampleStore.open(dataDir);
    store.append({ v: SAMPLE_VERSION, t: late, tg: { jobs: { up: 1, m: { queue: 10 } } } });
    await store.close();
    monitor = await open();
    const caught = await monitor.anomalies({ from: T0, to: late + 1 });
    expect(caught.rates.find((r) => r.series === SERIES)?.samples).toBe(TICKS + 1);
    expect(caught.latest.find((l) => l.series === SERIES)?.t).toBe(late);
    await monitor.close();

    await fs.rm(stateFile);
    monitor = await open();
    const rebuilt = await monitor.anomalies(range);
    expect(rebuilt.marks).toEqual(before.marks);
    expect(rebuilt.rates.find((r) => r.series === SERIES)).toMatchObject({
      samples: TICKS,
      anomalies: 1,
    });
    server = await startServer({
      api: monitor,
      host: '127.0.0.1',
      port: 0,
      staticDir: path.join(dir, 'static'),
    });
  });

  it('fires a rule on a forecast: the disk full within 30 days', async () => {
    await monitor.saveRule({ id: 'disk-fills', series: 'forecast(sys.disk./)', op: '<', crit: 30 });
    const f = await monitor.forecasts();
    const days = f.items.find((i) => i.series === 'sys.disk./')?.days;
    // The first tick asks for the forecast, the next one has it.
    for (let i = 0; i < 3; i++) await monitor.tick(T0 + (TICKS + i) * MIN);
    const events = (await monitor.events({ since: T0 })).filter((e) => e.rule === 'disk-fills');
    expect(events.map((e) => e.to)).toEqual(['crit']);
    expect(events[0].value).toBe(days);
    expect(events[0].message).toContain('forecast(sys.disk./)');
  });

  it('puts "Unusual this period" in reports, from the saved counts', async () => {
    await monitor.anomaly.save();
    const md = await monitor.exportReport({ ...range, format: 'md' });
    expect(md.content).toMatch(/Unusual this period/);
    expect(md.content).toMatch(/\| tg\.jobs\.m\.queue +\| +1 +\| +420 +\|/);
    const json = await monitor.exportReport({ ...range, format: 'json' });
    const data = JSON.parse(json.content) as { anomalies: { series: string; anomalies: number }[] };
    expect(data.anomalies).toContainEqual(
      expect.objectContaining({ series: SERIES, anomalies: 1, samples: TICKS }),
    );
  });
});

describe('anomaly state housekeeping', () => {
  it('forgets a series gone for a month, and keeps one still reporting', async () => {
    const dir = await makeTmpDir('opspulse-anomaly-prune-');
    try {
      const svc = new AnomalyService(dir);
      const t0 = Date.UTC(2026, 0, 1);
      for (let i = 0; i < 10; i++) {
        svc.ingest({ v: SAMPLE_VERSION, t: t0 + i * MIN, tg: { old: { up: 1, ms: 5 } } });
      }
      const later = t0 + 40 * DAY;
      svc.ingest({ v: SAMPLE_VERSION, t: later, tg: { new: { up: 1, ms: 5 } } });
      await svc.save(later);
      const reloaded = new AnomalyService(dir);
      expect(reloaded.latest().map((l) => l.series)).toEqual(['tg.new.ms']);
    } finally {
      await removeDir(dir);
    }
  });
});
