/** The sections of a WindowAnalysis, from the trackers and slots the pass filled. */

import type {
  DayAnalysis,
  MetricAnalysis,
  SystemMetricAnalysis,
  TargetAnalysis,
  WindowAnalysis,
} from '../../../shared/analysis';
import type { Config } from '../../../shared/config-schema';
import type { LocalDay } from './days';
import type { SeriesSlot } from './series-slot';
import type { TargetTracker } from './target-tracker';
import type { WindowContext } from './window';

export function buildTargets(
  config: Config,
  trackers: Map<string, TargetTracker>,
  slots: Map<string, SeriesSlot>,
  wanted: Set<string> | null,
  empty: (id: string) => TargetTracker,
): TargetAnalysis[] {
  const metricsOf = (id: string): MetricAnalysis[] => {
    const out: MetricAnalysis[] = [];
    for (const slot of slots.values()) {
      if (slot.skip || !slot.metric || slot.metric.target !== id) continue;
      out.push({
        ...slot.metric.tracker.stats(),
        target: id,
        metric: slot.metric.metric,
      });
    }
    return out.sort((a, b) => a.metric.localeCompare(b.metric));
  };
  const out: TargetAnalysis[] = [];
  for (const t of config.targets) {
    if (wanted && !wanted.has(t.id)) continue;
    // A configured target without data still gets a row: no figures, all "no data".
    const base = (trackers.get(t.id) ?? empty(t.id)).finish(t.name, true);
    out.push({ ...base, metrics: metricsOf(t.id) });
  }
  const configured = new Set(config.targets.map((t) => t.id));
  const removed = [...trackers.keys()].filter((id) => !configured.has(id)).sort();
  for (const id of removed)
    out.push({ ...trackers.get(id)!.finish(id, false), metrics: metricsOf(id) });
  return out;
}

export function buildSystem(slots: Map<string, SeriesSlot>): SystemMetricAnalysis[] {
  const out: SystemMetricAnalysis[] = [];
  for (const slot of slots.values()) if (slot.gauge) out.push(slot.gauge.finish());
  return out.sort((a, b) => a.series.localeCompare(b.series));
}

export function buildDays(
  days: readonly LocalDay[],
  targets: TargetAnalysis[],
  trackers: Map<string, TargetTracker>,
  slots: Map<string, SeriesSlot>,
): DayAnalysis[] {
  return days.map((d, i) => {
    const perTarget: DayAnalysis['targets'] = {};
    for (const t of targets) {
      const tr = trackers.get(t.id);
      perTarget[t.id] = tr ? tr.day(i) : { uptimePct: null, samples: 0, p95: null };
    }
    const means: Record<string, number> = {};
    for (const [series, slot] of slots) {
      if (!slot.skip && slot.dayN[i] > 0) means[series] = slot.daySum[i] / slot.dayN[i];
    }
    return { label: d.label, start: d.start, end: d.end, targets: perTarget, means };
  });
}

export function buildTimeline(
  ctx: WindowContext,
  points: number,
  step: number,
  slots: Map<string, SeriesSlot>,
): WindowAnalysis['timeline'] {
  const t: number[] = [];
  for (let i = 0; i < points && ctx.from + i * step < ctx.to; i++) t.push(ctx.from + i * step);
  const series: Record<string, (number | null)[]> = {};
  for (const [name, slot] of slots) {
    if (slot.skip) continue;
    series[name] = t.map((_, i) => (slot.tlN[i] > 0 ? slot.tlSum[i] / slot.tlN[i] : null));
  }
  return { step, t, series };
}
