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

export function fmtBytesRate(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return NONE;
  const units = ['B/s', 'KB/s', 'MB/s', 'GB/s'];
  let x = v;
  let i = 0;
  while (Math.abs(x) >= 1024 && i < units.length - 1) {
    x /= 1024;
    i++;
  }
  return `${x.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
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

export function fmtTime(t: number | null | undefined): string {
  if (t === null || t === undefined || !Number.isFinite(t)) return NONE;
  const d = new Date(t);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
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
