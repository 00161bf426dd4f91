import type { ForecastItem } from '../../../shared/anomaly';
import type { MonitorApi } from '../../../shared/api';
import { h } from '../dom';

/** Forecasts change slowly (the server recomputes them every 10 minutes at most). */
export const FORECAST_REFRESH_MS = 5 * 60_000;

/** Tiles of a filling resource: memory and each disk (percent used, full at 100). */
export function fills(series: string): boolean {
  return series === 'sys.mem' || series.startsWith('sys.disk.');
}

/**
 * Time to full for the system tiles, from GET /api/forecasts. A tile of a filling resource
 * always says something: the forecast where it passed its quality gate, "not filling up",
 * or "not enough data" (the reason in its tooltip) where the fit is poor or the history
 * short; no number is shown that the gate refused.
 */
export class TileForecasts {
  private items = new Map<string, ForecastItem>();
  private state: 'none' | 'loaded' | 'failed' = 'none';
  private failure = '';

  constructor(private readonly api: MonitorApi) {}

  /** Whether the API offers forecasts at all (it is optional in the contract). */
  get available(): boolean {
    return this.api.forecasts !== undefined;
  }

  async load(): Promise<void> {
    if (!this.api.forecasts) return;
    try {
      const report = await this.api.forecasts();
      this.items = new Map(
        report.items.filter((f) => f.kind === 'time-to-full').map((f) => [f.series, f]),
      );
      this.state = 'loaded';
    } catch (err) {
      this.state = 'failed';
      this.failure = err instanceof Error ? err.message : String(err);
    }
  }

  /** Every filling series the forecasts know: mounts with history but no live sample yet. */
  series(): string[] {
    return [...this.items.keys()];
  }

  /** The forecast line of a tile, or null for tiles that do not fill (CPU, network). */
  line(series: string): HTMLElement | null {
    if (!this.available || !fills(series)) return null;
    if (this.state === 'none') return forecastEl('forecast …', 'loading', 'loading the forecast');
    if (this.state === 'failed')
      return forecastEl('forecast unavailable', 'failed', `cannot load: ${this.failure}`);
    const f = this.items.get(series);
    if (!f) return forecastEl('not enough data', 'none', 'no samples of it in the last week');
    if (f.ok) return forecastEl(f.text, 'ok', `time to full: ${f.text}`);
    // A poor fit ("no forecast: …") reads as not enough data too; its reason in the tooltip.
    if (/^(not enough data|no forecast)/.test(f.text))
      return forecastEl('not enough data', 'none', f.text);
    return forecastEl(f.text, 'steady', 'no upward trend over the last week');
  }
}

function forecastEl(text: string, state: string, title: string): HTMLElement {
  return h('span', { class: 'forecast', 'data-forecast': state, title }, text);
}
