/** Number, time and duration formatting shared by the Markdown and HTML reports. */
import { zoneFormatter } from '../analysis/days';

export function fmtPct(x: number | null, digits = 2): string {
  if (x === null) return '–';
  // 99.999 must not round up to a misleading 100.00.
  const f = Math.pow(10, digits);
  const v = x < 100 ? Math.floor(x * f) / f : x;
  return `${v.toFixed(digits)} %`;
}

export function fmtMs(x: number | null): string {
  if (x === null) return '–';
  if (x >= 10_000) return `${(x / 1000).toFixed(1)} s`;
  if (x >= 100) return `${Math.round(x)} ms`;
  return `${x.toFixed(1)} ms`;
}

/** A plain number with about three significant digits. */
export function fmtNum(x: number | null): string {
  if (x === null) return '–';
  const a = Math.abs(x);
  // Rounding noise (a flat series' slope of 1e-14) reads as zero.
  if (a < 1e-9) return '0';
  if (a >= 1000) return Math.round(x).toLocaleString('en-US');
  if (a >= 100) return x.toFixed(0);
  if (a >= 10) return x.toFixed(1);
  if (a >= 1) return x.toFixed(2);
  return x.toPrecision(3);
}

export function fmtSigned(x: number | null, unit = ''): string {
  if (x === null) return '–';
  const s = fmtNum(x);
  return `${x > 0 && s !== '0' ? '+' : ''}${s}${unit}`;
}

export function fmtDuration(ms: number | null): string {
  if (ms === null) return '–';
  if (ms === 0) return '0 s';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (d > 0) return h > 0 ? `${d} d ${h} h` : `${d} d`;
  if (h > 0) return m > 0 ? `${h} h ${m} min` : `${h} h`;
  return sec > 0 ? `${m} min ${sec} s` : `${m} min`;
}

/** "2026-01-05 14:03" in the report's time zone. */
export function fmtTime(t: number | null, timeZone: string): string {
  if (t === null) return '–';
  const parts = zoneFormatter(timeZone, true).formatToParts(t);
  const p = Object.fromEntries(parts.map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

/** "24 h", "7 d", or the duration for an odd window. */
export function windowLabel(from: number, to: number): string {
  const ms = to - from;
  const hours = ms / 3_600_000;
  if (Number.isInteger(hours) && hours <= 48) return `${hours}h`;
  const days = ms / 86_400_000;
  if (Number.isInteger(days)) return `${days}d`;
  if (Number.isInteger(hours)) return `${hours}h`;
  return `${Math.max(1, Math.round(ms / 60_000))}m`;
}

export function humanWindow(from: number, to: number): string {
  return windowLabel(from, to).replace(/^(\d+)([hdm])$/, (_, n: string, u: string) => {
    const unit = u === 'h' ? 'hours' : u === 'd' ? 'days' : 'minutes';
    return `${n} ${n === '1' ? unit.slice(0, -1) : unit}`;
  });
}
