export { buildReport, type BuildOptions } from './build';
export { exportReport } from './export-report';
export { latestFileName, REPORT_MIME, reportFileName } from './filename';
export { renderJson, renderReport } from './render';
export {
  REPORT_SCHEMA_VERSION,
  type Change,
  type PreviousSummary,
  type ReportData,
} from './report-data';
