import type { SeriesAgg } from '../store/rollup';
import type { BucketAgg } from './bucket-stream';
import type { GaugeTracker } from './gauge-tracker';
import type { SeriesTracker } from './series-tracker';

/** Everything kept about one series, found with one map lookup per value. */
export interface SeriesSlot {
  skip: boolean;
  /** For tg.<id>.up and tg.<id>.ms: the field, and where a rollup bucket's go. */
  target?: { field: 'up' | 'ms'; bucket: TargetBucket };
  gauge?: GaugeTracker;
  metric?: { target: string; metric: string; tracker: SeriesTracker };
  tlSum: Float64Array;
  tlN: Float64Array;
  daySum: Float64Array;
  dayN: Float64Array;
}

/** A target's up and latency aggregates in the rollup bucket at hand (`stamp`). */
export interface TargetBucket {
  id: string;
  stamp: number;
  up?: SeriesAgg;
  ms?: BucketAgg;
}
