import type uPlot from 'uplot';
import type { ChartSpec } from './chart-spec';
import { theme } from './theme';

/** Dashed horizontal reference lines with their label at the right edge (p50, p95). */
export function drawMarks(u: uPlot, marks: ChartSpec['marks'], color: string): void {
  if (!marks) return;
  const ctx = u.ctx;
  const dpr = window.devicePixelRatio || 1;
  const { left, top, width, height } = u.bbox;
  ctx.save();
  ctx.beginPath();
  ctx.rect(left, top, width, height);
  ctx.clip();
  ctx.strokeStyle = color;
  ctx.fillStyle = theme().muted;
  ctx.lineWidth = dpr;
  ctx.setLineDash([4 * dpr, 4 * dpr]);
  ctx.font = `${11 * dpr}px system-ui, sans-serif`;
  ctx.textAlign = 'right';
  for (const m of marks()) {
    if (m.value === null || !(m.value > 0 || u.scales.y.distr !== 3)) continue;
    const y = Math.round(u.valToPos(m.value, 'y', true)) + 0.5;
    if (y < top || y > top + height) continue;
    ctx.beginPath();
    ctx.moveTo(left, y);
    ctx.lineTo(left + width, y);
    ctx.stroke();
    ctx.fillText(m.label, left + width - 4 * dpr, y - 3 * dpr);
  }
  ctx.restore();
}
