import type { AnomalyRate } from '../../../shared/anomaly';
import { AnomalyService } from '../anomaly/anomaly-service';
import type { AnalysisSource } from '../analysis';
import { fmtPct } from './format';
import type { ReportData } from './report-data';
import type { Section } from './sections';

/** The most series listed under "Unusual this period". */
const MAX_ROWS = 20;

/**
 * "Unusual this period": each series' anomaly rate in the window against its own rate
 * over the 30 days before, from the live detectors' saved counts (anomaly/state.json in
 * the data directory, written every 5 minutes). Null when the source has no data
 * directory or the detectors have not saved yet.
 */
export function reportAnomalies(
  src: AnalysisSource,
  range: { from: number; to: number },
): AnomalyRate[] | null {
  const dataDir = (src as { dataDir?: unknown }).dataDir;
  if (typeof dataDir !== 'string') return null;
  const service = new AnomalyService(dataDir);
  if (service.loadProblem) return null;
  const rates = service.report(range).rates.filter((r) => r.samples > 0);
  return rates.length > 0 ? rates : null;
}

export function anomalySection(r: ReportData): Section {
  const rates = (r.anomalies ?? []).filter((x) => x.anomalies > 0).slice(0, MAX_ROWS);
  const pct = (x: number | null): string => (x === null ? '–' : fmtPct(x * 100));
  return {
    id: 'anomalies',
    title: 'Unusual this period',
    bullets: rates.length
      ? [
          'Samples the anomaly detector marked (score 0.9 and up), against the same series over the 30 days before.',
        ]
      : [],
    table: rates.length
      ? {
          headers: ['Series', 'Unusual', 'Samples', 'Rate', 'Usual rate'],
          numeric: [false, true, true, true, true],
          rows: rates.map((x) => [
            x.series,
            String(x.anomalies),
            String(x.samples),
            pct(x.rate),
            pct(x.baseline),
          ]),
        }
      : null,
    empty: r.anomalies
      ? 'Nothing unusual: no series had an anomaly in this window.'
      : 'No anomaly counts for this window yet (the detectors save every 5 minutes).',
  };
}
