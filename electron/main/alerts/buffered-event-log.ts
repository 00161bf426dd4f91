import type { AlertEvent } from '../../../shared/events';
import type { LineLogger } from '../notifiers/notifier';
import { PartialAppendError, type EventFilter, type EventLog } from './event-log';

/** Events kept in memory while the disk refuses them; a bound, not an expected size. */
const MAX_PENDING = 10_000;

/**
 * The incident log as the engine uses it: a batch the disk refuses is kept in memory and
 * written with the next one, and reads include what is not written yet, so a full or
 * read-only disk loses no transition while it lasts (up to MAX_PENDING events).
 */
export class BufferedEventLog {
  private pending: AlertEvent[] = [];

  constructor(
    private readonly log: EventLog,
    private readonly logger: LineLogger | undefined,
  ) {}

  append(events: readonly AlertEvent[]): void {
    this.pending.push(...events);
    this.flush();
  }

  /** Retries what the disk refused before. */
  flush(): void {
    if (this.pending.length === 0) return;
    if (this.pending.length > MAX_PENDING) {
      const dropped = this.pending.length - MAX_PENDING;
      this.pending.splice(0, dropped);
      this.logger?.warn(`incident log unwritable for long: dropped the ${dropped} oldest events`);
    }
    try {
      this.log.append(this.pending);
      this.pending = [];
    } catch (err) {
      // Keep only what was not written, so a retry never writes an event twice.
      if (err instanceof PartialAppendError) this.pending = err.remaining;
      this.logger?.warn(
        `cannot append to the incident log (${this.pending.length} events kept in memory): ${
          (err as Error).message
        }`,
      );
    }
  }

  prune(before: number): Promise<string[]> {
    return this.log.prune(before);
  }

  async read(filter: EventFilter): Promise<AlertEvent[]> {
    this.flush();
    const stored = await this.log.read(filter);
    const unwritten = this.pending.filter(
      (e) =>
        e.t >= filter.since &&
        (filter.until === undefined || e.t < filter.until) &&
        (filter.target === undefined || e.target === filter.target),
    );
    return unwritten.length === 0 ? stored : [...stored, ...unwritten].sort((a, b) => a.t - b.t);
  }
}
