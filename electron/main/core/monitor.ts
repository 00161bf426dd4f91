import fs from 'node:fs';
import path from 'node:path';
import type {
  MonitorApi,
  ReportFile,
  ReportRequest,
  RequestOptions,
  Unsubscribe,
} from '../../../shared/api';
import type { WindowAnalysis } from '../../../shared/analysis';
import type { Config, EmailInput, RuleInput, TargetInput } from '../../../shared/config-schema';
import type { AlertEvent } from '../../../shared/events';
import type { HealthSnapshot } from '../../../shared/health';
import type { QueryRequest, QueryResult } from '../../../shared/query';
import type { ProbeResult, Sample } from '../../../shared/sample';
import type { AnomalyReport, ForecastReport } from '../../../shared/anomaly';
import { AlertEngine } from '../alerts/alert-engine';
import { anomalySeries, forecastSeries } from '../../../shared/series';
import { AnomalyService } from '../anomaly/anomaly-service';
import { ForecastService } from '../forecast/forecast-service';
import { Collector, tickBudgetMs } from '../collector/collector';
import { systemClock, type Clock } from '../collector/clock';
import { Scheduler } from '../collector/scheduler';
import { ConfigDeletedError } from '../config/config-error';
import { ConfigStore } from '../config/config-store';
import { createNotifier, type ConfiguredNotifier } from '../notifiers';
import type { Notifier } from '../notifiers/notifier';
import { runProbe } from '../probes';
import { SystemProbe } from '../probes/system';
import { exportReport } from '../reports/export-report';
import { analyzeWindow } from '../analysis';
import { SampleStore } from '../store/sample-store';
import { ReportScheduler } from '../schedule/report-scheduler';
import { writePeriodReport } from '../schedule/period-report';
import { SloService } from '../slo/slo-service';
import { AwayWatcher } from '../presence/away';
import { AnalysisHost, WorkerUnavailableError } from './analysis-host';
import type { AnalysisJob } from './analysis-protocol';
import { clampToExtent, dataExtent, runBounded } from './bounded-work';
import { ConfigEdits } from './config-edits';
import { Listeners } from './listeners';
import { createLogger, type Logger } from './logger';

export interface MonitorOptions {
  dataDir: string;
  /** Extra notifier (the desktop shell's); log and webhooks are always wired. */
  notifier?: Notifier;
  clock?: Clock;
  /** Off in tests that do not want systeminformation's child processes. */
  systemMetrics?: boolean;
  log?: Logger;
  /** "While you were away" after a long gap (the desktop app; a daemon's data is what it sums up). */
  awaySummary?: boolean;
}

const DAY_MS = 86_400_000;
/** How often the anomaly detectors' state is written (and at close). */
const ANOMALY_SAVE_MS = 5 * 60_000;
/** forecast(<series>) while there is no forecast (not filling, too little data): never. */
const NO_FORECAST_DAYS = 1e6;

/**
 * The core, composed: config, collection loop, store, alert engine, analysis and reports,
 * behind the MonitorApi contract. The CLI daemon, `serve` and the Electron shell all run
 * one of these; none of it knows which.
 */
export class Monitor implements MonitorApi {
  private readonly samples = new Listeners<Sample>((err) => this.subscriberFailed(err));
  private readonly healthListeners = new Listeners<HealthSnapshot>((err) =>
    this.subscriberFailed(err),
  );
  private readonly scheduler: Scheduler;
  private readonly collector: Collector;
  private maintenanceTimer: NodeJS.Timeout | null = null;
  private warmTimer: NodeJS.Timeout | null = null;
  private configWatcher: fs.FSWatcher | null = null;
  private reloadTimer: NodeJS.Timeout | null = null;
  private paused = false;
  private started = false;
  private lastHealth: HealthSnapshot;
  private readonly edits: ConfigEdits;
  private readonly analysisHost: AnalysisHost;
  private collectorProblem: string | undefined;
  /** False when the caller turned system metrics off (tests); config cannot turn them on. */
  private systemAllowed = true;
  /** Error budgets and burn rates (slo/). */
  readonly slo: SloService;
  /** last week's and last month's reports, written on their own (schedule/). */
  readonly reportSchedule: ReportScheduler;
  private away: AwayWatcher | undefined;
  private collectorLoggedAt = 0;
  /** Anomaly scores of every numeric series (own state file under the data dir). */
  readonly anomaly: AnomalyService;
  private readonly forecast: ForecastService;
  private anomalySavedAt = 0;
  /** The latest time-to-full forecasts, by series, for forecast(<series>) rules. */
  private daysToFull = new Map<string, number>();

