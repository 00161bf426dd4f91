import type { ReportFormat } from '../../../shared/api';
import { windowLabel } from './format';

export const REPORT_MIME: Record<ReportFormat, string> = {
  md: 'text/markdown; charset=utf-8',
  json: 'application/json',
  html: 'text/html; charset=utf-8',
};

/** "2026-11-25T1200" in UTC: sortable and safe in every file system. */
function compactUtc(t: number): string {
  const iso = new Date(t).toISOString();
  return `${iso.slice(0, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}`;
}

/** e.g. opspulse-report-2026-11-25T1200-24h.md: the window's end, its length, the format. */
export function reportFileName(range: { from: number; to: number }, format: ReportFormat): string {
  return `opspulse-report-${compactUtc(range.to)}-${windowLabel(range.from, range.to)}.${format}`;
}

/** The copy of the newest report per format, e.g. latest.html. */
export function latestFileName(format: ReportFormat): string {
  return `latest.${format}`;
}
