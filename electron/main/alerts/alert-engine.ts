import type { Config } from '../../../shared/config-schema';
import type { AlertEvent } from '../../../shared/events';
import type { HealthSnapshot } from '../../../shared/health';
import type { Sample } from '../../../shared/sample';
import type { LineLogger, Notifier } from '../notifiers/notifier';
import { loadAlertState, saveAlertState, type AlertState } from './alert-state';
import { BufferedEventLog } from './buffered-event-log';
import { applyMute, mutedUntil, readControl, updateControl } from './control-file';
import { evaluateSample } from './evaluate-sample';
import { EventLog, type EventFilter } from './event-log';
import { healthSnapshot, type StorageHealth } from './health-snapshot';
import { dueNotifications, sendGrouped, storageItem } from './notify-dispatch';
import { explainHeld } from './notify-holds';
import { startTick } from './tick';
import type { TargetSlo } from '../../../shared/slo';
import { evaluateSlos, isSloKey } from '../slo/slo-alerts';

export interface AlertEngineOptions {
  dataDir: string;
  notifier: Notifier;
  now?: () => number;
  /** Where the engine reports its own trouble (state file damaged, disk errors). */
  log?: LineLogger;
}

/**
 * Turns samples into health: the up/down rule of every target and the threshold rules,
 * with hysteresis, flap suppression, dependencies, mutes and maintenance. Every
 * transition is appended to the incident log; at most one (grouped) notification leaves
 * per tick. State persists in <dataDir>/state/alerts.json, so a restart neither repeats
 * a "down" nor misses a recovery.
 */
export class AlertEngine {
  private storage: StorageHealth = { ok: true };
  private readonly incidents: BufferedEventLog;

  private constructor(
    private readonly dataDir: string,
    private readonly notifier: Notifier,
    private readonly now: () => number,
    private readonly logger: LineLogger | undefined,
    private state: AlertState,
  ) {
    this.incidents = new BufferedEventLog(EventLog.forDataDir(dataDir), logger);
  }

  static async open(opts: AlertEngineOptions): Promise<AlertEngine> {
    const now = opts.now ?? Date.now;
    const { state, problem } = loadAlertState(opts.dataDir, now());
    if (problem) opts.log?.warn(problem);
    return new AlertEngine(opts.dataDir, opts.notifier, now, opts.log, state);
  }

  /** `slos`: budgets and burn rates at this sample, for the burn-rate alerts. */
  ingest(sample: Sample, config: Config, slos?: readonly TargetSlo[]): AlertEvent[] {
    const control = readControl(this.dataDir);
    this.state.last = sample;
    // While paused nothing is judged and lastT stays put, so what changed meanwhile is
    // reported on resume as having happened while OpsPulse was not watching.
    if (control.paused) return [];
    const tick = startTick(sample, config, control, this.state.lastT);
    evaluateSample(this.state, sample, tick);
    if (slos) evaluateSlos(this.state, tick, slos);
    explainHeld(tick, this.state.keys);

    this.incidents.append(tick.events);
    const due = dueNotifications(this.state.keys, tick);
    sendGrouped(this.notifier, due, tick.t, this.logger);
    // Saved every tick: `opspulse status` in another process reads this file, and must
    // agree with the running collector within one interval (a restart must not repeat a
    // "down" either). One small write-and-rename per tick is cheap next to the probes.
    this.saveState();
    return tick.events;
  }

  snapshot(config: Config): HealthSnapshot {
    const t = this.now();
    const control = readControl(this.dataDir);
    // Burn-rate alerts are about the budget, not the service's state now: a page that
    // outlasts an outage must not keep a target red in the tray while it answers fine.
    const keys = Object.fromEntries(
      Object.entries(this.state.keys).filter(([, k]) => !isSloKey(k)),
    );
    const state = { ...this.state, keys };
    return healthSnapshot({ config, state, control, storage: this.storage, t });
  }

  /** Pause persists across restarts (and may be set by another process): read it at start. */
  isPaused(): boolean {
    return readControl(this.dataDir).paused;
  }

  setPaused(paused: boolean): void {
    updateControl(this.dataDir, this.now(), (c) => {
      c.paused = paused;
    });
  }

  /** Mutes notifications for all, or one target, until a Unix ms time; 0 unmutes. */
  mute(until: number, target?: string): void {
    updateControl(this.dataDir, this.now(), (c) => applyMute(c, until, target));
  }

  /** Drops incident-log months that ended before `before` (retention, run with store maintenance). */
  pruneEvents(before: number): Promise<string[]> {
    return this.incidents.prune(before);
  }

  async events(filter: EventFilter): Promise<AlertEvent[]> {
    return this.incidents.read(filter);
  }

  /** The store reports whether its writes succeed; a change is an event and a notification. */
  noteStorageHealth(h: StorageHealth): void {
    if (h.ok === this.storage.ok && (h.ok || h.error === this.storage.error)) return;
    const was = this.storage.ok;
    this.storage = { ok: h.ok, error: h.error };
    if (was === h.ok) return;
    const t = this.now();
    const event: AlertEvent = {
      t,
      rule: 'storage',
      from: was ? 'ok' : 'crit',
      to: h.ok ? 'ok' : 'crit',
      message: h.ok
        ? 'Storage is writable again'
        : `Samples cannot be stored: ${h.error ?? 'write failed'}`,
    };
    this.incidents.append([event]);
    const control = readControl(this.dataDir);
    if (control.paused || mutedUntil(control, t) > 0) return;
    sendGrouped(this.notifier, [storageItem(event, h.ok)], this.now(), this.logger);
  }

  /** The collector reports when it cannot keep up (or recovers); the snapshot shows why. */
  noteCollectorHealth(h: StorageHealth): void {
    const error = h.ok ? undefined : (h.error ?? 'collector not keeping up');
    if (error === this.state.collectorError) return;
    if (error === undefined) delete this.state.collectorError;
    else this.state.collectorError = error;
  }

  async close(): Promise<void> {
    this.incidents.flush();
    this.saveState();
  }

  private saveState(): void {
    try {
      saveAlertState(this.dataDir, this.state);
    } catch (err) {
      this.logger?.warn(`cannot save alert state: ${(err as Error).message}`);
    }
  }
}