  private constructor(
    readonly dataDir: string,
    readonly config: ConfigStore,
    readonly store: SampleStore,
    readonly alerts: AlertEngine,
    private readonly notifier: ConfiguredNotifier,
    private system: SystemProbe | undefined,
    private readonly clock: Clock,
    readonly log: Logger,
  ) {
    this.edits = new ConfigEdits(config);
    this.analysisHost = new AnalysisHost({ dataDir });
    this.collector = new Collector({ runProbe, system });
    this.anomaly = new AnomalyService(dataDir, (range) => store.read(range), clock.now());
    if (this.anomaly.loadProblem) log.warn(this.anomaly.loadProblem);
    this.forecast = new ForecastService((range) => store.read(range));
    this.slo = new SloService(
      (tier, range) => store.readRollups(tier, range),
      () => clock.now(),
      log,
    );
    this.slo.sync(config.get());
    this.reportSchedule = new ReportScheduler({
      dataDir,
      write: (cfg, period) =>
        writePeriodReport(
          store,
          cfg,
          period,
          cfg.reports.schedule.formats,
          path.join(dataDir, 'reports'),
          clock.now(),
        ),
      notify: (n) => notifier.notify(n),
      email: (_cfg, report) => notifier.emailReport(report),
      log,
    });
    this.scheduler = new Scheduler({
      intervalMs: config.get().interval * 1000,
      clock,
      tick: (t) => this.tick(t).then(() => undefined),
    });
    this.lastHealth = alerts.snapshot(config.get());
    // Pause is kept in a file and survives a restart (and `opspulse` CLI calls).
    this.paused = alerts.isPaused();
    config.onChange((cfg) => {
      this.scheduler.setInterval(cfg.interval * 1000);
      notifier.setConfig(cfg);
      this.slo.sync(cfg);
      this.applyLiveSettings(cfg);
      this.publishHealth();
    });
    store.onStorageHealth((h) => alerts.noteStorageHealth(h));
  }

  static async open(opts: MonitorOptions): Promise<Monitor> {
    const clock = opts.clock ?? systemClock;
    const config = await ConfigStore.open(opts.dataDir);
    const cfg = config.get();
    const store = await SampleStore.open(opts.dataDir, {
      retention: cfg.retention,
      now: () => clock.now(),
      // Read per sample, so an edited threshold applies from the next tick.
      degradedMs: (id) => config.get().targets.find((t) => t.id === id)?.degradedMs,
    });
    const log = opts.log ?? createLogger('silent');
    for (const cut of store.openReport.torn)
      log.warn(
        `cut a torn last line (${cut.bytes} bytes, a write the previous run did not finish) from ${cut.file}`,
      );
    if (store.openReport.restoredSamples > 0)
      log.warn(
        `${store.openReport.restoredSamples} sample(s) a full disk refused at the last shutdown were written into the store`,
      );
    const notifier = createNotifier(cfg, opts.notifier, log, () => clock.now());
    const alerts = await AlertEngine.open({
      dataDir: opts.dataDir,
      notifier,
      now: () => clock.now(),
      log,
    });
    // Started in the background: a worker that cannot start is retried with backoff and
    // shown in health, and never keeps the core (and target probes) from running.
    const system =
      opts.systemMetrics !== false && cfg.system.enabled ? SystemProbe.launch() : undefined;
    const monitor = new Monitor(opts.dataDir, config, store, alerts, notifier, system, clock, log);
    monitor.systemAllowed = opts.systemMetrics !== false;
    if (opts.awaySummary)
      monitor.away = new AwayWatcher({
        dataDir: opts.dataDir,
        notify: (n) => notifier.notify(n),
        events: (since) => alerts.events({ since }),
        newestSampleT: () => store.latest()?.t,
        summaryNow: () => monitor.lastHealth.summary,
        log,
      });
    return monitor;
  }

