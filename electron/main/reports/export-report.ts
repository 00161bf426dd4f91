import type { ReportFile, ReportRequest } from '../../../shared/api';
import type { Config } from '../../../shared/config-schema';
import type { AnalysisSource } from '../analysis';
import { buildReport, type BuildOptions } from './build';
import { REPORT_MIME, reportFileName } from './filename';
import { renderReport } from './render';

/** A finished report file for MonitorApi.exportReport (the tray menu and the window). */
export async function exportReport(
  src: AnalysisSource,
  config: Config,
  req: ReportRequest,
  now: number,
  opts: Omit<BuildOptions, 'now'> = {},
): Promise<ReportFile> {
  const range = { from: req.from, to: req.to, ...(req.targets ? { targets: req.targets } : {}) };
  const data = await buildReport(src, config, range, { ...opts, now });
  return {
    filename: reportFileName(range, req.format),
    mime: REPORT_MIME[req.format],
    content: renderReport(data, req.format),
  };
}
