import uPlot from 'uplot';
import type { QueryResult } from '../../../shared/query';
import { appendPoint, pointCount, toColumns, type ChartColumns } from './columns';
import { colorAt, hairline, onThemeChange, theme, withAlpha } from './theme';

export interface ChartLine {
  /** Series name as the store knows it, e.g. tg.api.ms. */
  series: string;
  label: string;
}

export interface ChartSpec {
  key: string;
  title: string;
  lines: ChartLine[];
  /** tg.<id>.up series whose down periods are shaded behind the lines. */
  shadeDown?: string[];
  format: (v: number | null | undefined) => string;
  /** Fixed y range, e.g. [0, 100] for percentages. */
  yRange?: [number, number];
  height?: number;
  /** Called after the user drag-zooms, with the window in Unix ms, to load finer data. */
  onZoom?: (from: number, to: number) => void;
}

/** Time shown in the cursor legend. */
function fmtCursorTime(sec: number): string {
  return new Date(sec * 1000).toLocaleString();
}

/**
 * One uPlot chart fed by columnar query results and live samples. It owns its resize
 * observer and theme subscription; destroy() releases them.
 */
export class TimeChart {
  readonly root: HTMLElement;
  private plot: uPlot | null = null;
  private cols: ChartColumns | null = null;
  private readonly counts = { last: 1 };
  private readonly resize: ResizeObserver;
  private readonly seen: IntersectionObserver;
  /** Until the observer's first report (one frame): a chart never seen is not drawn. */
  private visible = false;
  private stale = false;
  private wasZoomed = false;
  private banded = false;
  private readonly offTheme: () => void;
  private readonly plotBox: HTMLElement;
  private pending = false;

  constructor(
    parent: HTMLElement,
    readonly spec: ChartSpec,
  ) {
    this.root = document.createElement('section');
    this.root.className = 'chart';
    this.root.dataset.chart = spec.key;
    const title = document.createElement('h3');
    title.textContent = spec.title;
    this.plotBox = document.createElement('div');
    this.plotBox.className = 'plot';
    this.root.append(title, this.plotBox);
    parent.append(this.root);
    this.resize = new ResizeObserver(() => this.fit());
    this.resize.observe(this.plotBox);
    this.offTheme = onThemeChange(() => this.plot?.redraw(false));
    // A chart out of view keeps its data and live points but is drawn only when it
    // scrolls in: the charts on screen are ready sooner and live updates cost less.
    this.seen = new IntersectionObserver((entries) => {
      this.visible = entries.some((e) => e.isIntersecting);
      if (!this.visible) return;
      if (!this.plot && this.cols) this.build();
      else if (this.stale) this.drawLive();
    });
    this.seen.observe(this.root);
  }

  /** Pixels the plot area spans: the query asks for about two points per column. */
  get width(): number {
    return Math.max(200, Math.floor(this.plotBox.clientWidth || this.root.clientWidth || 600));
  }

  get points(): number {
    return this.cols ? pointCount(this.cols) : 0;
  }

  /** Replaces the data (a new range): rebuilds the plot, which also resets any zoom. */
  setResult(r: QueryResult): void {
    this.banded = r.step > 0;
    this.cols = toColumns(
      r,
      this.spec.lines.map((l) => l.series),
      this.spec.shadeDown ?? [],
      this.banded,
    );
    this.plot?.destroy();
    this.plot = null;
    if (this.visible) this.build();
    this.mark();
  }

  private build(): void {
    this.plot = new uPlot(this.options(this.banded), this.data(), this.plotBox);
    this.stale = false;
    this.wasZoomed = false;
    this.hideBandLegends();
    this.mark();
  }

