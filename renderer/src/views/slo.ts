import type { HealthSnapshot } from '../../../shared/health';
import type { SloIndicator, TargetSlo } from '../../../shared/slo';
import { clear, h } from '../dom';
import type { AppState } from '../state';

const ALERT_TEXT: Record<SloIndicator['alert'], string> = {
  ok: 'within budget',
  ticket: 'ticket: burning too fast',
  page: 'page: burning fast',
};

function pct(x: number, digits = 2): string {
  return `${x.toFixed(digits)} %`;
}

function rate(x: number | null): string {
  if (x === null) return '–';
  return `${x >= 100 ? Math.round(x) : Number(x.toPrecision(2))}×`;
}

function objective(i: SloIndicator): string {
  const what =
    i.sli === 'latency'
      ? `${i.objectivePct} % under ${i.thresholdMs} ms`
      : `${i.objectivePct} % up`;
  return `${what} over ${i.windowDays} d`;
}

/** The budget as a person reads it: share left, and the allowed bad time that leaves. */
function budgetText(i: SloIndicator): string {
  if (i.budgetRemaining === null) return 'no probes yet';
  const left = i.budgetRemaining;
  const allowedMin = (1 - i.objectivePct / 100) * i.windowDays * 1440;
  const minutes = Math.max(0, left) * allowedMin;
  const time = minutes >= 120 ? `${(minutes / 60).toFixed(1)} h` : `${Math.round(minutes)} min`;
  if (left < 0) return `overspent by ${pct(-left * 100, 0)} of the budget`;
  return `${pct(left * 100, 0)} left (about ${time} of failures)`;
}

function row(s: TargetSlo, i: SloIndicator, withName: boolean): HTMLElement {
  const left = i.budgetRemaining;
  return h(
    'tr',
    { class: 'slo-row', 'data-target': s.target, 'data-sli': i.sli, 'data-alert': i.alert },
    withName
      ? h('td', {}, h('a', { href: `#target=${encodeURIComponent(s.target)}` }, s.name))
      : null,
    h('td', {}, i.sli, h('div', { class: 'muted' }, objective(i))),
    h('td', { class: 'num' }, i.achievedPct === null ? '–' : pct(i.achievedPct, 3)),
    h(
      'td',
      { class: 'slo-budget' },
      h('meter', {
        min: 0,
        max: 1,
        low: 0.25,
        high: 0.5,
        optimum: 1,
        value: left === null ? 0 : Math.max(0, Math.min(1, left)),
        'aria-label': `error budget left for ${s.name} ${i.sli}`,
      }),
      ' ',
      budgetText(i),
    ),
    h(
      'td',
      { class: 'num' },
      `${rate(i.burn['1h'])} · ${rate(i.burn['6h'])} · ${rate(i.burn['3d'])}`,
    ),
    h('td', {}, h('span', { class: 'slo-alert', 'data-level': i.alert }, ALERT_TEXT[i.alert])),
  );
}

/**
 * Error budgets and burn rates from the health snapshot: on the overview every target with
 * an objective, on a target's page its own. Empty (and hidden) where there are none.
 */
export class SloPanel {
  readonly el = h('section', { class: 'slo-panel', hidden: true });

  constructor(
    private readonly state: AppState,
    /** The target whose budgets to show; all when omitted. */
    private readonly only?: () => string,
  ) {
    state.healthChanged.on((hs) => this.render(hs));
    if (state.health) this.render(state.health);
  }

  render(hs: HealthSnapshot): void {
    const id = this.only?.();
    const slos = (hs.slos ?? []).filter((s) => id === undefined || s.target === id);
    this.el.hidden = slos.length === 0;
    if (slos.length === 0) {
      clear(this.el);
      return;
    }
    const withName = id === undefined;
    clear(
      this.el,
      h('h2', {}, 'Error budgets'),
      h(
        'table',
        { class: 'slo-table' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            withName ? h('th', {}, 'Target') : null,
            h('th', {}, 'Objective'),
            h('th', { class: 'num' }, 'Achieved'),
            h('th', {}, 'Budget left'),
            h(
              'th',
              { class: 'num', title: 'burn rate over 1 h · 6 h · 3 d (1× = on budget)' },
              'Burn 1h · 6h · 3d',
            ),
            h('th', {}, 'Alert'),
          ),
        ),
        h('tbody', {}, ...slos.flatMap((s) => s.indicators.map((i) => row(s, i, withName)))),
      ),
    );
  }
}
