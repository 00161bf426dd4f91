/**
 * The on-disk sample format: one JSON line per collection tick.
 *
 * Short keys keep a line near 400 bytes with twenty fields (twenty numeric fields and the
 * timestamp measured about 390 bytes); the version field lets a later reader tell formats
 * apart without guessing. docs/architecture.md describes the files these lines go to.
 */
export const SAMPLE_VERSION = 1;

/** What one probe reports. A failure is a result with up=false, never an exception. */
export interface ProbeResult {
  up: boolean;
  /** Total latency in milliseconds (request start to body end / connect). */
  ms?: number;
  /** Time to first byte in milliseconds (http only). */
  ttfb?: number;
  /** HTTP status code. */
  status?: number;
  /** Days until the TLS certificate expires (https only). */
  certDays?: number;
  /** Why it is down, or which condition failed. */
  error?: string;
  /** Numeric values extracted from the response or file, by metric name. */
  metrics?: Record<string, number>;
}

/** A target's part of a stored sample (compact keys). */
export interface TargetSample {
  up: 0 | 1;
  ms?: number;
  fb?: number;
  st?: number;
  cd?: number;
  err?: string;
  m?: Record<string, number>;
}

/** System metrics of one tick. A metric the OS does not report is absent, not zero. */
export interface SystemSample {
  /** CPU load, percent of all cores. */
  cpu?: number;
  /** Memory in use, percent. */
  mem?: number;
  /** Swap in use, percent (absent when there is no swap). */
  swap?: number;
  /** Load average over 1, 5 and 15 minutes. */
  load1?: number;
  load5?: number;
  load15?: number;
  /** Disk use percent per mount point. */
  disk?: Record<string, number>;
  /** Network receive / transmit, bytes per second; null where no rate could be measured yet. */
  rx?: number | null;
  tx?: number | null;
  /** CPU temperature, degrees Celsius. */
  temp?: number;
  /** Battery charge, percent. */
  battery?: number;
}

export interface Sample {
  v: typeof SAMPLE_VERSION;
  /** Unix time in milliseconds at the start of the tick. */
  t: number;
  sys?: SystemSample;
  tg: Record<string, TargetSample>;
  /**
   * Derived values for rules, by their full rule series name: `anomaly(<series>)` (the
   * anomaly score) and `forecast(<series>)` (days until full). Never stored: the monitor
   * adds it only to the copy of the sample the alert engine evaluates.
   */
  an?: Record<string, number>;
}

export function toTargetSample(r: ProbeResult): TargetSample {
  const s: TargetSample = { up: r.up ? 1 : 0 };
  if (r.ms !== undefined) s.ms = round3(r.ms);
  if (r.ttfb !== undefined) s.fb = round3(r.ttfb);
  if (r.status !== undefined) s.st = r.status;
  if (r.certDays !== undefined) s.cd = round3(r.certDays);
  if (r.error !== undefined) s.err = r.error;
  if (r.metrics && Object.keys(r.metrics).length > 0) s.m = r.metrics;
  return s;
}

export function fromTargetSample(s: TargetSample): ProbeResult {
  const r: ProbeResult = { up: s.up === 1 };
  if (s.ms !== undefined) r.ms = s.ms;
  if (s.fb !== undefined) r.ttfb = s.fb;
  if (s.st !== undefined) r.status = s.st;
  if (s.cd !== undefined) r.certDays = s.cd;
  if (s.err !== undefined) r.error = s.err;
  if (s.m !== undefined) r.metrics = s.m;
  return r;
}

/** Microsecond precision is all a latency needs; fewer digits keep lines short. */
export function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
