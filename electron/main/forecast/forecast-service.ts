import type { ForecastItem, ForecastReport } from '../../../shared/anomaly';
import type { Sample } from '../../../shared/sample';
import { certExpiry } from './cert-expiry';
import { describeTimeToFull } from './describe';
import { latencyCreep, type DailyValue } from './latency-creep';
import { timeToFull, type Point } from './time-to-full';

const MINUTE = 60_000;
const DAY = 86_400_000;
/** History read for forecasts: two weeks of daily p95 for latency creep. */
const SPAN = 14 * DAY;
/** Time to full looks at the last week only (a fill that changed pace long ago is old news). */
const FILL_SPAN = 8 * DAY;
/** Forecasts are recomputed at most this often; a tile asks far more often. */
const CACHE_MS = 10 * MINUTE;

export type SampleSource = (range: { from: number; to: number }) => AsyncIterable<Sample>;

function p95(xs: number[]): number {
  const s = xs.sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(0.95 * s.length) - 1)];
}

/**
 * Time to full for memory and each disk (percent used, full at 100), days until each
 * target's certificate expires, and each target's latency creep, from the store's recent
 * samples. Every item passed its quality gate or says why not.
 */
export async function computeForecasts(read: SampleSource, now: number): Promise<ForecastReport> {
  // Minute peaks are all time to full needs (it works on hourly peaks) and keep memory small.
  const fill = new Map<string, Map<number, number>>();
  const latency = new Map<string, Map<number, number[]>>();
  const cert = new Map<string, { t: number; certDays: number }>();
  const addPeak = (series: string, t: number, v: number): void => {
    let m = fill.get(series);
    if (!m) fill.set(series, (m = new Map()));
    const k = Math.floor(t / MINUTE);
    m.set(k, Math.max(m.get(k) ?? -Infinity, v));
  };
  for await (const s of read({ from: now - SPAN, to: now })) {
    if (s.t >= now - FILL_SPAN && s.sys) {
      if (s.sys.mem !== undefined) addPeak('sys.mem', s.t, s.sys.mem);
      for (const [mount, pct] of Object.entries(s.sys.disk ?? {}))
        addPeak(`sys.disk.${mount}`, s.t, pct);
    }
    for (const [id, tg] of Object.entries(s.tg)) {
      if (tg.cd !== undefined) cert.set(id, { t: s.t, certDays: tg.cd });
      if (tg.ms !== undefined && tg.up === 1) {
        let days = latency.get(id);
        if (!days) latency.set(id, (days = new Map()));
        const day = Math.floor(s.t / DAY) * DAY;
        let list = days.get(day);
        if (!list) days.set(day, (list = []));
        list.push(tg.ms);
      }
    }
  }
  const items: ForecastItem[] = [];
  for (const [series, peaks] of fill) {
    const points: Point[] = [...peaks].map(([k, v]) => ({ t: k * MINUTE, v }));
    const f = timeToFull(points, 100, now);
    items.push({
      series,
      kind: 'time-to-full',
      ok: f.kind === 'full',
      ...(f.kind === 'full' ? { days: f.days } : {}),
      text: describeTimeToFull(f),
    });
  }
  for (const [id, last] of cert) {
    const c = certExpiry(last, now);
    items.push({
      series: `tg.${id}.cert`,
      kind: 'cert-expiry',
      ok: c.kind === 'expires',
      ...(c.kind === 'expires' ? { days: c.days } : {}),
      text:
        c.kind === 'expires'
          ? c.days <= 0
            ? 'certificate expired'
            : `certificate expires in ${Math.floor(c.days)} days`
          : `not enough data (${c.reason})`,
    });
  }
  for (const [id, days] of latency) {
    // Today is partial: its p95 would not be comparable with whole days.
    const today = Math.floor(now / DAY) * DAY;
    const daily: DailyValue[] = [...days]
      .filter(([day]) => day < today)
      .map(([day, ms]) => ({ day, p95: p95(ms) }));
    const c = latencyCreep(daily);
    const moving = c.kind === 'creeping' || c.kind === 'improving';
    let text: string;
    if (c.kind === 'not-enough-data') {
      text = `not enough data (${c.reason})`;
    } else if (c.kind === 'steady') {
      text = `daily p95 steady over ${c.days} days`;
    } else {
      const dir = c.kind === 'creeping' ? 'up' : 'down';
      text = `daily p95 ${dir} ${Math.abs(c.perDay).toFixed(1)} ms/day (${Math.round(c.from)} → ${Math.round(c.to)} ms over ${c.days} days)`;
    }
    items.push({
      series: `tg.${id}.ms`,
      kind: 'latency-creep',
      ok: moving,
      ...(c.kind === 'creeping' || c.kind === 'improving' ? { perDay: c.perDay } : {}),
      text,
    });
  }
  items.sort((a, b) => a.series.localeCompare(b.series));
  return { at: now, items };
}

/** computeForecasts, cached for CACHE_MS. */
export class ForecastService {
  private cached: { at: number; report: Promise<ForecastReport> } | undefined;

  constructor(private readonly read: SampleSource) {}

  get(now: number): Promise<ForecastReport> {
    if (!this.cached || now - this.cached.at >= CACHE_MS || now < this.cached.at) {
      const report = computeForecasts(this.read, now);
      this.cached = { at: now, report };
      report.catch(() => (this.cached = undefined));
    }
    return this.cached.report;
  }
}
