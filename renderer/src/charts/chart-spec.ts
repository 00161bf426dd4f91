export interface ChartLine {
  /** Series name as the store knows it, e.g. tg.api.ms. */
  series: string;
  label: string;
}

/** What one time chart shows; the catalog builds these from the config. */
export interface ChartSpec {
  key: string;
  title: string;
  lines: ChartLine[];
  /** tg.<id>.up series whose down periods are shaded behind the lines. */
  shadeDown?: string[];
  /** Legend values. */
  format: (v: number | null | undefined) => string;
  /** Axis labels, all in one unit; `format` per value when absent. */
  axis?: (splits: number[]) => string[];
  /** Min/max bands on downsampled data (default on): off where they add only clutter. */
  bands?: boolean;
  /** A logarithmic y axis: one slow target does not flatten every other line. */
  log?: boolean;
  /** Horizontal reference lines (dashed), e.g. p50 and p95; null values are skipped. */
  marks?: () => { label: string; value: number | null }[];
  /** Points drawn as rings over the lines: anomaly marks (time in Unix ms, value). */
  points?: () => { t: number; value: number }[];
  /** Fixed y range, e.g. [0, 100] for percentages. */
  yRange?: [number, number];
  height?: number;
  /** Called after the user drag-zooms, with the window in Unix ms, to load finer data. */
  onZoom?: (from: number, to: number) => void;
}
