import uPlot from 'uplot';
import type { QueryResult } from '../../../shared/query';
import type { ChartSpec } from './chart-spec';
import { appendPoint, pointCount, replaceWindow, toColumns, type ChartColumns } from './columns';
import { downIndexes } from './down-shading';
import { DEFAULT_HEIGHT, plotOptions } from './plot-options';
import { PlotWidth } from './plot-width';
import { onThemeChange } from './theme';

export type { ChartLine, ChartSpec } from './chart-spec';

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
  private readonly plotWidth: PlotWidth;
  private readonly seen: IntersectionObserver;
  /** Until the observer's first report (one frame): a chart never seen is not drawn. */
  private visible = false;
  /** The data changed since the plot last drew it. */
  private stale = false;
  private wasZoomed = false;
  private readonly offTheme: () => void;
  private readonly plotBox: HTMLElement;
  /** Over the plot when there is nothing to draw: "collecting first samples…" or an error. */
  private readonly overlay: HTMLElement;
  /** Kept rather than counted on each mark(): marks come with every draw and scale change. */
  private pointsHeld = 0;
  /** Which targets' down time is shaded (only those that were down), for tests. */
  private shaded = '';
  /** Resolves at the visibility observer's first report. */
  readonly placed: Promise<void>;
  /** How many times a uPlot instance was created: once per chart, whatever the ranges. */
  private builds = 0;
  private readonly lineSeries: string[];
  private readonly upSeries: string[];

  constructor(
    parent: HTMLElement,
    readonly spec: ChartSpec,
  ) {
    this.lineSeries = spec.lines.map((l) => l.series);
    this.upSeries = spec.shadeDown ?? [];
    this.root = document.createElement('section');
    this.root.className = 'chart';
    this.root.dataset.chart = spec.key;
    const title = document.createElement('h3');
    title.textContent = spec.title;
    this.plotBox = document.createElement('div');
    this.plotBox.className = 'plot';
    this.overlay = document.createElement('p');
    this.overlay.className = 'chart-empty';
    this.overlay.hidden = true;
    this.root.append(title, this.plotBox, this.overlay);
    parent.append(this.root);
    this.plotWidth = new PlotWidth(this.plotBox, this.root, (width) => {
      const plot = this.plot;
      // The observer also reports the first layout: no second draw at the same size.
      if (plot && plot.width !== width)
        plot.setSize({ width, height: spec.height ?? DEFAULT_HEIGHT });
    });
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
    return this.plotWidth.px;
  }

  /** Replaces the data (a new range) and resets any zoom; drawn now if on screen. */
  setResult(r: QueryResult): void {
    this.cols = toColumns(
      r,
      this.lineSeries,
      this.upSeries,
      r.step > 0 && this.spec.bands !== false,
    );
    this.counts.last = 1;
    this.pointsHeld = pointCount(this.cols);
    this.shaded = this.shadedSeries();
    this.stale = true;
    this.wasZoomed = false;
    this.showEmpty();
    if (this.visible) this.draw(true);
    this.mark();
  }

  /**
   * A failed load, said where the chart would be: the old lines are cleared, unless only
   * a zoom's finer detail failed (the coarse lines are still true).
   */
  showError(text: string, keepData = false): void {
    if (!keepData) {
      this.cols = null;
      this.pointsHeld = 0;
      this.shaded = '';
      this.plot?.setData(this.data());
    }
    this.overlay.textContent = text;
    this.overlay.hidden = false;
    this.overlay.classList.add('load-error');
    this.mark();
  }

  private shadedSeries(): string {
    return downIndexes(this.cols)
      .map((i) => this.upSeries[i])
      .join(',');
  }

  private showEmpty(): void {
    this.overlay.classList.remove('load-error');
    this.overlay.textContent = 'Collecting first samples…';
    this.overlay.hidden = this.pointsHeld > 0;
  }

  private build(): void {
    this.plot = new uPlot(
      plotOptions(this.spec, this.width, {
        columns: () => this.cols,
        scaleChanged: () => this.mark(),
      }),
      this.data(),
      this.plotBox,
    );
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
    appendPoint(
      cols,
      t / 1000,
      this.lineSeries.map((s) => values.get(s) ?? null),
      this.upSeries.map((s) => values.get(s) ?? null),
      fromMs / 1000,
      this.counts,
    );
    // Once per live sample, so counting again is cheap, and a value folded into a point
    // that had none changes the count as surely as a new point does.
    this.pointsHeld = pointCount(cols);
    this.shaded = this.shadedSeries();
    if (!this.overlay.hidden && this.pointsHeld > 0) this.showEmpty();
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
    const fine = toColumns(r, this.lineSeries, this.upSeries, cols.min !== null);
    replaceWindow(cols, fine, r.from / 1000, r.to / 1000);
    this.pointsHeld = pointCount(cols);
    this.shaded = this.shadedSeries();
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
    this.plotWidth.disconnect();
    this.seen.disconnect();
    this.offTheme();
    this.plot?.destroy();
    this.plot = null;
    this.root.remove();
  }

  /**
   * Time and one mean per line: the min/max bands are not uPlot series (drawMinMaxBands),
   * so a chart has the same series whether its range is raw or downsampled. Before the
   * first data the plot is built empty: axes and legend are ready meanwhile.
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
    // The drawn y range and the plot box (canvas px): where a value lands on the canvas.
    const y = this.plot?.scales.y;
    const box = this.plot?.bbox;
    d.ymin = String(y?.min ?? '');
    d.ymax = String(y?.max ?? '');
    d.ylog = String(y?.distr === 3);
    d.box = box ? [box.left, box.top, box.width, box.height].join() : '';
    d.shaded = this.shaded;
  }
}