  /** A live sample, added to the data; drawLive() shows it without touching the user's zoom. */
  append(t: number, values: Map<string, number>, fromMs: number): void {
    const cols = this.cols;
    if (!cols) return;
    const zoomed = this.isZoomed();
    appendPoint(
      cols,
      t / 1000,
      this.spec.lines.map((l) => values.get(l.series) ?? null),
      (this.spec.shadeDown ?? []).map((s) => values.get(s) ?? null),
      fromMs / 1000,
      this.counts,
    );
    if (!this.plot) return;
    this.stale = true;
    this.wasZoomed ||= zoomed;
  }

  /** Live points are waiting and the chart is on screen. */
  get needsDraw(): boolean {
    return this.plot !== null && this.visible && this.stale;
  }

  /**
   * Finer data for a zoomed window replaces the coarse points inside it; the rest of the
   * range stays, so a double-click still shows the whole range.
   */
  mergeDetail(r: QueryResult): void {
    const cols = this.cols;
    const plot = this.plot;
    if (!cols || !plot || r.t.length === 0) return;
    const fine = toColumns(
      r,
      this.spec.lines.map((l) => l.series),
      this.spec.shadeDown ?? [],
      this.banded,
    );
    const lo = r.from / 1000;
    const hi = r.to / 1000;
    let a = 0;
    while (a < cols.t.length && cols.t[a] < lo) a++;
    let b = a;
    while (b < cols.t.length && cols.t[b] < hi) b++;
    const splice = (dst: (number | null)[], src: (number | null)[]) => dst.splice(a, b - a, ...src);
    splice(cols.t, fine.t);
    cols.avg.forEach((col, i) => splice(col, fine.avg[i]));
    cols.min?.forEach((col, i) => splice(col, fine.min?.[i] ?? []));
    cols.max?.forEach((col, i) => splice(col, fine.max?.[i] ?? []));
    cols.up.forEach((col, i) => splice(col, fine.up[i]));
    const { min, max } = plot.scales.x;
    plot.setData(this.data());
    // Back to the user's window; y ranges itself to the detail in view.
    if (min !== undefined && max !== undefined) plot.setScale('x', { min, max });
    this.mark();
  }

  drawLive(): void {
    this.stale = false;
    this.plot?.setData(this.data(), !this.wasZoomed);
    this.wasZoomed = false;
    this.mark();
  }

  /** Zoomed means the visible x range is narrower than the data: keep it where it is. */
  private isZoomed(): boolean {
    const t = this.cols?.t ?? [];
    const x = this.plot?.scales.x;
    if (t.length < 2 || !x || x.min === undefined || x.max === undefined) return false;
    return x.min > t[0] + 1e-6 || x.max < t[t.length - 1] - 1e-6;
  }

  destroy(): void {
    this.resize.disconnect();
    this.seen.disconnect();
    this.offTheme();
    this.plot?.destroy();
    this.plot = null;
    this.root.remove();
  }

  private data(): uPlot.AlignedData {
    const c = this.cols!;
    const out: (number | null)[][] = [c.t];
    c.avg.forEach((col, i) => {
      out.push(col);
      if (c.min && c.max) out.push(c.min[i], c.max[i]);
    });
    return out as uPlot.AlignedData;
  }

  /** What the e2e test and the benchmark read: points held and the plot's presence. */
  private mark(): void {
    const t = this.cols?.t ?? [];
    const x = this.plot?.scales.x;
    this.root.dataset.points = String(this.points);
    this.root.dataset.drawn = String(this.plot !== null);
    this.root.dataset.rows = String(t.length);
    this.root.dataset.first = String(t[0] ?? '');
    this.root.dataset.last = String(t[t.length - 1] ?? '');
    this.root.dataset.xmin = String(x?.min ?? '');
    this.root.dataset.xmax = String(x?.max ?? '');
  }

  private fit(): void {
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(() => {
      this.pending = false;
      const plot = this.plot;
      const width = this.width;
      // The observer also reports the first layout: no second draw at the same size.
      if (plot && plot.width !== width) plot.setSize({ width, height: this.spec.height ?? 220 });
    });
  }

