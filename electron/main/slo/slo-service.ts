import type { Config } from '../../../shared/config-schema';
import type { Sample } from '../../../shared/sample';
import type { TargetSlo } from '../../../shared/slo';
import type { LineLogger } from '../notifiers/notifier';
import { SloTracker, type RollupSource } from './slo-tracker';

/**
 * The running monitor's objectives: follows config edits (reloading the buckets from the
 * store's rollups when an objective changes), counts each new sample, and answers budgets
 * and burn rates once per sample time.
 */
export class SloService {
  private readonly tracker = new SloTracker();
  private loading: Promise<void> | null = null;
  private cached: { t: number; slos: TargetSlo[] } | null = null;

  constructor(
    private readonly source: RollupSource,
    private readonly now: () => number,
    private readonly log?: LineLogger,
  ) {}

  /** Call with every config (at start and on change); a changed objective reloads. */
  sync(config: Config): void {
    if (!this.tracker.configure(config)) return;
    this.cached = null;
    const load = this.tracker.load(this.source, this.now()).catch((err: unknown) => {
      this.log?.warn(`SLO history could not be read: ${String(err)}; counting from now`);
    });
    this.loading = load.finally(() => {
      if (this.loading === pending) this.loading = null;
    });
    const pending = this.loading;
  }

  /** Resolves once the buckets are filled from the store (tests, first answers). */
  async ready(): Promise<void> {
    while (this.loading) await this.loading;
  }

  add(sample: Sample): void {
    // While loading, the store's open rollup buckets (read last) already hold the sample.
    if (this.loading) return;
    this.tracker.add(sample);
    this.cached = null;
  }

  /** Budgets and burn rates at `t`; empty while the history is still being read. */
  status(config: Config, t: number): TargetSlo[] {
    if (this.loading || this.tracker.size === 0) return [];
    if (this.cached?.t !== t) this.cached = { t, slos: this.tracker.status(config, t) };
    return this.cached.slos;
  }
}
