import { flattenSample } from '../../../shared/series';
import type { Sample } from '../../../shared/sample';
import { errorText } from '../api/errors';
import { chartSpecs } from '../charts/catalog';
import { TimeChart } from '../charts/time-chart';
import { clear, h } from '../dom';
import type { AppState, View } from '../state';

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
      this.charts = specs.map((s) => new TimeChart(this.el, s));
      this.layout = layout;
    }
    this.offSample ??= this.state.sampled.on((s) => this.queue(s));
    const gen = ++this.generation;
    const range = this.state.currentRange();
    this.el.dataset.loading = 'true';
    await Promise.all(
      this.charts.map(async (chart) => {
        try {
          const r = await this.state.api.query({
            from: range.from,
            to: range.to,
            series: [...chart.spec.lines.map((l) => l.series), ...(chart.spec.shadeDown ?? [])],
            maxPoints: chart.width * 2,
          });
          if (gen === this.generation) chart.setResult(r);
        } catch (err) {
          chart.root.dataset.error = errorText(err);
        }
      }),
    );
    if (gen === this.generation) {
      this.el.dataset.loading = 'false';
      this.el.dataset.loadedAt = String(performance.now());
    }
  }

  private queue(s: Sample): void {
    if (!this.state.range.live) return;
    this.queued.push(s);
    if (this.frame === 0) this.frame = requestAnimationFrame(() => this.flush());
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
  }

  hide(): void {
    this.offSample?.();
    this.offSample = null;
    if (this.frame) cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.queued = [];
  }
}
