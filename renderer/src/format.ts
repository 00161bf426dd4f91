/** Display formats shared by every view; "–" marks no data (never a fake zero). */
export const NONE = '–';

export function fmtMs(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return NONE;
  if (v >= 10_000) return `${(v / 1000).toFixed(1)} s`;
  if (v >= 100) return `${Math.round(v)} ms`;
  return `${v.toFixed(1)} ms`;
}

export function fmtPct(v: number | null | undefined, digits = 2): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return NONE;
  return `${v.toFixed(digits)} %`;
}

/**
 * Uptime, rounded down: 99.9999 % reads 99.999 %, never 100 % while there was down time.
 */
export function fmtUptime(v: number | null | undefined, digits = 3): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return NONE;
  const f = 10 ** digits;
  return `${(Math.floor(v * f) / f).toFixed(digits)} %`;
}

/** Decimal SI (1 kB = 1000 B), as network rates are quoted. */
export const RATE_UNITS = ['B/s', 'kB/s', 'MB/s', 'GB/s'] as const;

export function fmtBytesRate(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return NONE;
  let x = v;
  let i = 0;
  while (Math.abs(x) >= 1000 && i < RATE_UNITS.length - 1) {
    x /= 1000;
    i++;
  }
  return `${x.toFixed(i === 0 ? 0 : 1)} ${RATE_UNITS[i]}`;
}

export function fmtNum(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return NONE;
  const a = Math.abs(v);
  if (a >= 1000) return v.toFixed(0);
  if (a >= 10) return v.toFixed(1);
  return v.toFixed(3).replace(/\.?0+$/, '') || '0';
}

export function fmtDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return NONE;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  const hr = Math.floor(m / 60);
  if (hr < 48) return `${hr} h ${m % 60} min`;
  return `${Math.floor(hr / 24)} d ${hr % 24} h`;
}

/** Every date and time on screen comes from these, in the user's locale. */
const DATE_TIME = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});
const DAY_TIME = new Intl.DateTimeFormat(undefined, {
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});
const TIME = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const TIME_S = new Intl.DateTimeFormat(undefined, {
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});
const DAY = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });
const MONTH = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short' });

export function fmtTime(t: number | null | undefined): string {
  if (t === null || t === undefined || !Number.isFinite(t)) return NONE;
  return DATE_TIME.format(t);
}

function sameDay(a: number, b: number): boolean {
  return new Date(a).toDateString() === new Date(b).toDateString();
}

/** "17:05" today, "Dec 2, 17:05" on another day: for "since". */
export function fmtClock(t: number | null | undefined, now = Date.now()): string {
  if (t === null || t === undefined || !Number.isFinite(t)) return NONE;
  return sameDay(t, now) ? TIME.format(t) : DAY_TIME.format(t);
}

/** "17:05:12" today, with the date on another day: for "disconnected since". */
export function fmtClockS(t: number, now = Date.now()): string {
  return sameDay(t, now) ? TIME_S.format(t) : DATE_TIME.format(t);
}

/** Axis ticks: the time of day within a day, the day within a year, else the month. */
export function fmtTick(t: number, stepMs: number): string {
  if (stepMs < 86_400_000) return TIME.format(t);
  if (stepMs < 28 * 86_400_000) return DAY.format(t);
  return MONTH.format(t);
}

/** Exact to the second, for incidents: "1 min 30 s", "2 h 0 min 5 s", "3 d 4 h 0 min 0 s". */
export function fmtDurationS(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return NONE;
  const s = Math.round(ms / 1000);
  const parts: string[] = [];
  const d = Math.floor(s / 86_400);
  const hr = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) parts.push(`${d} d`);
  if (d > 0 || hr > 0) parts.push(`${hr} h`);
  if (s >= 60) parts.push(`${m} min`);
  parts.push(`${s % 60} s`);
  return parts.join(' ');
}

/** Short, for "down 3 min": seconds under a minute, then minutes, hours, days. */
export function fmtFor(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  const hr = Math.floor(m / 60);
  if (hr < 48) return m % 60 ? `${hr} h ${m % 60} min` : `${hr} h`;
  return `${Math.floor(hr / 24)} d`;
}

/** The value formatter for a series name (see shared/series.ts). */
export function formatterFor(series: string): (v: number | null | undefined) => string {
  if (series.endsWith('.ms') || series.endsWith('.ttfb')) return fmtMs;
  if (series.startsWith('sys.net.')) return fmtBytesRate;
  if (/^sys\.(cpu|mem|swap|battery|disk\.)/.test(series)) return (v) => fmtPct(v, 1);
  if (series === 'sys.temp')
    return (v) => (v === null || v === undefined ? NONE : `${v.toFixed(1)} °C`);
  return fmtNum;
}
