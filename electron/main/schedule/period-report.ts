import fs from 'node:fs/promises';
import path from 'node:path';
import type { ReportFormat } from '../../../shared/api';
import type { Config } from '../../../shared/config-schema';
import type { AnalysisSource } from '../analysis';
import { buildReport } from '../reports/build';
import { fmtPct } from '../reports/format';
import type { ReportData } from '../reports/report-data';
import { renderReport } from '../reports/render';
import { periodKey, periodLabel, previousPeriod, type CalendarPeriod } from './calendar';

export interface PeriodReport {
  period: CalendarPeriod;
  data: ReportData;
  /** Written files by format, absolute paths. */
  files: Partial<Record<ReportFormat, string>>;
  /** Rendered text by format (for email). */
  content: Partial<Record<ReportFormat, string>>;
  /** e.g. "Weekly report ready". */
  title: string;
  /** One line: the period and its headline figures. */
  summary: string;
}

const KIND_TITLE = { weekly: 'Weekly', monthly: 'Monthly' } as const;

export function periodFileName(
  p: CalendarPeriod,
  format: ReportFormat,
  timeZone: string | undefined,
): string {
  return `opspulse-${p.kind}-${periodKey(p, timeZone)}.${format}`;
}

/**
 * The report of one calendar period, compared with the period before it, rendered in each
 * format and written to `dir` (temp file and rename, so nobody opens half a report).
 */
export async function writePeriodReport(
  src: AnalysisSource,
  config: Config,
  period: CalendarPeriod,
  formats: readonly ReportFormat[],
  dir: string,
  now: number,
): Promise<PeriodReport> {
  const schedule = config.reports.schedule;
  const label = periodLabel(period, schedule.timeZone);
  const prev = previousPeriod(period, schedule);
  const data = await buildReport(
    src,
    config,
    { from: period.from, to: period.to },
    { now, title: `OpsPulse ${period.kind} report, ${label}`, previous: prev },
  );
  await fs.mkdir(dir, { recursive: true });
  const files: PeriodReport['files'] = {};
  const content: PeriodReport['content'] = {};
  for (const format of formats) {
    const text = renderReport(data, format);
    const file = path.join(dir, periodFileName(period, format, schedule.timeZone));
    const tmp = `${file}.${process.pid}.tmp`;
    await fs.writeFile(tmp, text);
    await fs.rename(tmp, file);
    files[format] = file;
    content[format] = text;
  }
  return {
    period,
    data,
    files,
    content,
    title: `${KIND_TITLE[period.kind]} report ready`,
    summary: `${label}: ${headline(data)}`,
  };
}

function headline(r: ReportData): string {
  const a = r.analysis;
  if (a.samples === 0) return 'no data in this period';
  const withData = a.targets.filter((t) => t.uptimePct !== null);
  const up = withData.reduce((s, t) => s + t.upMs, 0);
  const covered = withData.reduce((s, t) => s + t.upMs + t.downMs, 0);
  const incidents = a.targets.reduce((s, t) => s + t.incidents.length, 0);
  const uptime = covered > 0 ? `${fmtPct((100 * up) / covered)} uptime` : 'no uptime data';
  return `${a.targets.length} service(s), ${uptime}, ${incidents} incident(s)`;
}
