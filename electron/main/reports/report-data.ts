import type { WindowAnalysis } from '../../../shared/analysis';
import type { AnomalyRate } from '../../../shared/anomaly';
import type { ReportSlo } from './slo-section';

/** Bumped on any incompatible change to the JSON report (resources/schemas/report.schema.json). */
export const REPORT_SCHEMA_VERSION = 1;

/** The figures of the previous window of the same length that the report compares with. */
export interface PreviousSummary {
  from: number;
  to: number;
  samples: number;
  targets: Record<
    string,
    {
      uptimePct: number | null;
      p95: number | null;
      incidents: number;
      samples: number;
      /** Absent in reports written before it was added. */
      downMs?: number;
    }
  >;
  /** Mean per series (system and custom metrics). */
  means: Record<string, number | null>;
}

export type ChangeKind = 'uptime' | 'latency' | 'incidents' | 'metric' | 'system' | 'target';

/** One line of "what changed", most important first. */
export interface Change {
  kind: ChangeKind;
  /** Target id or series name. */
  subject: string;
  text: string;
  /** Whether the change is for the worse (drives a warning mark). */
  worse: boolean;
  before: number | null;
  after: number | null;
}

export interface ReportData {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  title: string;
  generatedAt: number;
  /** e.g. "24h", "7d": used in file names and headings. */
  label: string;
  analysis: WindowAnalysis;
  previous: PreviousSummary | null;
  changes: Change[];
  /** Availability objectives judged over the window (reports/slo-section.ts). */
  slos?: ReportSlo[];
  /**
   * "Unusual this period": each series' anomaly rate against its own 30-day baseline;
   * null when no anomaly counts exist (absent in reports written before it was added).
   */
  anomalies?: AnomalyRate[] | null;
}
