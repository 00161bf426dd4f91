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
  format: (v: number | null | undefined) => string;
  /** Fixed y range, e.g. [0, 100] for percentages. */
  yRange?: [number, number];
  height?: number;
  /** Called after the user drag-zooms, with the window in Unix ms, to load finer data. */
  onZoom?: (from: number, to: number) => void;
}
