import type { AnomalyReport, ForecastReport } from './anomaly';
import type { Config, RuleInput, Target, TargetInput, EmailInput } from './config-schema';
import type { AlertEvent } from './events';
import type { HealthSnapshot } from './health';
import type { QueryRequest, QueryResult } from './query';
import type { ProbeResult, Sample } from './sample';
import type { WindowAnalysis } from './analysis';

export type ReportFormat = 'md' | 'json' | 'html';

export interface ReportRequest {
  from: number;
  to: number;
  format: ReportFormat;
  targets?: string[];
}

export interface ReportFile {
  /** A sensible default file name, e.g. opspulse-report-2026-11-25T1200-24h.md */
  filename: string;
  mime: string;
  content: string;
}

/** A failed validation: the JSON path and the message, ready to show next to a field. */
export interface FieldError {
  path: string;
  message: string;
}

export type Unsubscribe = () => void;

/** How a caller can stop work it asked for: the HTTP server aborts it when the client hangs up. */
export interface RequestOptions {
  signal?: AbortSignal;
}

/**
 * The one contract between the renderer and the core. In Electron it is carried over IPC
 * by the preload; in a browser over HTTP + Server-Sent Events by `opspulse serve`.
 */
export interface MonitorApi {
  getConfig(): Promise<Config>;
  /** Adds a target, or replaces the one with the same id. Rejects with FieldError[]. */
  saveTarget(target: TargetInput): Promise<Config>;
  deleteTarget(id: string): Promise<Config>;
  setTargetEnabled(id: string, enabled: boolean): Promise<Config>;
  /** Runs one probe now, without storing the result. */
  testTarget(target: TargetInput): Promise<ProbeResult>;
  /** Adds an alert rule, or replaces the one with the same id. Rejects with FieldError[]. */
  saveRule(rule: RuleInput): Promise<Config>;
  deleteRule(id: string): Promise<Config>;
  setRuleEnabled(id: string, enabled: boolean): Promise<Config>;

  /**
   * Ranged reads are refused past 100 years (a FieldError on `to`), cut to the stored data's
   * extent, and stopped after a time budget or when `opts.signal` aborts.
   */
  query(req: QueryRequest, opts?: RequestOptions): Promise<QueryResult>;
  analyze(range: { from: number; to: number }, opts?: RequestOptions): Promise<WindowAnalysis>;
  health(): Promise<HealthSnapshot>;
  events(filter: { since: number; target?: string }): Promise<AlertEvent[]>;
  exportReport(req: ReportRequest, opts?: RequestOptions): Promise<ReportFile>;

  setPaused(paused: boolean): Promise<HealthSnapshot>;
  /** Mute notifications (all, or one target) until a Unix ms time; 0 unmutes. */
  mute(until: number, target?: string): Promise<HealthSnapshot>;

  /**
   * Anomaly marks, latest scores and rates against each series' baseline for a range
   * (optionally one series). Optional: a client without it shows no marks.
   */
  anomalies?(range: { from: number; to: number; series?: string }): Promise<AnomalyReport>;
  /** Time to full, certificate expiry and latency creep, each gated or saying why not. */
  forecasts?(): Promise<ForecastReport>;
  /**
   * Sets (null: removes) the SMTP settings, alerts.email. A masked password keeps the
   * stored one. Rejects with FieldError[]. Optional: a client without it shows no form.
   */
  saveEmail?(email: EmailInput | null): Promise<Config>;

  onSample(cb: (s: Sample) => void): Unsubscribe;
  onHealth(cb: (h: HealthSnapshot) => void): Unsubscribe;
  /**
   * Whether the live stream from the core is up. Over HTTP the server can go away; over
   * IPC the window lives and dies with the core, so the preload need not offer it.
   */
  onConnection?(cb: (c: ConnectionStatus) => void): Unsubscribe;
}

export type ConnectionState = 'live' | 'reconnecting' | 'disconnected';

export interface ConnectionStatus {
  state: ConnectionState;
  /** Unix ms of the change to this state (for "disconnected since 17:05:12"). */
  since: number;
}

export type { Target };
