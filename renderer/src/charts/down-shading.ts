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

/**
 * Down time as one strip per target along the bottom of the plot, only for targets that
 * were down: a cell's opacity is the share of its bucket that target was down, so at 30 d
 * a minute's outage is a faint tick, not a red wall, and the strip's swatch (the line's
 * colour) says whose it was.
 */
export function shadeDownPeriods(u: uPlot, c: ChartColumns | null, colors: string[]): void {
  const rows = downIndexes(c);
  if (!c || rows.length === 0 || c.t.length === 0) return;
  const ctx = u.ctx;
  const dpr = uPlotRatio();
  const { left, top, width, height } = u.bbox;
  const rgb = theme().down;
  const strip = Math.round(STRIP_PX * dpr);
  const [i0, i1] = visibleIdxs(u, c.t.length);
  const n = c.t.length;
  const x = (i: number) => u.valToPos(c.t[i], 'x', true);
  ctx.save();
  ctx.beginPath();
  ctx.rect(left, top, width, height);
  ctx.clip();
  rows.forEach((row, k) => {
    const y = top + height - (k + 1) * (strip + dpr);
    const up = c.up[row];
    for (let i = Math.max(0, i0 - 1); i <= Math.min(n - 1, i1 + 1); i++) {
      const v = up[i];
      if (v === null || v >= 1) continue;
      const w = i + 1 < n ? x(i + 1) - x(i) : u.valToPos(c.t[i] + (c.step || 1), 'x', true) - x(i);
      ctx.fillStyle = `rgba(${rgb}, ${(0.3 + 0.7 * (1 - v)).toFixed(3)})`;
      ctx.fillRect(x(i), y, Math.max(dpr, w), strip);
    }
    ctx.fillStyle = colors[row] ?? '#888';
    ctx.fillRect(left, y, 4 * dpr, strip);
  });
  ctx.restore();
}

function uPlotRatio(): number {
  return window.devicePixelRatio || 1;
}
