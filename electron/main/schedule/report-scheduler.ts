import path from 'node:path';
import type { Config } from '../../../shared/config-schema';
import type { Notification } from '../../../shared/notification';
import { readJsonFile, writeJsonAtomic } from '../alerts/atomic-file';
import type { LineLogger } from '../notifiers/notifier';
import { latestFire, periodBefore, type CalendarPeriod, type PeriodKind } from './calendar';
import type { PeriodReport } from './period-report';

/** What was written, so a restart neither repeats a report nor misses one. */
interface ScheduleState {
  v: 1;
  /** First start with schedules: times before it were never promised a report. */
  since: number;
  /** Per kind, the end of the last period whose report was written. */
  done: Partial<Record<PeriodKind, number>>;
}

export interface ReportSchedulerDeps {
  dataDir: string;
  /** Writes the period's report in the configured formats. */
  write(config: Config, period: CalendarPeriod): Promise<PeriodReport>;
  notify(n: Notification): void;
  /** Sends the written report by email, when email is configured. */
  email?(config: Config, report: PeriodReport): void;
  log?: LineLogger;
}

const KINDS: PeriodKind[] = ['weekly', 'monthly'];
/** After a failed write, the next try waits this long (not every tick). */
const RETRY_MS = 3_600_000;

export function scheduleStateFile(dataDir: string): string {
  return path.join(dataDir, 'state', 'report-schedule.json');
}

/**
 * Writes last week's and last month's reports when their time comes (`reports.schedule`),
 * once each: checked on every collection tick and at start, so a time missed while the app
 * was off is caught up at the next start, and only the latest missed period is written.
 */
export class ReportScheduler {
  private running: Promise<void> | null = null;
  private retryAt = 0;

  constructor(private readonly deps: ReportSchedulerDeps) {}

  /** Starts a check unless one is running; never throws. */
  check(config: Config, now: number): Promise<void> {
    this.running ??= this.run(config, now)
      .catch((err: unknown) => this.deps.log?.warn(`scheduled report failed: ${String(err)}`))
      .finally(() => (this.running = null));
    return this.running;
  }

  /** Resolves when no check is running (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async run(config: Config, now: number): Promise<void> {
    const schedule = config.reports.schedule;
    if (!KINDS.some((k) => schedule[k].enabled) || now < this.retryAt) return;
    const state = this.load(now);
    for (const kind of KINDS) {
      if (!schedule[kind].enabled) continue;
      const fire = latestFire(kind, schedule, now);
      if (fire === null || fire < state.since) continue;
      const period = periodBefore(kind, schedule, fire);
      if ((state.done[kind] ?? -Infinity) >= period.to) continue;
      let report: PeriodReport;
      try {
        report = await this.deps.write(config, period);
      } catch (err) {
        this.retryAt = now + RETRY_MS;
        throw err;
      }
      state.done[kind] = period.to;
      this.save(state);
      this.deps.log?.info(`${report.title}: ${Object.values(report.files).join(', ')}`);
      const open = report.files.html ?? Object.values(report.files)[0];
      this.deps.notify({
        t: now,
        kind: 'report',
        level: 'ok',
        title: report.title,
        body: `${report.summary}. Click to open.`,
        targets: [],
        events: [],
        ...(open ? { open } : {}),
      });
      this.deps.email?.(config, report);
    }
  }

  private load(now: number): ScheduleState {
    const file = scheduleStateFile(this.deps.dataDir);
    let raw: unknown;
    try {
      raw = readJsonFile(file);
    } catch (err) {
      this.deps.log?.warn(`${String(err)}; starting the report schedule afresh`);
    }
    const s = raw as Partial<ScheduleState> | undefined;
    if (s && s.v === 1 && typeof s.since === 'number' && typeof s.done === 'object' && s.done)
      return s as ScheduleState;
    const fresh: ScheduleState = { v: 1, since: now, done: {} };
    this.save(fresh);
    return fresh;
  }

  private save(state: ScheduleState): void {
    try {
      writeJsonAtomic(scheduleStateFile(this.deps.dataDir), state);
    } catch (err) {
      this.deps.log?.warn(`cannot save the report schedule: ${String(err)}`);
    }
  }
}
