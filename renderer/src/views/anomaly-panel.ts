import type { AnomalyMark, AnomalyRate, ForecastItem } from '../../../shared/anomaly';
import { clear, h } from '../dom';
import { fmtPct, fmtTime, formatterFor } from '../format';
import type { AppState } from '../state';

/** The part of a series name a person reads on a target's page: "latency", "queue". */
function seriesLabel(series: string, id: string): string {
  const rest = series.slice(`tg.${id}.`.length);
  if (rest === 'ms') return 'latency';
  if (rest === 'ttfb') return 'time to first byte';
  return rest.startsWith('m.') ? rest.slice(2) : rest;
}

function rateText(r: AnomalyRate): string {
  const now = r.rate === null ? '–' : fmtPct(r.rate * 100);
  const usual = r.baseline === null ? 'no baseline yet' : `usually ${fmtPct(r.baseline * 100)}`;
  return `${r.anomalies} unusual of ${r.samples} samples (${now}; ${usual})`;
}

/**
 * "Unusual this period" and forecasts on a target's page: each of its series ranked by
 * anomaly rate against its own baseline, the last marks, and the gated forecasts
 * (certificate expiry, latency creep), each saying "not enough data" where it has to.
 */
export class AnomalyPanel {
  readonly el = h('section', { class: 'anomaly-panel' });
  private generation = 0;
  /** The range's anomaly marks, for rings on the charts. */
  private marks: AnomalyMark[] = [];

  /**
   * `loaded` runs after each load, so the page can redraw its charts with the marks.
   */
  constructor(
    private readonly state: AppState,
    private readonly targetId: () => string,
    private readonly loaded: () => void = () => undefined,
  ) {}

  /** The marks of one series in the shown range (time, value). */
  marksOf(series: string): { t: number; value: number }[] {
    return this.marks.filter((m) => m.series === series);
  }

  async render(range: { from: number; to: number }): Promise<void> {
    const api = this.state.api;
    const id = this.targetId();
    const gen = ++this.generation;
    if (!api.anomalies || !api.forecasts) {
      this.el.hidden = true;
      return;
    }
    try {
      const [report, forecasts] = await Promise.all([
        api.anomalies({ from: range.from, to: range.to }),
        api.forecasts(),
      ]);
      if (gen !== this.generation) return;
      const mine = (s: string): boolean => s.startsWith(`tg.${id}.`);
      this.marks = report.marks.filter((m) => mine(m.series));
      this.loaded();
      const rates = report.rates.filter((r) => mine(r.series) && r.samples > 0);
      const marks = report.marks
        .filter((m) => mine(m.series))
        .slice(-5)
        .reverse();
      const items = forecasts.items.filter((f: ForecastItem) => mine(f.series));
      this.el.hidden = false;
      clear(
        this.el,
        h('h2', {}, 'Unusual this period'),
        rates.length === 0
          ? h('p', { class: 'muted' }, 'No scored samples in this range yet.')
          : h(
              'ul',
              { class: 'anomaly-rates' },
              ...rates.map((r) =>
                h(
                  'li',
                  { 'data-series': r.series, 'data-anomalies': String(r.anomalies) },
                  h('strong', {}, seriesLabel(r.series, id)),
                  `: ${rateText(r)}`,
                ),
              ),
            ),
        marks.length === 0
          ? null
          : h(
              'p',
              { class: 'anomaly-marks' },
              'Latest: ',
              marks
                .map(
                  (m) =>
                    `${seriesLabel(m.series, id)} ${formatterFor(m.series)(m.value)} at ${fmtTime(m.t)}`,
                )
                .join('; '),
            ),
        h('h2', {}, 'Forecasts'),
        items.length === 0
          ? h('p', { class: 'muted' }, 'Not enough data for a forecast yet.')
          : h(
              'ul',
              { class: 'forecasts' },
              ...items.map((f) =>
                h(
                  'li',
                  { 'data-series': f.series, 'data-ok': String(f.ok) },
                  h('strong', {}, f.kind === 'cert-expiry' ? 'certificate' : 'latency trend'),
                  `: ${f.text}`,
                ),
              ),
            ),
      );
    } catch (err) {
      if (gen !== this.generation) return;
      clear(
        this.el,
        h('p', { class: 'muted' }, `Cannot load anomalies: ${(err as Error).message}`),
      );
    }
  }
}
