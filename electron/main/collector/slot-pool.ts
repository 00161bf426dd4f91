/**
 * Concurrency slots with a lease. A probe holds its slot until it settles or for at most
 * `leaseMs`, whichever comes first. The cap is there so healthy probes do not inflate each
 * other's latency (a hundred fired at once measure 25 ms where ten measure 5.5 ms); a
 * hanging probe costs a socket and no CPU, so past its lease it no longer keeps a healthy
 * target waiting for a slot.
 */
export class SlotPool {
  private free: number;
  private readonly waiters: Array<(release: () => void) => void> = [];

  constructor(
    limit: number,
    private readonly leaseMs: number,
  ) {
    this.free = Math.max(1, limit);
  }

  /** Resolves with a release function once a slot is free; the lease starts then. */
  acquire(): Promise<() => void> {
    return new Promise((resolve) => {
      if (this.free > 0) {
        this.free--;
        resolve(this.lease());
      } else {
        this.waiters.push(resolve);
      }
    });
  }

  /** Forgets whoever still waits: the tick they were for is over. */
  close(): void {
    this.waiters.length = 0;
  }

  private lease(): () => void {
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      clearTimeout(timer);
      const next = this.waiters.shift();
      if (next) next(this.lease());
      else this.free++;
    };
    const timer = setTimeout(release, this.leaseMs);
    return release;
  }
}
