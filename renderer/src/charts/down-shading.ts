import type uPlot from 'uplot';
import type { ChartColumns } from './columns';
import { theme } from './theme';
import { visibleIdxs } from './visible-window';

/** Strip height in CSS px, per target that was down. */
export const STRIP_PX = 5;

/** Indexes of the shaded targets that were down at least once in the data. */
export function downIndexes(c: ChartColumns | null): number[] {
  if (!c) return [];
  const out: number[] = [];
  c.up.forEach((col, i) => {
    if (col.some((v) => v !== null && v < 1)) out.push(i);
  });
  return out;
}

/** Bottom padding (CSS px) a chart reserves for its strips, one row per shaded target. */
export function stripsPadding(targets: number): number {
  return targets > 0 ? targets * (STRIP_PX + 1) + 4 : 0;
}

/**
 * Down time as one strip per target under the time axis, in the space stripsPadding()
 * reserved: a row per target, its swatch in the line's colour, red cells only where that
 * target was down, as opaque as the share of the bucket it was down. At 30 d a minute's
 * outage is a faint tick, not a red wall, and a target that never failed stays blank.
 */
export function shadeDownPeriods(u: uPlot, c: ChartColumns | null, colors: string[]): void {
  if (!c || c.up.length === 0 || c.t.length === 0) return;
  const ctx = u.ctx;
  const dpr = window.devicePixelRatio || 1;
  const { left, width } = u.bbox;
  const rgb = theme().down;
  const strip = Math.round(STRIP_PX * dpr);
  const [i0, i1] = visibleIdxs(u, c.t.length);
  const n = c.t.length;
  const x = (i: number) => u.valToPos(c.t[i], 'x', true);
  const bottom = ctx.canvas.height - 2 * dpr;
  const rows = c.up.length;
  ctx.save();
  ctx.beginPath();
  ctx.rect(left, bottom - rows * (strip + dpr), width, rows * (strip + dpr));
  ctx.clip();
  c.up.forEach((up, row) => {
    const y = bottom - (rows - row) * (strip + dpr);
    ctx.fillStyle = colors[row] ?? '#888';
    ctx.fillRect(left, y, 3 * dpr, strip);
    for (let i = Math.max(0, i0 - 1); i <= Math.min(n - 1, i1 + 1); i++) {
      const v = up[i];
      if (v === null || v >= 1) continue;
      const w = i + 1 < n ? x(i + 1) - x(i) : u.valToPos(c.t[i] + (c.step || 1), 'x', true) - x(i);
      ctx.fillStyle = `rgba(${rgb}, ${(0.35 + 0.65 * (1 - v)).toFixed(3)})`;
      ctx.fillRect(Math.max(left + 4 * dpr, x(i)), y, Math.max(dpr, w), strip);
    }
  });
  ctx.restore();
}
