import type { Sample } from './sample';

/**
 * Stable series names: the vocabulary shared by the store's rollups, queries, alert
 * rules, reports and the Prometheus export.
 *
 *   sys.cpu, sys.mem, sys.swap, sys.load1, sys.load5, sys.load15, sys.temp, sys.battery,
 *   sys.net.rx, sys.net.tx, sys.disk.<mount>        (e.g. sys.disk./)
 *   tg.<id>.up    1 or 0
 *   tg.<id>.ms    latency, ms
 *   tg.<id>.ttfb  time to first byte, ms
 *   tg.<id>.cert  TLS certificate days left
 *   tg.<id>.m.<metric>   a custom metric extracted from JSON
 *   anomaly(<series>)    the anomaly score (0..1) of a series, for rules only
 *   forecast(<series>)   days until a disk or memory is full (1e6: no forecast), rules only
 */
export type SeriesKind = 'up' | 'latency' | 'gauge';

export function seriesKind(name: string): SeriesKind {
  if (name.startsWith('tg.')) {
    if (name.endsWith('.up') && !name.includes('.m.')) return 'up';
    if ((name.endsWith('.ms') || name.endsWith('.ttfb')) && !name.includes('.m.')) return 'latency';
  }
  return 'gauge';
}

export function targetSeries(id: string, field: 'up' | 'ms' | 'ttfb' | 'cert'): string {
  return `tg.${id}.${field}`;
}

/** The rule series of a series' anomaly score: `anomaly(tg.api.ms)`. */
export function anomalySeries(series: string): string {
  return `anomaly(${series})`;
}

/** The rule series of a series' time to full in days: `forecast(sys.disk./)`. */
export function forecastSeries(series: string): string {
  return `forecast(${series})`;
}

export function metricSeries(id: string, metric: string): string {
  return `tg.${id}.m.${metric}`;
}

/** Splits `tg.<id>.<rest>` into id and rest; ids never contain dots (schema-enforced). */
export function parseTargetSeries(name: string): { id: string; rest: string } | null {
  if (!name.startsWith('tg.')) return null;
  const dot = name.indexOf('.', 3);
  if (dot < 0) return null;
  return { id: name.slice(3, dot), rest: name.slice(dot + 1) };
}

/** Calls fn for every numeric value in a sample, by series name. Nulls are skipped. */
export function forEachValue(sample: Sample, fn: (series: string, value: number) => void): void {
  const sys = sample.sys;
  if (sys) {
    if (sys.cpu !== undefined) fn('sys.cpu', sys.cpu);
    if (sys.mem !== undefined) fn('sys.mem', sys.mem);
    if (sys.swap !== undefined) fn('sys.swap', sys.swap);
    if (sys.load1 !== undefined) fn('sys.load1', sys.load1);
    if (sys.load5 !== undefined) fn('sys.load5', sys.load5);
    if (sys.load15 !== undefined) fn('sys.load15', sys.load15);
    if (sys.temp !== undefined) fn('sys.temp', sys.temp);
    if (sys.battery !== undefined) fn('sys.battery', sys.battery);
    if (typeof sys.rx === 'number') fn('sys.net.rx', sys.rx);
    if (typeof sys.tx === 'number') fn('sys.net.tx', sys.tx);
    if (sys.disk) for (const [mount, pct] of Object.entries(sys.disk)) fn(`sys.disk.${mount}`, pct);
  }
  for (const [id, s] of Object.entries(sample.tg)) {
    fn(`tg.${id}.up`, s.up);
    if (s.ms !== undefined) fn(`tg.${id}.ms`, s.ms);
    if (s.fb !== undefined) fn(`tg.${id}.ttfb`, s.fb);
    if (s.cd !== undefined) fn(`tg.${id}.cert`, s.cd);
    if (s.m) for (const [k, v] of Object.entries(s.m)) fn(`tg.${id}.m.${k}`, v);
  }
  if (sample.an) for (const [k, v] of Object.entries(sample.an)) fn(k, v);
}

/** A flat map of series name to value for one sample. */
export function flattenSample(sample: Sample): Map<string, number> {
  const out = new Map<string, number>();
  forEachValue(sample, (k, v) => out.set(k, v));
  return out;
}
