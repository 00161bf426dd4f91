import type uPlot from 'uplot';
import type { ChartColumns } from './columns';
import { theme } from './theme';

/** Down periods behind the lines, darker the larger the down share of the point. */
export function shadeDownPeriods(u: uPlot, c: ChartColumns | null): void {
  if (!c || c.up.length === 0 || c.t.length === 0) return;
  const ctx = u.ctx;
  const { left, top, width, height } = u.bbox;
  const rgb = theme().down;
  ctx.save();
  ctx.beginPath();
  ctx.rect(left, top, width, height);
  ctx.clip();
  const n = c.t.length;
  const stepPx = (i: number) =>
    i + 1 < n
      ? u.valToPos(c.t[i + 1], 'x', true) - u.valToPos(c.t[i], 'x', true)
      : Math.max(2, u.valToPos(c.t[i] + (c.step || 1), 'x', true) - u.valToPos(c.t[i], 'x', true));
  for (let i = 0; i < n; i++) {
    let worst = 1;
    for (const up of c.up) {
      const v = up[i];
      if (v !== null && v < worst) worst = v;
    }
    if (worst >= 1) continue;
    ctx.fillStyle = `rgba(${rgb}, ${(0.12 + 0.28 * (1 - worst)).toFixed(3)})`;
    const x = u.valToPos(c.t[i], 'x', true);
    ctx.fillRect(x, top, Math.max(1, stepPx(i)), height);
  }
  ctx.restore();
}
