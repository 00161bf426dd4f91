import type { Config } from '../../../shared/config-schema';
import {
  analyzeWindow,
  type AnalysisRange,
  type AnalysisSource,
  type AnalyzeOptions,
} from '../analysis';
import { computeChanges, summarize } from './changes';
import { fmtTime, windowLabel } from './format';
import { REPORT_SCHEMA_VERSION, type ReportData } from './report-data';
import { reportSlos } from './slo-section';
import { reportAnomalies } from './anomaly-section';

/** Comparison windows up to this long read 1-minute rollups, longer ones 1-hour rollups. */
const COMPARE_MINUTE_MAX = 6 * 3_600_000;

export interface BuildOptions extends AnalyzeOptions {
  /** Report time (Unix ms); the wall clock by default. */
  now?: number;
  title?: string;
  /** Compare with the previous window of the same length (default true). */
  compare?: boolean;
  /** The window to compare with instead (a calendar month before a month). */
  previous?: { from: number; to: number };
  onProgress?: (fraction: number) => void;
}

/**
 * Analyses the window and the one before it (same length), and puts together what every
 * report format renders.
 */
export async function buildReport(
  src: AnalysisSource,
  config: Config,
  range: AnalysisRange,
  opts: BuildOptions = {},
): Promise<ReportData> {
  const { title, compare = true, onProgress, previous: previousRange, ...rest } = opts;
  // One "now" for both windows' tier choice and the report's time.
  const now = opts.now ?? Date.now();
  const analyzeOpts = { ...rest, now };
  const share = compare ? 0.7 : 1;
  const analysis = await analyzeWindow(
    src,
    config,
    range,
    onProgress && ((f) => onProgress(f * share)),
    analyzeOpts,
  );
  let previous: ReportData['previous'] = null;
  if (compare) {
    const prevRange = previousRange ?? { from: 2 * range.from - range.to, to: range.from };
    const len = prevRange.to - prevRange.from;
    // The comparison needs only summary figures: rollups answer them within the sketch
    // error (uptime exactly, for whole buckets) without parsing a second window of raw
    // lines; hour buckets unless the window is too short for them to mean much.
    const prev = await analyzeWindow(
      src,
      config,
      { ...range, ...prevRange },
      onProgress && ((f) => onProgress(share + f * (1 - share))),
      { ...analyzeOpts, timelinePoints: 1, tier: len <= COMPARE_MINUTE_MAX ? '1m' : '1h' },
    );
    previous = summarize(prev);
  }
  const label = windowLabel(range.from, range.to);
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    title: title ?? reportTitle(range, now, analysis.timeZone),
    generatedAt: now,
    label,
    analysis,
    previous,
    changes: previous ? computeChanges(analysis, previous) : [],
    slos: reportSlos(config, analysis),
    anomalies: reportAnomalies(src, range),
  };
}

/** A window ending more than this before the report's time is historic: titled by its dates. */
const HISTORIC_AFTER_MS = 5 * 60_000;

/** "last 24h" for a window ending now; its dates and times for one in the past. */
export function reportTitle(
  range: { from: number; to: number },
  now: number,
  timeZone: string,
): string {
  if (now - range.to <= HISTORIC_AFTER_MS)
    return `OpsPulse report, last ${windowLabel(range.from, range.to)}`;
  return `OpsPulse report, ${fmtTime(range.from, timeZone)} to ${fmtTime(range.to, timeZone)} (${timeZone})`;
}
