import { hairline } from './hairline';

/** A small canvas line for overview cards; uPlot would be heavy for a 120 px picture. */
export function drawSparkline(
  canvas: HTMLCanvasElement,
  values: (number | null)[],
  color: string,
): void {
  const dpr = window.devicePixelRatio || 1;
  const w = canvas.clientWidth || 120;
  const h = canvas.clientHeight || 32;
  canvas.width = Math.round(w * dpr);
  canvas.height = Math.round(h * dpr);
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, w, h);
  let max = 0;
  for (const v of values) if (v !== null && v > max) max = v;
  if (max === 0) max = 1;
  ctx.strokeStyle = color;
  ctx.lineWidth = Math.max(hairline(), 1);
  ctx.beginPath();
  let drawing = false;
  const n = values.length;
  values.forEach((v, i) => {
    if (v === null) {
      drawing = false;
      return;
    }
    const x = n <= 1 ? w / 2 : (i / (n - 1)) * (w - 2) + 1;
    const y = h - 2 - (v / max) * (h - 4);
    if (drawing) ctx.lineTo(x, y);
    else ctx.moveTo(x, y);
    drawing = true;
  });
  ctx.stroke();
  canvas.dataset.points = String(values.filter((v) => v !== null).length);
}
