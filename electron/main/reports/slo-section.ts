import type { WindowAnalysis } from '../../../shared/analysis';
import type { Config } from '../../../shared/config-schema';
import { fmtPct } from './format';
import type { ReportData } from './report-data';
import type { Section } from './sections';

/** An availability objective judged over the report's window, from its probe counts. */
export interface ReportSlo {
  target: string;
  name: string;
  objectivePct: number;
  samples: number;
  bad: number;
  /** Percent of good probes in the window; null without probes. */
  achievedPct: number | null;
  /** The window's error budget spent: 0.5 = half, above 1 = overspent; null without probes. */
  budgetUsed: number | null;
}

export function reportSlos(config: Config, a: WindowAnalysis): ReportSlo[] {
  return config.slos.flatMap((o) => {
    const t = a.targets.find((x) => x.id === o.target);
    if (!t) return [];
    const bad = t.samples - t.upSamples;
    const allowed = 1 - o.availability / 100;
    return [
      {
        target: t.id,
        name: t.name,
        objectivePct: o.availability,
        samples: t.samples,
        bad,
        achievedPct: t.samples > 0 ? (100 * t.upSamples) / t.samples : null,
        budgetUsed: t.samples > 0 ? bad / t.samples / allowed : null,
      },
    ];
  });
}

export function sloSection(r: ReportData): Section {
  const slos = r.slos ?? [];
  return {
    id: 'slo',
    title: 'Service level objectives',
    bullets: slos.length
      ? [
          'Availability per probe over this window; the budget is the share of failed probes the objective allows.',
        ]
      : [],
    table: slos.length
      ? {
          headers: ['Service', 'Objective', 'Achieved', 'Budget used', 'Met'],
          numeric: [false, true, true, true, false],
          rows: slos.map((s) => [
            s.name,
            `${s.objectivePct} %`,
            fmtPct(s.achievedPct, 3),
            s.budgetUsed === null ? '–' : fmtPct(s.budgetUsed * 100, 0),
            s.budgetUsed === null ? '–' : s.budgetUsed <= 1 ? '✓ yes' : '⚠ no',
          ]),
        }
      : null,
    empty: slos.length ? null : 'No objectives set (slos in config.json).',
  };
}
