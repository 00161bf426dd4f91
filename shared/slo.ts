/**
 * Service level objectives as the core computes them (electron/main/slo): per target, an
 * availability indicator and optionally a latency one, each with its error budget over the
 * objective's window and burn rates over the windows of the multiwindow alerts.
 */

/** The windows burn rates are computed over (Google SRE workbook, chapter 5). */
export const BURN_WINDOWS = ['5m', '30m', '1h', '6h', '3d'] as const;
export type BurnWindow = (typeof BURN_WINDOWS)[number];

export const BURN_WINDOW_MS: Record<BurnWindow, number> = {
  '5m': 5 * 60_000,
  '30m': 30 * 60_000,
  '1h': 3_600_000,
  '6h': 6 * 3_600_000,
  '3d': 3 * 86_400_000,
};

/** page: fast burn, act now; ticket: slow burn, act this week. */
export type SloAlertLevel = 'ok' | 'ticket' | 'page';

export type SliKind = 'availability' | 'latency';

export interface SloIndicator {
  sli: SliKind;
  /** The objective in percent, e.g. 99.5. */
  objectivePct: number;
  /** Latency indicator only: a probe is good when it answers within this. */
  thresholdMs?: number;
  windowDays: number;
  /** Probes counted over the objective's window, and the bad ones among them. */
  total: number;
  bad: number;
  /** Share of good probes over the window in percent; null without probes. */
  achievedPct: number | null;
  /**
   * The share of the window's error budget still left: 1 untouched, 0 spent, below 0
   * overspent; null without probes.
   */
  budgetRemaining: number | null;
  /** Error ratio over each window divided by the budgeted ratio (1 = exactly on budget). */
  burn: Record<BurnWindow, number | null>;
  alert: SloAlertLevel;
}

export interface TargetSlo {
  target: string;
  name: string;
  indicators: SloIndicator[];
}
