import type { Config } from '../../../shared/config-schema';
import {
  analyzeWindow,
  type AnalysisRange,
  type AnalysisSource,
  type AnalyzeOptions,
} from '../analysis';
import { RAW_MAX_WINDOW } from '../analysis/plan';
import { computeChanges, summarize } from './changes';
import { windowLabel } from './format';
import { REPORT_SCHEMA_VERSION, type ReportData } from './report-data';

export interface BuildOptions extends AnalyzeOptions {
  /** Report time (Unix ms); the wall clock by default. */
  now?: number;
  title?: string;
  /** Compare with the previous window of the same length (default true). */
  compare?: boolean;
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
  const { now, title, compare = true, onProgress, ...analyzeOpts } = opts;
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
    const len = range.to - range.from;
    // The comparison needs a few summary figures: one tier coarser than the window's own is
    // within the sketch error and skips parsing a second window of raw lines.
    const prev = await analyzeWindow(
      src,
      config,
      { ...range, from: range.from - len, to: range.from },
      onProgress && ((f) => onProgress(share + f * (1 - share))),
      { ...analyzeOpts, timelinePoints: 1, tier: len <= RAW_MAX_WINDOW ? '1m' : '1h' },
    );
    previous = summarize(prev);
  }
  const label = windowLabel(range.from, range.to);
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    title: title ?? `OpsPulse report, last ${label}`,
    generatedAt: now ?? Date.now(),
    label,
    analysis,
    previous,
    changes: previous ? computeChanges(analysis, previous) : [],
  };
}
