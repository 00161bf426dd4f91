import type { SystemSample, TargetSample } from '../../../shared/sample';

/** `45s`, `12m`, `3h 5m`, `2d 4h`: short enough for a tray line. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 24) return m % 60 ? `${h}h ${m % 60}m` : `${h}h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d}d ${h % 24}h` : `${d}d`;
}

/** Three significant figures at most, no trailing noise: 1234.5 -> 1235, 0.61234 -> 0.612. */
export function formatValue(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (Math.abs(x) >= 100) return String(Math.round(x));
  return String(Number(x.toPrecision(3)));
}

/** The latest figure of a target for the tray menu: `12 ms`, `up`, `down: ECONNREFUSED`. */
export function describeFigure(s: TargetSample): string {
  if (s.up !== 1) return `down: ${s.err ?? 'no response'}`;
  return s.ms !== undefined ? `${formatValue(s.ms)} ms` : 'up';
}

export function describeSystem(s: SystemSample): string {
  const parts: string[] = [];
  if (s.cpu !== undefined) parts.push(`cpu ${formatValue(s.cpu)}%`);
  if (s.mem !== undefined) parts.push(`mem ${formatValue(s.mem)}%`);
  if (s.disk) {
    const worst = Math.max(...Object.values(s.disk));
    if (Number.isFinite(worst)) parts.push(`disk ${formatValue(worst)}%`);
  }
  return parts.length > 0 ? parts.join(' · ') : 'no data';
}
