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
 * One uPlot chart fed by columnar query results and live samples. Its uPlot instance is
 * created once, when the chart first comes into view (before its data, while the query is
 * in flight), and new ranges go in by setData: no DOM, legend or canvas is rebuilt when
 * the data changes. It owns its observers and theme subscription; destroy() releases them.
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
  /** The data changed since the plot last drew it. */
  private stale = false;
  private wasZoomed = false;
  private readonly offTheme: () => void;
  private readonly plotBox: HTMLElement;
  private pending = false;
  /** Plot width from the resize observer, so building and querying force no layout. */
  private boxWidth = 0;
  private pointsHeld = 0;
  /** Resolves at the visibility observer's first report. */
  readonly placed: Promise<void>;
  /** How many times a uPlot instance was created: once per chart, whatever the ranges. */
  private builds = 0;

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
    this.resize = new ResizeObserver((entries) => {
      for (const e of entries) this.boxWidth = Math.floor(e.contentRect.width);
      this.fit();
    });
    this.resize.observe(this.plotBox);
    this.offTheme = onThemeChange(() => this.plot?.redraw(false));
    let placed = () => {};
    this.placed = new Promise((r) => (placed = r));
    // A chart out of view keeps its data and live points but is built and drawn only when
    // it scrolls in: the charts on screen are ready sooner and live updates cost less.
    this.seen = new IntersectionObserver((entries) => {
      this.visible = entries.some((e) => e.isIntersecting);
      placed();
      if (!this.visible) return;
      if (!this.plot) this.build();
      else if (this.stale) this.drawLive();
    });
    this.seen.observe(this.root);
  }

  /** Pixels the plot area spans: the query asks for about two points per column. */
  get width(): number {
    const w = this.boxWidth || this.plotBox.clientWidth || this.root.clientWidth || 600;
    return Math.max(200, Math.floor(w));
  }

  get points(): number {
    return this.pointsHeld;
  }

  /** Replaces the data (a new range) and resets any zoom; drawn now if on screen. */
  setResult(r: QueryResult): void {
    this.cols = toColumns(
      r,
      this.spec.lines.map((l) => l.series),
      this.spec.shadeDown ?? [],
      r.step > 0,
    );
    this.counts.last = 1;
    this.pointsHeld = pointCount(this.cols);
    this.stale = true;
    this.wasZoomed = false;
    if (this.visible) this.draw(true);
    this.mark();
  }

  private build(): void {
    this.plot = new uPlot(this.options(), this.data(), this.plotBox);
    this.builds++;
    this.stale = false;
    this.wasZoomed = false;
    this.mark();
  }

  /** A live sample, added to the data; drawLive() shows it without touching the user's zoom. */
  append(t: number, values: Map<string, number>, fromMs: number): void {
    const cols = this.cols;
    if (!cols) return;
    const zoomed = this.isZoomed();
    const before = cols.t.length;
    appendPoint(
      cols,
      t / 1000,
      this.spec.lines.map((l) => values.get(l.series) ?? null),
      (this.spec.shadeDown ?? []).map((s) => values.get(s) ?? null),
      fromMs / 1000,
      this.counts,
    );
    // A new point or one slid out changes the count; a folded one rarely does.
    if (cols.t.length !== before || cols.t.length < 2) this.pointsHeld = pointCount(cols);
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
      cols.min !== null,
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
    this.pointsHeld = pointCount(cols);
    const { min, max } = plot.scales.x;
    plot.setData(this.data());
    // Back to the user's window; y ranges itself to the detail in view.
    if (min !== undefined && max !== undefined) plot.setScale('x', { min, max });
    this.mark();
  }

  drawLive(): void {
    this.draw(!this.wasZoomed);
  }

  /** Draws at once (uPlot's batch) rather than in a microtask: its cost is measured where paid. */
  private draw(resetScales: boolean): void {
    this.stale = false;
    const plot = this.plot;
    plot?.batch(() => plot.setData(this.data(), resetScales));
    this.wasZoomed = false;
    this.mark();
  }

  /** Zoomed means the visible x range is narrower than the data: keep it where it is. */
  private isZoomed(): boolean {
    const t = this.cols?.t ?? [];
    const x = this.plot?.scales.x;
    // A plot built before its data has a null (not undefined) x range: not zoomed.
    if (t.length < 2 || typeof x?.min !== 'number' || typeof x.max !== 'number') return false;
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

  /**
   * Time and one mean per line: the min/max bands are not uPlot series (drawBands), so a
   * chart has the same series whether its range is raw or downsampled. Before the first
   * data the plot is built empty: axes and legend are ready meanwhile.
   */
  private data(): uPlot.AlignedData {
    const c = this.cols;
    if (!c) return [[], ...this.spec.lines.map(() => [])] as uPlot.AlignedData;
    return [c.t, ...c.avg] as uPlot.AlignedData;
  }

  /** What the e2e test and the benchmark read: points held and the plot's presence. */
  private mark(): void {
    const t = this.cols?.t ?? [];
    const x = this.plot?.scales.x;
    const d = this.root.dataset;
    d.points = String(this.pointsHeld);
    d.drawn = String(this.plot !== null && this.cols !== null && !this.stale);
    d.builds = String(this.builds);
    d.rows = String(t.length);
    d.first = String(t[0] ?? '');
    d.last = String(t[t.length - 1] ?? '');
    d.xmin = String(x?.min ?? '');
    d.xmax = String(x?.max ?? '');
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

  private options(): uPlot.Options {
    const spec = this.spec;
    const fmt = spec.format;
    const line = hairline();
    const series: uPlot.Series[] = [
      { label: 'time', value: (_u, v) => (v === null ? '–' : fmtCursorTime(v)) },
    ];
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
    });
    const axisStroke = () => theme().muted;
    const gridStroke = () => theme().grid;
    return {
      width: this.width,
      height: spec.height ?? 220,
      series,
      legend: { live: true },
      cursor: { drag: { x: true, y: false }, points: { size: 5 } },
      scales: {
        x: { time: true },
        y: spec.yRange
          ? { range: spec.yRange }
          : { range: (u, min, max) => yRange(...this.withBands(u, min, max)) },
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
        // After the grid, before the lines: bands sit under them.
        drawAxes: [(u) => this.drawBands(u)],
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

  /** The visible index window of the x scale (uPlot keeps it on the time series). */
  private visibleIdxs(u: uPlot): [number, number] {
    const n = this.cols?.t.length ?? 0;
    const idxs = u.series[0].idxs;
    return idxs ? [Math.max(0, idxs[0]), Math.min(n - 1, idxs[1])] : [0, n - 1];
  }

  /** The y extent of the means (from uPlot), widened to the bands in view. */
  private withBands(
    u: uPlot,
    min: number | null,
    max: number | null,
  ): [number | null, number | null] {
    const c = this.cols;
    if (!c?.min || !c.max) return [min, max];
    const [i0, i1] = this.visibleIdxs(u);
    let lo = min ?? Infinity;
    let hi = max ?? -Infinity;
    for (const col of c.min)
      for (let j = i0; j <= i1; j++) {
        const v = col[j];
        if (v !== null && v < lo) lo = v;
      }
    for (const col of c.max)
      for (let j = i0; j <= i1; j++) {
        const v = col[j];
        if (v !== null && v > hi) hi = v;
      }
    return [Number.isFinite(lo) ? lo : null, Number.isFinite(hi) ? hi : null];
  }

  /**
   * Each line's min..max band as one filled outline per unbroken run of points: a single
   * fill, where uPlot's own bands cost two more series (paths, legend rows, range scans)
   * and a clip per band.
   */
  private drawBands(u: uPlot): void {
    const c = this.cols;
    if (!c?.min || !c.max || c.t.length === 0) return;
    const [i0, i1] = this.visibleIdxs(u);
    const ctx = u.ctx;
    const { left, top, width, height } = u.bbox;
    const x = (j: number) => u.valToPos(c.t[j], 'x', true);
    ctx.save();
    ctx.beginPath();
    ctx.rect(left, top, width, height);
    ctx.clip();
    c.avg.forEach((_col, i) => {
      const lo = c.min![i];
      const hi = c.max![i];
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
      ctx.fillStyle = withAlpha(colorAt(i), 0.18);
      ctx.fill();
    });
    ctx.restore();
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
