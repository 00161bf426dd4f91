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

/** Rings at (time, value) points, e.g. the anomaly detector's marks on a series. */
export function drawPoints(u: uPlot, points: ChartSpec['points'], color: string): void {
  if (!points) return;
  const ctx = u.ctx;
  const dpr = window.devicePixelRatio || 1;
  const { left, top, width, height } = u.bbox;
  ctx.save();
  ctx.strokeStyle = color;
  ctx.lineWidth = 2 * dpr;
  for (const p of points()) {
    if (!(p.value > 0 || u.scales.y.distr !== 3)) continue;
    const x = u.valToPos(p.t / 1000, 'x', true);
    const y = u.valToPos(p.value, 'y', true);
    if (x < left || x > left + width) continue;
    ctx.beginPath();
    ctx.arc(x, Math.min(Math.max(y, top), top + height), 5 * dpr, 0, 2 * Math.PI);
    ctx.stroke();
  }
  ctx.restore();
}
