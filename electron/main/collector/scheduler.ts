import { systemClock, type Clock } from './clock';

export interface SchedulerStats {
  ticks: number;
  /** Ticks that were due while the previous one still ran, and so did not run. */
  skipped: number;
  /** Ticks run late because the previous one overran its boundary by a little. */
  late: number;
  /** Ticks whose function threw (the loop goes on). */
  failed: number;
}

export interface SchedulerOptions {
  intervalMs: number;
  tick: (dueAt: number) => Promise<void>;
  clock?: Clock;
  onError?: (err: unknown) => void;
  /** Run a tick as soon as start() is called (default true): a fresh start has data at once. */
  tickAtStart?: boolean;
}

/**
 * One tick per interval, aligned to wall-clock multiples of the interval (so a 30 s
 * interval ticks at :00 and :30, which keeps rollup buckets full and charts regular).
 *
 * The next due time is always computed from "now", never from the last due time: after
 * a sleep/resume or a clock jump the loop simply continues at the next boundary, with no
 * burst of catch-up ticks. A tick still running when the next is due makes that one skip.
 *
 * start() ticks at once (stamped with the real time), then at the first boundary at least
 * half an interval later. Node may fire a timer a millisecond early: the next due time is
 * always past the one just fired, so a boundary never ticks twice.
 */
export class Scheduler {
  readonly stats: SchedulerStats = { ticks: 0, skipped: 0, late: 0, failed: 0 };
  /** A boundary that came while the previous tick still ran; run when it ends, if soon. */
  private deferred: number | null = null;
  private timer: unknown = null;
  private running: Promise<void> | null = null;
  private active = false;
  /** The boundary (or start time) last ticked for; the next tick is due after it. */
  private lastDue = -Infinity;
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
    if (this.opts.tickAtStart === false || this.running) {
      this.arm();
      return;
    }
    const now = this.clock.now();
    this.run(now);
    // A boundary less than half an interval after the start-up tick would come too soon.
    this.lastDue = now + this.intervalMs / 2 - 1;
    this.arm();
  }

  /** Stops scheduling; resolves when a tick in progress has finished. */
  async stop(): Promise<void> {
    this.active = false;
    this.deferred = null;
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
    // Never the boundary just ticked, even when its timer fired a little early; a lastDue
    // far ahead means the clock went back, and then "now" decides.
    const ahead = this.lastDue - now;
    const due = this.nextDue(ahead > 0 && ahead <= this.intervalMs ? this.lastDue : now);
    this.timer = this.clock.setTimeout(() => this.fire(due), Math.max(0, due - now));
  }

  private fire(due: number): void {
    this.timer = null;
    if (!this.active) return;
    // A timer that fires far from its due time (the machine slept) stamps the sample
    // with the real time, not the stale boundary.
    const now = this.clock.now();
    const t = Math.abs(now - due) > this.intervalMs / 2 ? now : due;
    if (this.running) {
      // Run it when the previous one ends, if that is soon (a busy machine made the last
      // one a little late); a boundary still waiting when the next one comes is skipped.
      if (this.deferred !== null) this.stats.skipped++;
      this.deferred = t;
    } else if (t !== this.lastDue) this.run(t);
    this.lastDue = due;
    this.arm();
  }

  private run(t: number): void {
    this.stats.ticks++;
    this.running = this.opts
      .tick(t)
      .catch((err: unknown) => {
        this.stats.failed++;
        this.opts.onError?.(err);
      })
      .finally(() => {
        this.running = null;
        const due = this.deferred;
        this.deferred = null;
        if (due === null || !this.active) return;
        if (this.clock.now() - due < this.intervalMs / 2) {
          this.stats.late++;
          this.run(due);
        } else {
          this.stats.skipped++;
        }
      });
  }
}