  /** Starts the collection loop and the daily store maintenance. */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.runMaintenance();
    this.maintenanceTimer = setInterval(() => this.runMaintenance(), DAY_MS);
    this.maintenanceTimer.unref();
    this.watchConfigFile();
    // A dashboard asks for an analysis first thing: its worker starts in the meantime.
    this.warmTimer = setTimeout(() => this.analysisHost.warm(), 1000);
    this.warmTimer.unref();
    if (!this.paused) this.scheduler.start();
    // A schedule missed while the app was off is caught up now.
    void this.reportSchedule.check(this.config.get(), this.clock.now());
    void this.away?.start(this.config.get(), this.clock.now()).catch((err: unknown) => {
      this.log.warn({ err: String(err) }, 'cannot sum up the time away');
    });
  }

  /**
   * Picks up hand edits and `opspulse targets ...` from another process. A broken edit is
   * reported and the running config kept; the file is left as the user wrote it.
   */
  private watchConfigFile(): void {
    try {
      this.configWatcher = fs.watch(this.dataDir, (_event, name) => {
        if (name !== 'config.json') return;
        if (this.reloadTimer) clearTimeout(this.reloadTimer);
        this.reloadTimer = setTimeout(() => {
          this.config.reload().then(
            () => this.log.info('config reloaded'),
            (err: unknown) => {
              if (err instanceof ConfigDeletedError) this.log.warn(err.message);
              else
                this.log.error(
                  { err: String(err) },
                  'config edit rejected; keeping the running config',
                );
            },
          );
        }, 200);
      });
      this.configWatcher.on('error', (err) =>
        this.log.warn(
          { err: err.message },
          'watching config.json failed; restart to apply hand edits',
        ),
      );
    } catch (err) {
      this.log.warn({ err: String(err) }, 'cannot watch config.json; restart to apply hand edits');
    }
  }

  get schedulerStats(): Scheduler['stats'] {
    return this.scheduler.stats;
  }

  /** One collection tick now: probe, store, evaluate alerts, publish. */
  async tick(t: number = this.clock.now()): Promise<Sample> {
    const cfg = this.config.get();
    // A tick that starts late (the previous one overran) ends by the same time as if on time.
    const lateMs = Math.max(0, this.clock.now() - t);
    const sample = await this.collector.collect(cfg, t, {
      budgetMs: Math.max(250, tickBudgetMs(cfg.interval) - lateMs),
    });
    this.noteCollector();
    this.store.append(sample);
    const scores = this.anomaly.ingest(sample);
    if (t - this.anomalySavedAt >= ANOMALY_SAVE_MS) {
      this.anomalySavedAt = t;
      void this.anomaly.save(t);
    }
    this.slo.add(sample);
    // Rules on anomaly(<series>) and forecast(<series>) see those values; the stored
    // sample does not carry them.
    const derived = this.derivedForRules(cfg, scores);
    this.alerts.ingest(
      derived ? { ...sample, an: derived } : sample,
      cfg,
      this.slo.status(cfg, sample.t),
    );
    this.samples.emit(sample);
    this.publishHealth();
    void this.reportSchedule.check(cfg, t);
    this.notifier.poll(t);
    void this.away?.tick(cfg, t).catch(() => undefined);
    return sample;
  }

  async close(): Promise<void> {
    if (this.maintenanceTimer) clearInterval(this.maintenanceTimer);
    if (this.reloadTimer) clearTimeout(this.reloadTimer);
    this.configWatcher?.close();
    if (this.warmTimer) clearTimeout(this.warmTimer);
    await this.analysisHost.close();
    // Probes in flight are cancelled, so a shutdown never waits for a hanging target.
    this.collector.cancelAll();
    await this.scheduler.stop();
    await this.reportSchedule.idle();
    this.away?.close(this.clock.now());
    await this.system?.close();
    this.system = undefined;
    await this.alerts.close();
    await this.notifier.close();
    await this.anomaly.ready();
    await this.anomaly.save(this.clock.now());
    await this.store.close();
    const unsaved = this.store.closeReport;
    if (unsaved?.spillFile)
      this.log.warn(
        `${unsaved.spilled} sample(s) the disk refused are kept in ${unsaved.spillFile}; the next start writes them into the store`,
      );
    else if (unsaved)
      this.log.error(`${unsaved.lost} sample(s) could not be kept anywhere: ${unsaved.error}`);
  }

  /**
   * Retention, compression and the byte cap. A failure (EACCES, ENOSPC...) is logged with
   * its cause: silently skipped maintenance lets a disk fill up.
   */
  private runMaintenance(): void {
    this.store.maintain().catch((err: unknown) => {
      const code = (err as NodeJS.ErrnoException).code;
      this.log.error(
        { err: err instanceof Error ? err.message : String(err), code },
        'store maintenance failed (retention and compression not applied)',
      );
    });
    // Incidents are kept as long as the coarsest tier (hours) keeps history.
    const keepMs = this.config.get().retention.hourDays * DAY_MS;
    this.alerts.pruneEvents(this.clock.now() - keepMs).catch((err: unknown) => {
      this.log.error(
        { err: err instanceof Error ? err.message : String(err) },
        'incident log retention failed',
      );
    });
  }

  /**
   * What a running collector picks up from a config change besides the interval: retention
   * (applied by a maintenance run now) and system metrics on or off.
   */
  private applyLiveSettings(cfg: Config): void {
    if (this.store.setRetention(cfg.retention)) this.runMaintenance();
    const want = this.systemAllowed && cfg.system.enabled;
    if (want && !this.system) {
      this.system = SystemProbe.launch();
      this.collector.setSystem(this.system);
      this.log.info('system metrics on');
    } else if (!want && this.system) {
      const system = this.system;
      this.system = undefined;
      this.collector.setSystem(undefined);
      void system.close();
      this.log.info('system metrics off');
    }
  }

  /**
   * Overload is health: targets not checked in time, or still hung from the previous check,
   * make the collector a warning in the snapshot, and the log says so once a minute.
   */
  private noteCollector(): void {
    const r = this.collector.stats.last;
    if (!r) return;
    const problems: string[] = [];
    if (r.skipped.length > 0)
      problems.push(
        `${r.skipped.length} target(s) not checked within the interval (overloaded; raise concurrency or the interval): ${listIds(r.skipped)}`,
      );
    if (r.overran.length > 0)
      problems.push(
        `${r.overran.length} target(s) still hung from the previous check: ${listIds(r.overran)}`,
      );
    if (r.systemError !== undefined) problems.push(`no system metrics: ${r.systemError}`);
    const error = problems.length > 0 ? problems.join('; ') : undefined;
    const now = this.clock.now();
    const changed = (error === undefined) !== (this.collectorProblem === undefined);
    if (changed || (error !== undefined && now - this.collectorLoggedAt >= 60_000)) {
      if (error === undefined) this.log.info('collector keeps up again');
      else
        this.log.warn(
          { skipped: r.skipped.length, overran: r.overran.length, tickMs: r.ms },
          `collector overloaded: ${error}`,
        );
      this.collectorLoggedAt = now;
    }
    this.collectorProblem = error;
    this.alerts.noteCollectorHealth(error === undefined ? { ok: true } : { ok: false, error });
  }

  private subscriberFailed(err: unknown): void {
    this.log.error(
      { err: err instanceof Error ? err.message : String(err) },
      'a live-update subscriber failed',
    );
  }

  private publishHealth(): void {
    const cfg = this.config.get();
    this.lastHealth = this.alerts.snapshot(cfg);
    const slos = this.slo.status(cfg, this.clock.now());
    if (slos.length > 0) this.lastHealth.slos = slos;
    this.healthListeners.emit(this.lastHealth);
  }

  // ---- MonitorApi ----

  // Config answers are masked (shared/secrets.ts): secrets are write-only over the API.
  async getConfig(): Promise<Config> {
    return this.edits.masked();
  }

  saveTarget(input: TargetInput): Promise<Config> {
    return this.edits.saveTarget(input);
  }

  deleteTarget(id: string): Promise<Config> {
    return this.edits.deleteTarget(id);
  }

  setTargetEnabled(id: string, enabled: boolean): Promise<Config> {
    return this.edits.setTargetEnabled(id, enabled);
  }

  saveRule(input: RuleInput): Promise<Config> {
    return this.edits.saveRule(input);
  }

  deleteRule(id: string): Promise<Config> {
    return this.edits.deleteRule(id);
  }

  setRuleEnabled(id: string, enabled: boolean): Promise<Config> {
    return this.edits.setRuleEnabled(id, enabled);
  }

  saveEmail(input: EmailInput | null): Promise<Config> {
    return this.edits.saveEmail(input);
  }

  async testTarget(input: TargetInput): Promise<ProbeResult> {
    const target = this.edits.parseTarget(input);
    return runProbe(target, { intervalSec: this.config.get().interval });
  }

  async query(req: QueryRequest, opts?: RequestOptions): Promise<QueryResult> {
    const bounded = await this.withinData(req);
    opts?.signal?.throwIfAborted();
    return this.store.query(bounded);
  }

  async analyze(
    range: { from: number; to: number },
    opts?: RequestOptions,
  ): Promise<WindowAnalysis> {
    const bounded = await this.withinData(range);
    return this.offThread({ kind: 'analyze', range: bounded }, opts, (src, config, now) =>
      analyzeWindow(src, config, bounded, undefined, { now }),
    );
  }

  /**
   * Long reads run in the analysis worker (analysis-host.ts), so they cost the collector's
   * thread nothing; where no worker can start, here, on a view that yields every few ms.
   */
  private async offThread<T>(
    job: AnalysisJob,
    opts: RequestOptions | undefined,
    inThread: (src: SampleStore, config: Config, now: number) => Promise<T>,
  ): Promise<T> {
    const config = this.config.get();
    const now = this.clock.now();
    try {
      return await this.analysisHost.run<T>(job, config, now, opts?.signal);
    } catch (err) {
      if (!(err instanceof WorkerUnavailableError)) throw err;
      this.log.warn({ err: err.message }, 'analysis runs on the collector thread');
      return runBounded(this.store, (src) => inThread(src, config, now), opts);
    }
  }

  /** A request's range refused past the limit and cut to the stored data (bounded-work.ts). */
  private async withinData<R extends { from: number; to: number }>(range: R): Promise<R> {
    return clampToExtent(range, await dataExtent(this.dataDir), this.clock.now());
  }

  /**
   * Values of anomaly(<series>) and forecast(<series>) for rules. Forecasts read two weeks
   * of samples, so they are computed (every 10 minutes at most) only while a rule asks,
   * and a tick uses the latest finished one.
   */
  private derivedForRules(
    cfg: Config,
    scores: Map<string, number>,
  ): Record<string, number> | undefined {
    const out: Record<string, number> = {};
    for (const [series, score] of scores) out[anomalySeries(series)] = score;
    if (cfg.rules.some((r) => r.enabled && r.series.startsWith('forecast('))) {
      this.forecast
        .get(this.clock.now())
        .then((r) => {
          this.daysToFull = new Map(
            r.items
              .filter((i) => i.kind === 'time-to-full')
              .map((i) => [i.series, i.ok && i.days !== undefined ? i.days : NO_FORECAST_DAYS]),
          );
        })
        .catch(() => undefined);
      for (const [series, days] of this.daysToFull) out[forecastSeries(series)] = days;
    }
    return Object.keys(out).length > 0 ? out : undefined;
  }

  async anomalies(range: { from: number; to: number; series?: string }): Promise<AnomalyReport> {
    await this.anomaly.ready();
    return this.anomaly.report(range, range.series);
  }

  forecasts(): Promise<ForecastReport> {
    return this.forecast.get(this.clock.now());
  }

  async health(): Promise<HealthSnapshot> {
    return this.lastHealth;
  }

  async events(filter: { since: number; target?: string }): Promise<AlertEvent[]> {
    return this.alerts.events(filter);
  }

  async exportReport(req: ReportRequest, opts?: RequestOptions): Promise<ReportFile> {
    const bounded = await this.withinData(req);
    return this.offThread({ kind: 'report', req: bounded }, opts, (src, config, now) =>
      exportReport(src, config, bounded, now),
    );
  }

  async setPaused(paused: boolean): Promise<HealthSnapshot> {
    this.paused = paused;
    this.alerts.setPaused(paused);
    if (paused) await this.scheduler.stop();
    else if (this.started) this.scheduler.start();
    this.publishHealth();
    return this.lastHealth;
  }

  async mute(until: number, target?: string): Promise<HealthSnapshot> {
    this.alerts.mute(until, target);
    this.publishHealth();
    return this.lastHealth;
  }

  onSample(cb: (s: Sample) => void): Unsubscribe {
    return this.samples.add(cb);
  }

  onHealth(cb: (h: HealthSnapshot) => void): Unsubscribe {
    return this.healthListeners.add(cb);
  }
}

/** A few ids for a log line or a reason, not hundreds. */
function listIds(ids: readonly string[]): string {
  return ids.length <= 5
    ? ids.join(', ')
    : `${ids.slice(0, 5).join(', ')} and ${ids.length - 5} more`;
}
