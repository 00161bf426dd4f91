import { BURN_WINDOWS, type TargetSlo } from '../../../shared/slo';
import type { MetricFamily, MetricSample } from './exposition';

const ALERT_LEVEL = { ok: 0, ticket: 1, page: 2 } as const;

/** Error budgets and burn rates per target and indicator (sli="availability" | "latency"). */
export function sloFamilies(slos: readonly TargetSlo[]): MetricFamily[] {
  const fam = (name: string, help: string, samples: MetricSample[]): MetricFamily => ({
    name: `opspulse_slo_${name}`,
    help,
    type: 'gauge',
    samples,
  });
  const each = (pick: (i: TargetSlo['indicators'][number]) => number | null): MetricSample[] =>
    slos.flatMap((s) =>
      s.indicators.flatMap((i) => {
        const v = pick(i);
        return v === null ? [] : [{ labels: { target: s.target, sli: i.sli }, value: v }];
      }),
    );
  return [
    fam(
      'objective_ratio',
      'The objective as a ratio, e.g. 0.995.',
      each((i) => i.objectivePct / 100),
    ),
    fam(
      'window_seconds',
      'The rolling window the objective and its budget cover.',
      each((i) => i.windowDays * 86_400),
    ),
    fam(
      'good_ratio',
      'Share of good probes over the objective window.',
      each((i) => (i.achievedPct === null ? null : i.achievedPct / 100)),
    ),
    fam(
      'error_budget_remaining_ratio',
      'Share of the error budget left over the window: 1 untouched, 0 spent, negative overspent.',
      each((i) => i.budgetRemaining),
    ),
    fam(
      'burn_rate',
      'Error ratio over the window divided by the budgeted one (1 = on budget).',
      slos.flatMap((s) =>
        s.indicators.flatMap((i) =>
          BURN_WINDOWS.flatMap((w) => {
            const v = i.burn[w];
            return v === null
              ? []
              : [{ labels: { target: s.target, sli: i.sli, window: w }, value: v }];
          }),
        ),
      ),
    ),
    fam(
      'alert_level',
      'Burn-rate alert: 0 none, 1 ticket (slow burn), 2 page (fast burn).',
      each((i) => ALERT_LEVEL[i.alert]),
    ),
  ];
}
