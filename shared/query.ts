/** A range query over the store, answered in columns ready for uPlot. */
export interface QueryRequest {
  /** Unix ms, inclusive. */
  from: number;
  /** Unix ms, exclusive. */
  to: number;
  series: string[];
  /** About how many points the chart can show (≈ 2 per pixel column). */
  maxPoints: number;
}

export type Tier = 'raw' | '1m' | '1h';

export interface SeriesColumns {
  /** Mean per output point; null where there is no data (a gap). */
  avg: (number | null)[];
  /** Min and max per output point, so a spike survives downsampling. */
  min: (number | null)[];
  max: (number | null)[];
}

export interface QueryResult {
  from: number;
  to: number;
  tier: Tier;
  /** Milliseconds per output point (0 when raw points are returned one to one). */
  step: number;
  /** Unix ms per output point. */
  t: number[];
  series: Record<string, SeriesColumns>;
}
