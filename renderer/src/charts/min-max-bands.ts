import type uPlot from 'uplot';
import type { ChartColumns } from './columns';
import { visibleIdxs } from './visible-window';

/**
 * Each line's min..max band as one filled outline per unbroken run of points: a single
 * fill, where uPlot's own bands cost two more series (paths, legend rows, range scans)
 * and a clip per band. `fills` holds one fill style per line.
 */
export function drawMinMaxBands(u: uPlot, c: ChartColumns | null, fills: string[]): void {
  if (!c?.min || !c.max || c.t.length === 0) return;
  const max = c.max;
  const [i0, i1] = visibleIdxs(u, c.t.length);
  const ctx = u.ctx;
  const { left, top, width, height } = u.bbox;
  const x = (j: number) => u.valToPos(c.t[j], 'x', true);
  ctx.save();
  ctx.beginPath();
  ctx.rect(left, top, width, height);
  ctx.clip();
  c.min.forEach((lo, i) => {
    const hi = max[i];
    ctx.beginPath();
    let j = i0;
    while (j <= i1) {
      while (j <= i1 && (lo[j] === null || hi[j] === null)) j++;
      const start = j;
      while (j <= i1 && lo[j] !== null && hi[j] !== null) j++;
      if (j === start) break;
      ctx.moveTo(x(start), u.valToPos(hi[start]!, 'y', true));
      for (let k = start + 1; k < j; k++) ctx.lineTo(x(k), u.valToPos(hi[k]!, 'y', true));
      for (let k = j - 1; k >= start; k--) ctx.lineTo(x(k), u.valToPos(lo[k]!, 'y', true));
      ctx.closePath();
    }
    ctx.fillStyle = fills[i];
    ctx.fill();
  });
  ctx.restore();
}
