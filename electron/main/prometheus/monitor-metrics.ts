import type { MonitorApi } from '../../../shared/api';
import type { HealthSnapshot } from '../../../shared/health';
import type { Sample } from '../../../shared/sample';
import { renderMetrics, type MetricsInput } from './render-metrics';

/** The part of the MonitorApi that /metrics reads. */
export type MetricsSource = Pick<
  MonitorApi,
  'onSample' | 'onHealth' | 'health' | 'getConfig' | 'analyze' | 'anomalies'
>;

export interface MonitorMetricsOptions {
  /** Uptime windows by label; default 1h, 24h and 7d. */
  windows?: Readonly<Record<string, number>>;
  /** How old the uptime figures may get before a scrape triggers a recomputation. */
  refreshMs?: number;
  /** The sample to show before the first tick of this process (e.g. the store's newest). */
  initialSample?: Sample | null;
  now?: () => number;
}

export interface MonitorMetrics {
  /** The exposition, for the server's `metrics` option. */
  render(): Promise<string>;
  /** Stops listening to the monitor. */
  close(): void;
}

const HOUR = 3_600_000;
export const DEFAULT_UPTIME_WINDOWS: Readonly<Record<string, number>> = {
  '1h': HOUR,
  '24h': 24 * HOUR,
  '7d': 7 * 24 * HOUR,
};

/**
 * /metrics for a running monitor. The latest sample and health arrive by subscription, so a
 * scrape reads no store; uptime needs an analysis per window, which is cached and refreshed
 * in the background once older than refreshMs (only the first scrape waits for it).
 */
export function createMonitorMetrics(
  api: MetricsSource,
  opts: MonitorMetricsOptions = {},
): MonitorMetrics {
  const windows = opts.windows ?? DEFAULT_UPTIME_WINDOWS;
  const refreshMs = opts.refreshMs ?? 60_000;
  const now = opts.now ?? Date.now;
  let sample: Sample | null = opts.initialSample ?? null;
  let health: HealthSnapshot | undefined;
  let uptime: MetricsInput['uptime'] | undefined;
  let uptimeAt = -Infinity;
  let refreshing: Promise<void> | null = null;

  const unsubs = [api.onSample((s) => (sample = s)), api.onHealth((h) => (health = h))];

  const refresh = (): Promise<void> => {
    refreshing ??= computeUptime(api, windows, now())
      .then((u) => {
        uptime = u;
        uptimeAt = now();
      })
      // A failed analysis keeps the last figures; the next scrape tries again.
      .catch(() => undefined)
      .finally(() => (refreshing = null));
    return refreshing;
  };

  return {
    async render() {
      if (now() - uptimeAt >= refreshMs) {
        const pending = refresh();
        if (uptime === undefined) await pending;
      }
      health ??= await api.health();
      const cfg = await api.getConfig();
      const t = now();
      const anomaly = api.anomalies
        ? (await api.anomalies({ from: t - 1, to: t }).catch(() => undefined))?.latest
        : undefined;
      return renderMetrics({
        anomaly,
        sample,
        health,
        uptime,
        targets: cfg.targets.map((t) => ({ id: t.id, name: t.name, kind: t.kind })),
      });
    },
    close() {
      for (const u of unsubs) u();
    },
  };
}

async function computeUptime(
  api: MetricsSource,
  windows: Readonly<Record<string, number>>,
  to: number,
): Promise<NonNullable<MetricsInput['uptime']>> {
  const out: Record<string, Record<string, number | null>> = {};
  for (const [label, ms] of Object.entries(windows)) {
    const a = await api.analyze({ from: to - ms, to });
    out[label] = Object.fromEntries(
      a.targets.map((t) => [t.id, t.uptimePct === null ? null : t.uptimePct / 100]),
    );
  }
  return out;
}
