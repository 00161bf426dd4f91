import { systemClock, type Clock } from './clock';

export interface SchedulerStats {
  ticks: number;
  /** Ticks that were due while the previous one still ran, and so did not run. */
  skipped: number;
  /** Ticks whose function threw (the loop goes on). */
  failed: number;
}

export interface SchedulerOptions {
  intervalMs: number;
  tick: (dueAt: number) => Promise<void>;
  clock?: Clock;
  onError?: (err: unknown) => void;
}

/**
 * One tick per interval, aligned to wall-clock multiples of the interval (so a 30 s
 * interval ticks at :00 and :30, which keeps rollup buckets full and charts regular).
 *
 * The next due time is always computed from "now", never from the last due time: after
 * a sleep/resume or a clock jump the loop simply continues at the next boundary, with no
 * burst of catch-up ticks. A tick still running when the next is due makes that one skip.
 */
export class Scheduler {
  readonly stats: SchedulerStats = { ticks: 0, skipped: 0, failed: 0 };
  private timer: unknown = null;
  private running: Promise<void> | null = null;
  private active = false;
  private intervalMs: number;
  private readonly clock: Clock;

  constructor(private readonly opts: SchedulerOptions) {
    this.clock = opts.clock ?? systemClock;
    this.intervalMs = opts.intervalMs;
  }

  get isRunning(): boolean {
    return this.active;
  }

  start(): void {
    if (this.active) return;
    this.active = true;
    this.arm();
  }

  /** Stops scheduling; resolves when a tick in progress has finished. */
  async stop(): Promise<void> {
    this.active = false;
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  setInterval(ms: number): void {
    if (ms === this.intervalMs) return;
    this.intervalMs = ms;
    if (this.active) {
      if (this.timer !== null) this.clock.clearTimeout(this.timer);
      this.arm();
    }
  }

  /** The next wall-clock boundary strictly after now. */
  nextDue(now: number): number {
    return (Math.floor(now / this.intervalMs) + 1) * this.intervalMs;
  }

  private arm(): void {
    const now = this.clock.now();
    const due = this.nextDue(now);
    this.timer = this.clock.setTimeout(() => this.fire(due), due - now);
  }

  private fire(due: number): void {
    this.timer = null;
    if (!this.active) return;
    if (this.running) {
      this.stats.skipped++;
    } else {
      this.stats.ticks++;
      // A timer that fires far from its due time (the machine slept) stamps the sample
      // with the real time, not the stale boundary.
      const now = this.clock.now();
      const t = Math.abs(now - due) > this.intervalMs / 2 ? now : due;
      this.running = this.opts
        .tick(t)
        .catch((err: unknown) => {
          this.stats.failed++;
          this.opts.onError?.(err);
        })
        .finally(() => {
          this.running = null;
        });
    }
    this.arm();
  }
}
