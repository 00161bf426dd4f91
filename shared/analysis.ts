/**
 * The analysis of one window (see electron/main/analysis). Refined by the analysis issue;
 * the dashboard's uptime table and the JSON report are both built from this.
 */
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
  start: number;
  /** null while still down at the end of the window. */
  end: number | null;
  durationMs: number;
  error?: string;
}

export interface TargetAnalysis {
  id: string;
  name: string;
  samples: number;
  /** Time-weighted uptime, 0..100; null when the window holds no data for it. */
  uptimePct: number | null;
  uptimePctBySamples: number | null;
  latency: LatencyStats;
  incidents: Incident[];
  mttrMs: number | null;
  mtbfMs: number | null;
  longestOutageMs: number;
}

export interface WindowAnalysis {
  from: number;
  to: number;
  targets: TargetAnalysis[];
}
