import { fmtNum, fmtTime } from './format';

/**
 * Small inline SVG charts for the HTML report: no script, no external file. Colours come
 * from CSS classes (c0..c7) so the page's light and dark themes restyle them.
 */
export function esc(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

export interface LineSeries {
  name: string;
  values: (number | null)[];
}

export interface LineChartSpec {
  title: string;
  t: number[];
  /** Each bucket spans [t, t + step). */
  step: number;
  series: LineSeries[];
  unit: string;
  timeZone: string;
  /** Fixed y range (e.g. 0..100 for percentages); fitted to the data otherwise. */
  yMin?: number;
  yMax?: number;
  /** Drawing height in SVG units (the width is fixed; the page scales both). */
  height?: number;
}

const W = 720;
const DEFAULT_H = 240;
const PAD = { l: 56, r: 12, t: 12, b: 28 };
export const PALETTE_SIZE = 8;

const n1 = (x: number): string => (Math.round(x * 10) / 10).toString();

/** Rounded tick values covering [lo, hi]. */
function niceTicks(lo: number, hi: number, count = 4): number[] {
  const span = hi - lo || Math.abs(hi) || 1;
  const raw = span / count;
  const mag = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(v);
  return out;
}

export function lineChart(spec: LineChartSpec): string {
  const { t, step, series } = spec;
  const H = spec.height ?? DEFAULT_H;
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of series)
    for (const v of s.values)
      if (v !== null) {
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
  if (lo === Infinity) return `<p class="empty">${esc(spec.title)}: no data.</p>`;
  lo = spec.yMin ?? Math.min(0, lo);
  hi = spec.yMax ?? (hi > lo ? hi * 1.05 : lo + 1);
  const x0 = t[0];
  const x1 = t[t.length - 1] + step;
  const px = (x: number): number => PAD.l + ((x - x0) / (x1 - x0)) * (W - PAD.l - PAD.r);
  const py = (y: number): number => H - PAD.b - ((y - lo) / (hi - lo)) * (H - PAD.t - PAD.b);

  const parts: string[] = [];
  for (const v of niceTicks(lo, hi)) {
    const y = n1(py(v));
    parts.push(
      `<line class="grid" x1="${PAD.l}" x2="${W - PAD.r}" y1="${y}" y2="${y}"/>`,
      `<text class="tick" x="${PAD.l - 6}" y="${y}" text-anchor="end" dominant-baseline="middle">${esc(fmtNum(v))}</text>`,
    );
  }
  const xTicks = 6;
  for (let i = 0; i <= xTicks; i++) {
    const x = x0 + ((x1 - x0) * i) / xTicks;
    const label = fmtTime(x, spec.timeZone);
    // Short windows need the time of day, long ones the date.
    const text = x1 - x0 <= 2 * 86_400_000 ? label.slice(5) : label.slice(0, 10);
    const anchor = i === 0 ? 'start' : i === xTicks ? 'end' : 'middle';
    parts.push(
      `<text class="tick" x="${n1(px(x))}" y="${H - 8}" text-anchor="${anchor}">${esc(text)}</text>`,
    );
  }
  series.forEach((s, i) => {
    let d = '';
    let pen = false;
    s.values.forEach((v, j) => {
      if (v === null) {
        pen = false;
        return;
      }
      const x = n1(px(t[j] + step / 2));
      const y = n1(py(Math.min(hi, Math.max(lo, v))));
      d += `${pen ? 'L' : 'M'}${x} ${y}`;
      pen = true;
    });
    if (d)
      parts.push(
        `<path class="line c${i % PALETTE_SIZE}" d="${d}"><title>${esc(s.name)}</title></path>`,
      );
  });
  const legend = series
    .map((s, i) => `<span class="key"><i class="c${i % PALETTE_SIZE}"></i>${esc(s.name)}</span>`)
    .join(' ');
  return (
    `<figure class="chart"><figcaption>${esc(spec.title)}${spec.unit ? ` (${esc(spec.unit)})` : ''}</figcaption>` +
    `<svg viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(spec.title)}" xmlns="http://www.w3.org/2000/svg">` +
    `<line class="axis" x1="${PAD.l}" x2="${PAD.l}" y1="${PAD.t}" y2="${H - PAD.b}"/>` +
    `<line class="axis" x1="${PAD.l}" x2="${W - PAD.r}" y1="${H - PAD.b}" y2="${H - PAD.b}"/>` +
    parts.join('') +
    `</svg><div class="legend">${legend}</div></figure>`
  );
}

export interface Bar {
  name: string;
  /** 0..100, or null for no data. */
  value: number | null;
  label: string;
}

/** Horizontal bars on a 0-100 scale, e.g. uptime per service. */
export function barChart(title: string, bars: Bar[]): string {
  if (bars.length === 0) return '';
  const rowH = 24;
  const labelW = 180;
  const h = bars.length * rowH + 8;
  const span = W - labelW - 90;
  const rows = bars.map((b, i) => {
    const y = 4 + i * rowH;
    const w = b.value === null ? 0 : (Math.max(0, Math.min(100, b.value)) / 100) * span;
    const cls =
      b.value === null ? 'none' : b.value >= 99.9 ? 'good' : b.value >= 99 ? 'fair' : 'bad';
    return (
      `<text class="tick" x="${labelW - 8}" y="${y + rowH / 2}" text-anchor="end" dominant-baseline="middle">${esc(b.name)}</text>` +
      `<rect class="track" x="${labelW}" y="${y + 4}" width="${span}" height="${rowH - 8}"/>` +
      `<rect class="bar ${cls}" x="${labelW}" y="${y + 4}" width="${n1(w)}" height="${rowH - 8}"/>` +
      `<text class="tick" x="${labelW + span + 8}" y="${y + rowH / 2}" dominant-baseline="middle">${esc(b.label)}</text>`
    );
  });
  return (
    `<figure class="chart"><figcaption>${esc(title)}</figcaption>` +
    `<svg viewBox="0 0 ${W} ${h}" role="img" aria-label="${esc(title)}" xmlns="http://www.w3.org/2000/svg">${rows.join('')}</svg></figure>`
  );
}
