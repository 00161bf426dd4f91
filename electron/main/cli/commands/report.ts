import fs from 'node:fs/promises';
import path from 'node:path';
import { Command, Option } from 'commander';
import type { ReportFormat } from '../../../../shared/api';
import { checkRange, StoreReader } from '../../analysis';
import { checkTimeZone, defaultTimeZone, parseZonedTime } from '../../analysis/days';
import { ConfigStore } from '../../config/config-store';
import { buildReport, latestFileName, renderReport, reportFileName } from '../../reports';
import { dataDirOf } from '../program';
import { periodBefore, periodLabel, previousPeriod } from '../../schedule/calendar';
import { periodFileName } from '../../schedule/period-report';

interface ReportOptions {
  hours?: string;
  days?: string;
  from?: string;
  to?: string;
  format: ReportFormat;
  out?: string;
  targets?: string;
  tz?: string;
  compare: boolean;
  lastWeek?: boolean;
  lastMonth?: boolean;
}

const HOUR = 3_600_000;

function positive(name: string, text: string): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0)
    throw new Error(`${name}: expected a positive number, got "${text}"`);
  return n;
}

/**
 * --from/--to: one rule for every form (docs/definitions.md, "Report windows"): an explicit
 * offset or Z is that instant; a date or date-time without one is wall-clock time in --tz
 * (the system zone by default), a date alone its local midnight.
 */
function time(name: string, text: string, timeZone: string): number {
  const t = parseZonedTime(text, timeZone);
  if (t === null)
    throw new Error(
      `${name}: not a date/time: "${text}" (use ISO 8601, e.g. 2026-11-24, 2026-11-24T08:00 in --tz, or 2026-11-24T08:00Z)`,
    );
  return t;
}

/** --last-week / --last-month: the calendar period the scheduled report would cover. */
async function calendarWindow(opts: ReportOptions, dataDir: string, now: number) {
  if (!opts.lastWeek && !opts.lastMonth) return null;
  if (opts.lastWeek && opts.lastMonth) throw new Error('choose one of --last-week or --last-month');
  if (opts.hours !== undefined || opts.days !== undefined || opts.from !== undefined)
    throw new Error('--last-week and --last-month take no --hours, --days or --from/--to');
  const schedule = (await ConfigStore.open(dataDir)).get().reports.schedule;
  const period = periodBefore(opts.lastWeek ? 'weekly' : 'monthly', schedule, now);
  return {
    period,
    previous: previousPeriod(period, schedule),
    title: `OpsPulse ${period.kind} report, ${periodLabel(period, schedule.timeZone)}`,
  };
}

/** The window the options describe; the last 24 hours by default. */
export function resolveWindow(opts: ReportOptions, now: number): { from: number; to: number } {
  const given = [opts.hours !== undefined, opts.days !== undefined, opts.from !== undefined];
  if (given.filter(Boolean).length > 1)
    throw new Error('choose one of --hours, --days or --from/--to');
  if (opts.to !== undefined && opts.from === undefined) throw new Error('--to needs --from');
  let range: { from: number; to: number };
  if (opts.from !== undefined) {
    const zone = opts.tz ?? defaultTimeZone();
    checkTimeZone(zone);
    const to = opts.to !== undefined ? time('--to', opts.to, zone) : now;
    range = { from: time('--from', opts.from, zone), to };
  } else {
    const hours =
      opts.days !== undefined
        ? positive('--days', opts.days) * 24
        : positive('--hours', opts.hours ?? '24');
    range = { from: now - Math.round(hours * HOUR), to: now };
  }
  checkRange(range);
  return range;
}

/** Progress on stderr, but only once a report has taken more than a second. */
function progressPrinter(start: number): { onProgress: (f: number) => void; done: () => void } {
  let shown = -1;
  const tty = process.stderr.isTTY === true;
  return {
    onProgress(f) {
      if (Date.now() - start < 1000) return;
      const pct = Math.floor(f * 10) * 10;
      if (pct <= shown) return;
      shown = pct;
      process.stderr.write(tty ? `\ropspulse report: ${pct} %` : `opspulse report: ${pct} %\n`);
    },
    done() {
      if (tty && shown >= 0) process.stderr.write('\n');
    },
  };
}

export function registerReportCommand(program: Command): void {
  program
    .command('report')
    .description(
      'write a report (uptime, latency, incidents, trends) for a window; by default into reports/ in the data directory',
    )
    .option('--hours <n>', 'the last n hours (default 24)')
    .option('--days <n>', 'the last n days')
    .option('--from <iso>', 'window start, ISO 8601; without Z or an offset, local time in --tz')
    .option('--to <iso>', 'window end, as --from (default now)')
    .addOption(
      new Option('--format <fmt>', 'output format').choices(['md', 'json', 'html']).default('md'),
    )
    .option('--out <file>', 'write here instead (- for standard output)')
    .option('--targets <ids>', 'only these targets, comma-separated')
    .option(
      '--tz <zone>',
      'time zone for --from/--to without an offset, day boundaries and times (default: the system zone)',
    )
    .option('--no-compare', 'skip the comparison with the previous window')
    .option(
      '--last-week',
      'the last whole week, as the weekly scheduled report (reports.schedule), compared with the week before',
    )
    .option('--last-month', 'the last calendar month, compared with the month before')
    .action(async (opts: ReportOptions, cmd: Command) => {
      const dataDir = dataDirOf(cmd);
      const now = Date.now();
      const calendar = await calendarWindow(opts, dataDir, now);
      const range = calendar?.period ?? resolveWindow(opts, now);
      const targets = opts.targets
        ?.split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      const reader = await StoreReader.open(dataDir);
      const config = (await ConfigStore.open(dataDir)).get();
      const progress = progressPrinter(now);
      const data = await buildReport(
        reader,
        config,
        { ...range, ...(targets?.length ? { targets } : {}) },
        {
          now,
          compare: opts.compare,
          onProgress: progress.onProgress,
          ...(calendar ? { previous: calendar.previous, title: calendar.title } : {}),
          ...(opts.tz ? { timeZone: opts.tz } : {}),
        },
      );
      progress.done();
      const unknown = data.analysis.unknownTargets;
      if (targets?.length && unknown.length === targets.length) {
        const known = config.targets.map((t) => t.id).join(', ') || 'none';
        throw new Error(`unknown target(s): ${unknown.join(', ')} (configured: ${known})`);
      }
      if (unknown.length)
        console.error(`opspulse report: unknown target(s) left out: ${unknown.join(', ')}`);
      if (data.analysis.samples === 0) console.error('opspulse report: no samples in this window');

      const content = renderReport(data, opts.format);
      if (opts.out === '-') {
        process.stdout.write(content);
        return;
      }
      if (opts.out) {
        await fs.mkdir(path.dirname(path.resolve(opts.out)), { recursive: true });
        await fs.writeFile(opts.out, content);
        console.log(opts.out);
        return;
      }
      const dir = path.join(dataDir, 'reports');
      await fs.mkdir(dir, { recursive: true });
      const file = path.join(
        dir,
        calendar
          ? periodFileName(calendar.period, opts.format, config.reports.schedule.timeZone)
          : reportFileName(range, opts.format),
      );
      await fs.writeFile(file, content);
      // Written beside and renamed, so a viewer never opens a half-written latest copy.
      const latest = path.join(dir, latestFileName(opts.format));
      await fs.writeFile(`${latest}.tmp`, content);
      await fs.rename(`${latest}.tmp`, latest);
      console.log(file);
    });
}
