import { flattenSample } from '../../../shared/series';
import type { Sample } from '../../../shared/sample';
import { errorText } from '../api/errors';
import { chartSpecs } from '../charts/catalog';
import { TimeChart } from '../charts/time-chart';
import { afterNextPaint, clear, h } from '../dom';
import type { AppState, View } from '../state';

function seriesOf(c: TimeChart): string[] {
  return [...c.spec.lines.map((l) => l.series), ...(c.spec.shadeDown ?? [])];
}

/** Every chart for the range; live samples are appended once per animation frame. */
export class ChartsView implements View {
  readonly el = h('div', { class: 'view charts-view' });
  private charts: TimeChart[] = [];
  private layout = '';
  private queued: Sample[] = [];
  private frame = 0;
  private offSample: (() => void) | null = null;
  private generation = 0;

  constructor(private readonly state: AppState) {}

  async refresh(): Promise<void> {
    const cfg = this.state.config;
    if (!cfg) return;
    const specs = chartSpecs(cfg, this.state.seenSeries);
    const layout = JSON.stringify(specs.map((s) => [s.key, s.lines.map((l) => l.series)]));
    if (layout !== this.layout) {
      for (const c of this.charts) c.destroy();
      clear(this.el);
      this.charts = specs.map((s) => {
        const chart: TimeChart = new TimeChart(this.el, {
          ...s,
          onZoom: (from, to) => void this.detail(chart, from, to),
        });
        return chart;
      });
      this.layout = layout;
    }
    this.offSample ??= this.state.sampled.on((s) => this.queue(s));
    const gen = ++this.generation;
    const range = this.state.currentRange();
    this.el.dataset.loading = 'true';
    let drawMs = 0;
    let drawTotalMs = 0;
    // One query for every chart: the store scans the range once instead of once per chart.
    const series = [...new Set(this.charts.flatMap((c) => seriesOf(c)))];
    const width = Math.max(...this.charts.map((c) => c.width));
    try {
      // While the answer is on its way, charts in view build their (empty) plots; the data
      // then only has to be drawn into them.
      const [r] = await Promise.all([
        this.state.api.query({ from: range.from, to: range.to, series, maxPoints: width }),
        ...this.charts.map((c) => c.placed),
      ]);
      if (gen !== this.generation) return;
      for (const chart of this.charts) {
        const t0 = performance.now();
        chart.setResult(r);
        const ms = performance.now() - t0;
        drawMs = Math.max(drawMs, ms);
        drawTotalMs += ms;
      }
    } catch (err) {
      if (gen !== this.generation) return;
      this.el.dataset.error = errorText(err);
      for (const chart of this.charts)
        chart.showError(`Cannot load ${range.label}: ${errorText(err)}`);
    }
    if (gen !== this.generation) return;
    // What the benchmark reads: when the frame holding the drawn charts was rendered, and
    // the longest and summed chart draws (setData, synchronous) that led to it.
    await afterNextPaint();
    if (gen !== this.generation) return;
    this.el.dataset.loading = 'false';
    this.el.dataset.shownAt = String(performance.now());
    this.el.dataset.drawMs = String(drawMs);
    this.el.dataset.drawTotalMs = String(drawTotalMs);
  }

  /** Loads the zoomed window of one chart at full resolution for its width. */
  private async detail(chart: TimeChart, from: number, to: number): Promise<void> {
    const gen = this.generation;
    try {
      const r = await this.state.api.query({
        from,
        to,
        series: seriesOf(chart),
        maxPoints: chart.width,
      });
      if (gen === this.generation) chart.mergeDetail(r);
    } catch (err) {
      chart.showError(`Cannot load the zoomed detail: ${errorText(err)}`, true);
    }
  }

  private queue(s: Sample): void {
    if (!this.state.range.live) return;
    this.queued.push(s);
    if (this.frame !== 0) cancelAnimationFrame(this.frame);
    this.frame = requestAnimationFrame(() => this.flush());
  }

  private flush(): void {
    this.frame = 0;
    const samples = this.queued;
    this.queued = [];
    const from = this.state.currentRange().from;
    for (const s of samples) {
      const values = flattenSample(s);
      for (const c of this.charts) c.append(s.t, values, from);
    }
    this.drawNext();
  }

  /**
   * One chart redraw per frame: a tick's update is spread over a few frames (a second
   * apart, nobody sees the stagger) so no frame pays for every chart at once.
   */
  private drawNext(): void {
    this.frame = 0;
    const chart = this.charts.find((c) => c.needsDraw);
    if (!chart) return;
    const t0 = performance.now();
    chart.drawLive();
    this.recordLive(performance.now() - t0);
    if (this.charts.some((c) => c.needsDraw))
      this.frame = requestAnimationFrame(() => this.drawNext());
  }

  /** Live update cost per frame, for the benchmark: count, mean and worst. */
  private recordLive(ms: number): void {
    const d = this.el.dataset;
    const n = Number(d.liveFrames ?? 0) + 1;
    d.liveFrames = String(n);
    d.liveTotalMs = String(Number(d.liveTotalMs ?? 0) + ms);
    d.liveMaxMs = String(Math.max(Number(d.liveMaxMs ?? 0), ms));
  }

  hide(): void {
    this.offSample?.();
    this.offSample = null;
    if (this.frame) cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.queued = [];
  }
}
