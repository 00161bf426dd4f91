/**
 * The analysis of one window (see electron/main/analysis). The dashboard's uptime table and
 * the JSON report are both built from this.
 *
 * Time is Unix ms throughout. "Covered" time is time a sample vouches for: a sample stands
 * for the stretch until the next one, unless the next one is more than ~2.5 intervals away
 * (a gap: the app was off or the machine slept), in which case it stands for one interval
 * and the rest is a gap, counted neither as up nor as down.
 */

/** Which store tier answered a part of the window; raw answers are exact. */
export type AnalysisTier = 'raw' | '1m' | '1h';

export interface TierSpan {
  tier: AnalysisTier;
  from: number;
  to: number;
}

export interface LatencyStats {
  avg: number | null;
  min: number | null;
  max: number | null;
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

export interface Incident {
  target: string;
  /** First moment known down (the first failing sample, or the window start if clipped). */
  start: number;
  /** The first moment known up again or the end of down coverage; null while still down. */
  end: number | null;
  durationMs: number;
  /** The error text of the first failing sample. */
  error?: string;
  /** True when the target was already down at the window start. */
  startClipped?: boolean;
  /**
   * Time inside the incident with no data (a gap shorter than the incident gap, e.g. the
   * collector restarting during the outage); part of durationMs, not of the target's downMs.
   */
  unobservedMs?: number;
}

export interface Streak {
  state: 'up' | 'down';
  /** Start of the current unbroken run of this state (clipped to the window). */
  since: number;
  durationMs: number;
}

/** Plain statistics of one numeric series over the window. */
export interface SeriesStats {
  series: string;
  count: number;
  avg: number | null;
  min: number | null;
  max: number | null;
  first: number | null;
  last: number | null;
  firstT: number | null;
  lastT: number | null;
  /** Least-squares slope, units per day; null with fewer than two points in time. */
  slopePerDay: number | null;
  /**
   * How much of the series' variance the fitted line explains, 0..1 (over rollups, of the
   * bucket means); null where there is no fit. Reports show a trend only from 0.5 up.
   */
  r2: number | null;
}

export interface MetricAnalysis extends SeriesStats {
  target: string;
  metric: string;
}

export interface SystemMetricAnalysis extends SeriesStats {
  p95: number | null;
  /** The threshold used for `aboveMs`, or null when the series has none. */
  threshold: number | null;
  /** Covered time with the value above the threshold. */
  aboveMs: number;
  /** Disk only: when the fitted trend reaches 100 %; null when it never does. */
  projectedFullAt?: number | null;
}

export interface TargetAnalysis {
  id: string;
  name: string;
  /** False when the target is in the data but no longer in the config. */
  configured: boolean;
  samples: number;
  upSamples: number;
  /** Time-weighted uptime, 0..100; null when the window holds no data for it. */
  uptimePct: number | null;
  uptimePctBySamples: number | null;
  upMs: number;
  downMs: number;
  /** Part of upMs where successful probes were slower than the target's degradedMs. */
  degradedMs: number;
  /** Window time this target has no data for (gaps, before it was added, after removal). */
  noDataMs: number;
  firstT: number | null;
  lastT: number | null;
  /** Statistics of successful probes' latency. */
  latency: LatencyStats;
  /** HTTP status code -> sample count. */
  statusCodes: Record<string, number>;
  incidents: Incident[];
  /** Mean duration of incidents that ended within the window. */
  mttrMs: number | null;
  /** Up time divided by the number of incidents. */
  mtbfMs: number | null;
  longestOutageMs: number;
  streak: Streak | null;
  metrics: MetricAnalysis[];
}

export interface Gap {
  start: number;
  end: number;
  durationMs: number;
}

/** One local calendar day (23 or 25 hours long on a DST change day). */
export interface DayAnalysis {
  /** YYYY-MM-DD in the analysis time zone. */
  label: string;
  start: number;
  end: number;
  targets: Record<string, { uptimePct: number | null; samples: number; p95: number | null }>;
  /** Mean of every series over the day (system, latency, custom metrics). */
  means: Record<string, number>;
}

/** Evenly spaced means over the window, for charts. */
export interface Timeline {
  step: number;
  /** Bucket start times. */
  t: number[];
  series: Record<string, (number | null)[]>;
}

export interface WindowAnalysis {
  from: number;
  to: number;
  intervalSec: number;
  gapThresholdMs: number;
  timeZone: string;
  /** Which tier answered which part of the window. */
  tiers: TierSpan[];
  /** True when every part came from raw samples. */
  exact: boolean;
  samples: number;
  coveredMs: number;
  gapMs: number;
  gaps: Gap[];
  targets: TargetAnalysis[];
  system: SystemMetricAnalysis[];
  days: DayAnalysis[];
  timeline: Timeline;
  /** Requested target ids that are neither configured nor in the data. */
  unknownTargets: string[];
}