  private hideBandLegends(): void {
    if (!this.cols?.min || !this.plot) return;
    const rows = this.plot.root.querySelectorAll<HTMLElement>('.u-legend .u-series');
    // Row 0 is time; each line is avg, min, max: hide min and max rows.
    rows.forEach((row, i) => {
      if (i > 0 && (i - 1) % 3 !== 0) row.style.display = 'none';
    });
  }

  private options(banded: boolean): uPlot.Options {
    const spec = this.spec;
    const fmt = spec.format;
    const line = hairline();
    const series: uPlot.Series[] = [
      { label: 'time', value: (_u, v) => (v === null ? '–' : fmtCursorTime(v)) },
    ];
    const bands: uPlot.Band[] = [];
    spec.lines.forEach((l, i) => {
      const color = colorAt(i);
      series.push({
        label: l.label,
        stroke: color,
        width: line,
        points: { show: false },
        spanGaps: false,
        value: (_u, v) => fmt(v),
      });
      if (banded) {
        const base = series.length;
        const hidden: uPlot.Series = {
          stroke: 'transparent',
          width: line,
          points: { show: false },
          value: (_u, v) => fmt(v),
        };
        series.push({ ...hidden, label: `${l.label} min` }, { ...hidden, label: `${l.label} max` });
        bands.push({ series: [base + 1, base], fill: withAlpha(color, 0.18) });
      }
    });
    const axisStroke = () => theme().muted;
    const gridStroke = () => theme().grid;
    return {
      width: this.width,
      height: spec.height ?? 220,
      series,
      bands,
      legend: { live: true },
      cursor: { drag: { x: true, y: false }, points: { size: 5 } },
      scales: {
        x: { time: true },
        y: spec.yRange ? { range: spec.yRange } : { range: (_u, min, max) => yRange(min, max) },
      },
      axes: [
        {
          stroke: axisStroke,
          grid: { stroke: gridStroke, width: line },
          ticks: { stroke: gridStroke, width: line },
        },
        {
          stroke: axisStroke,
          size: 84,
          values: (_u, splits) => splits.map((v) => fmt(v)),
          grid: { stroke: gridStroke, width: line },
          ticks: { stroke: gridStroke, width: line },
        },
      ],
      hooks: {
        drawClear: [(u) => this.shadeDown(u)],
        setScale: [() => this.mark()],
        setSelect: [(u) => this.zoomed(u)],
        // With the cursor away, the legend shows the latest values instead of dashes.
        setCursor: [(u) => this.latestInLegend(u)],
        ready: [(u) => this.latestInLegend(u)],
        setData: [(u) => this.latestInLegend(u)],
      },
    };
  }

  private latestInLegend(u: uPlot): void {
    const n = u.data[0]?.length ?? 0;
    if (u.cursor.idx == null && n > 0) u.setLegend({ idx: n - 1 }, false);
  }

  /** A finished drag selection is a zoom (cursor.drag.setScale): ask for finer data. */
  private zoomed(u: uPlot): void {
    const onZoom = this.spec.onZoom;
    if (!onZoom || u.select.width < 2) return;
    const from = u.posToVal(u.select.left, 'x') * 1000;
    const to = u.posToVal(u.select.left + u.select.width, 'x') * 1000;
    if (to > from) onZoom(Math.floor(from), Math.ceil(to));
  }

  /** Down periods behind the lines, darker the larger the down share of the point. */
  private shadeDown(u: uPlot): void {
    const c = this.cols;
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
        : Math.max(
            2,
            u.valToPos(c.t[i] + (c.step || 1), 'x', true) - u.valToPos(c.t[i], 'x', true),
          );
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
}

/** Zero-based unless the data is far from zero; a little headroom above. */
function yRange(min: number | null, max: number | null): [number, number] {
  if (min === null || max === null) return [0, 1];
  const lo = min >= 0 && min < max * 0.5 ? 0 : min;
  const hi = max === lo ? lo + 1 : max + (max - lo) * 0.08;
  return [lo, hi];
}
