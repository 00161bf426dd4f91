import type { Config, Slo } from '../../../shared/config-schema';
import type { Sample } from '../../../shared/sample';
import {
  BURN_WINDOW_MS,
  BURN_WINDOWS,
  type BurnWindow,
  type SliKind,
  type SloAlertLevel,
  type SloIndicator,
  type TargetSlo,
} from '../../../shared/slo';
import { targetSeries } from '../../../shared/series';
import type { RollupLine } from '../store/rollup';
import { CountRing } from './count-ring';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

/** Minute buckets cover the burn windows (the longest is 3 days), hours the objective's window. */
const MINUTE_SPAN = BURN_WINDOW_MS['3d'] + 2 * HOUR;
const MAX_WINDOW_DAYS = 90;

export type RollupTierName = '1m' | '1h';

/** Rollup lines of a tier whose buckets start in [from, to): the store's readRollups. */
export type RollupSource = (
  tier: RollupTierName,
  range: { from: number; to: number },
) => AsyncIterable<RollupLine>;

/** The workbook's multiwindow rules: [long, short, burn rate both must exceed]. */
const PAGE_RULES: [BurnWindow, BurnWindow, number][] = [
  ['1h', '5m', 14.4],
  ['6h', '30m', 6],
];
const TICKET_RULES: [BurnWindow, BurnWindow, number][] = [['3d', '6h', 1]];

export function alertLevel(burn: Record<BurnWindow, number | null>): SloAlertLevel {
  const over = ([long, short, rate]: [BurnWindow, BurnWindow, number]): boolean =>
    (burn[long] ?? 0) > rate && (burn[short] ?? 0) > rate;
  if (PAGE_RULES.some(over)) return 'page';
  if (TICKET_RULES.some(over)) return 'ticket';
  return 'ok';
}

interface Rings {
  slo: Slo;
  minutes: CountRing;
  hours: CountRing;
}

/**
 * Counts good and bad probes per target with an objective, in minute and hour buckets, so
 * budgets and burn rates are a sum over a few thousand buckets rather than a store read.
 * `load` fills the buckets from the store's rollups (minutes for the last 3 days, hours
 * before), `add` keeps them current from each new sample.
 */
export class SloTracker {
  private rings = new Map<string, Rings>();
  private key = '';

  /** The objectives to track; changed ones (target, threshold) need a `load` again. */
  configure(config: Config): boolean {
    const key = JSON.stringify(config.slos);
    if (key === this.key) return false;
    this.key = key;
    this.rings = new Map(
      config.slos.map((slo) => [
        slo.target,
        {
          slo,
          minutes: new CountRing(MINUTE, Math.ceil(MINUTE_SPAN / MINUTE)),
          hours: new CountRing(HOUR, MAX_WINDOW_DAYS * 24 + 48),
        },
      ]),
    );
    return true;
  }

  get size(): number {
    return this.rings.size;
  }

  /** Fills the buckets from rollups up to `now`; samples after it arrive through `add`. */
  async load(source: RollupSource, now: number): Promise<void> {
    if (this.rings.size === 0) return;
    const longest = Math.max(...[...this.rings.values()].map((r) => r.slo.windowDays));
    await this.loadTier(source, 'minutes', '1m', { from: now - MINUTE_SPAN, to: now + 1 });
    await this.loadTier(source, 'hours', '1h', { from: now - longest * DAY - HOUR, to: now + 1 });
  }

  private async loadTier(
    source: RollupSource,
    ring: 'minutes' | 'hours',
    tier: RollupTierName,
    range: { from: number; to: number },
  ): Promise<void> {
    for await (const line of source(tier, range)) {
      for (const [id, r] of this.rings) {
        const up = line.series.get(targetSeries(id, 'up'));
        if (!up || up.count === 0) continue;
        const ms = line.series.get(targetSeries(id, 'ms'));
        let ln = 0;
        let lbad = 0;
        if (r.slo.latency && ms) {
          ln = ms.sketch?.count ?? ms.count;
          lbad = ms.sketch
            ? ln - ms.sketch.countAtMost(r.slo.latency.thresholdMs)
            : ms.max <= r.slo.latency.thresholdMs
              ? 0
              : ms.min > r.slo.latency.thresholdMs
                ? ln
                : 0;
        }
        r[ring].add(line.t, up.count, up.count - up.sum, ln, lbad);
      }
    }
  }

  add(sample: Sample): void {
    for (const [id, r] of this.rings) {
      const ts = sample.tg[id];
      if (!ts) continue;
      const bad = ts.up === 1 ? 0 : 1;
      const ln = r.slo.latency && ts.ms !== undefined ? 1 : 0;
      const lbad = ln && ts.ms! > r.slo.latency!.thresholdMs ? 1 : 0;
      r.minutes.add(sample.t, 1, bad, ln, lbad);
      r.hours.add(sample.t, 1, bad, ln, lbad);
    }
  }

  /** Budgets and burn rates at `now`, per configured objective. */
  status(config: Config, now: number): TargetSlo[] {
    const names = new Map(config.targets.map((t) => [t.id, t.name]));
    const out: TargetSlo[] = [];
    for (const [id, r] of this.rings) {
      // One pass over the minutes: the burn windows and the minute part of the budget's.
      const from = now - r.slo.windowDays * DAY;
      const split = Math.max(from, Math.ceil((now - BURN_WINDOW_MS['3d']) / HOUR) * HOUR);
      const starts = [...BURN_WINDOWS.map((w) => now - BURN_WINDOW_MS[w]), split];
      const order = starts.map((_, i) => i).sort((a, b) => starts[b] - starts[a]);
      const sums = r.minutes.sumNested(
        order.map((i) => starts[i]),
        now + 1,
      );
      const nested: Float64Array[] = [];
      order.forEach((i, j) => (nested[i] = sums[j]));
      const burns = Object.fromEntries(BURN_WINDOWS.map((w, i) => [w, nested[i]])) as Record<
        BurnWindow,
        Float64Array
      >;
      // Hours before the minutes' reach: each probe is counted once.
      const window = nested[BURN_WINDOWS.length];
      r.hours.sumInto(from, split, window);
      const indicators: SloIndicator[] = [
        indicator('availability', r.slo.availability, r.slo, window, burns, 0),
      ];
      if (r.slo.latency)
        indicators.push(indicator('latency', r.slo.latency.percent, r.slo, window, burns, 2));
      out.push({ target: id, name: names.get(id) ?? id, indicators });
    }
    return out;
  }
}

function indicator(
  sli: SliKind,
  objectivePct: number,
  slo: Slo,
  window: Float64Array,
  burns: Record<BurnWindow, Float64Array>,
  at: 0 | 2,
): SloIndicator {
  const budget = 1 - objectivePct / 100;
  const total = window[at];
  const bad = window[at + 1];
  const burn = Object.fromEntries(
    BURN_WINDOWS.map((w) => {
      const c = burns[w];
      return [w, c[at] > 0 ? c[at + 1] / c[at] / budget : null];
    }),
  ) as Record<BurnWindow, number | null>;
  const out: SloIndicator = {
    sli,
    objectivePct,
    windowDays: slo.windowDays,
    total,
    bad,
    achievedPct: total > 0 ? 100 * (1 - bad / total) : null,
    budgetRemaining: total > 0 ? 1 - bad / (budget * total) : null,
    burn,
    alert: alertLevel(burn),
  };
  if (sli === 'latency' && slo.latency) out.thresholdMs = slo.latency.thresholdMs;
  return out;
}
