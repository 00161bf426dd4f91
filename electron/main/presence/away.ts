import path from 'node:path';
import type { Config } from '../../../shared/config-schema';
import type { AlertEvent } from '../../../shared/events';
import type { Notification } from '../../../shared/notification';
import { readJsonFile, writeJsonAtomic } from '../alerts/atomic-file';
import { formatDuration } from '../alerts/format';
import type { LineLogger } from '../notifiers/notifier';

export interface AwayDeps {
  dataDir: string;
  notify(n: Notification): void;
  /** Transitions from the incident log since a time. */
  events(since: number): Promise<AlertEvent[]>;
  /** Unix ms of the newest stored sample, whoever wrote it (this app or a daemon). */
  newestSampleT(): number | undefined;
  /** The current one-line summary ("2 down: API, DB · 4 ok"). */
  summaryNow(): string;
  log?: LineLogger;
}

const SAVE_EVERY_MS = 60_000;
const LISTED = 8;

export function presenceFile(dataDir: string): string {
  return path.join(dataDir, 'state', 'presence.json');
}

/**
 * "While you were away": the desktop app remembers when it last watched (state/
 * presence.json); when it starts, or the machine wakes, after more than
 * `alerts.awayAfterHours`, one notification sums up the meantime: the transitions a daemon
 * recorded if one ran, else how long nothing was observed.
 */
export class AwayWatcher {
  private lastTick: number | undefined;
  private savedAt = 0;

  constructor(private readonly deps: AwayDeps) {}

  /** At start: compares with the last time this app watched. */
  async start(config: Config, now: number): Promise<void> {
    let lastSeen: number | undefined;
    try {
      const raw = readJsonFile(presenceFile(this.deps.dataDir)) as
        { lastSeen?: unknown } | undefined;
      if (typeof raw?.lastSeen === 'number') lastSeen = raw.lastSeen;
    } catch (err) {
      this.deps.log?.warn(`${String(err)}; not summing up the time away`);
    }
    this.lastTick = now;
    this.save(now);
    if (lastSeen !== undefined && now - lastSeen > thresholdMs(config))
      await this.summarize(lastSeen, now, true);
  }

  /** On every tick: a gap longer than the threshold is the machine waking up. */
  async tick(config: Config, t: number): Promise<void> {
    const prev = this.lastTick;
    this.lastTick = t;
    if (t - this.savedAt >= SAVE_EVERY_MS) this.save(t);
    if (prev !== undefined && t - prev > thresholdMs(config)) await this.summarize(prev, t, false);
  }

  close(now: number): void {
    this.save(now);
  }

  private async summarize(from: number, to: number, atStart: boolean): Promise<void> {
    const away = formatDuration(to - from);
    // Read before anything awaits: this app's own next sample must not count as a daemon's.
    const newest = this.deps.newestSampleT();
    const events = (await this.deps.events(from)).filter(
      (e) => e.t < to && e.from !== e.to && e.from !== 'unknown',
    );
    // Samples stored well after we stopped watching: a daemon kept collecting.
    const observed = atStart && newest !== undefined && newest > from + 60_000;
    const now = `Now: ${this.deps.summaryNow()}`;
    let title: string;
    let body: string;
    if (events.length > 0) {
      const lines = events
        .slice(-LISTED)
        .map((e) => `${new Date(e.t).toISOString().slice(0, 16).replace('T', ' ')} ${e.message}`);
      const more = events.length - lines.length;
      title = `While you were away (${away}): ${events.length} change${events.length === 1 ? '' : 's'}`;
      body = [...(more > 0 ? [`(${more} earlier not listed)`] : []), ...lines, now].join('\n');
    } else if (observed) {
      title = `While you were away (${away}): all quiet`;
      body = `Checks kept running and nothing changed state.\n${now}`;
    } else {
      title = `Nothing was observed for ${away}`;
      body = `${atStart ? 'OpsPulse was not running and no daemon collected' : 'The machine was asleep'}, so what happened meanwhile is unknown.\n${now}`;
    }
    const bad = events.some((e) => e.to === 'crit' || e.to === 'warn');
    this.deps.notify({
      t: to,
      kind: 'summary',
      level: bad ? 'warn' : 'ok',
      title,
      body,
      targets: [...new Set(events.flatMap((e) => (e.target ? [e.target] : [])))],
      events,
    });
  }

  private save(t: number): void {
    this.savedAt = t;
    try {
      writeJsonAtomic(presenceFile(this.deps.dataDir), { lastSeen: t });
    } catch (err) {
      this.deps.log?.warn(`cannot save state/presence.json: ${String(err)}`);
    }
  }
}

function thresholdMs(config: Config): number {
  return config.alerts.awayAfterHours * 3_600_000;
}
