import type { AlertEvent } from '../../../shared/events';
import { VERDICT_LABEL, verdictOf, type HealthState } from '../../../shared/health';
import { loadError } from '../api/errors';
import { clear, h } from '../dom';
import { fmtNum, fmtTime } from '../format';
import type { AppState, View } from '../state';
import { incidentRows, incidentTable } from './incidents';

type Mode = 'incidents' | 'log';

/** The one vocabulary: `crit` of the up/down rule is Down, of any other rule Critical. */
function stateWord(state: HealthState, rule: string): string {
  if (state === 'crit') return VERDICT_LABEL[rule === 'down' ? 'down' : 'critical'];
  return VERDICT_LABEL[verdictOf({ state })];
}

/**
 * Incidents in the range (start, end or "ongoing", duration, first error), from the same
 * analysis as the Uptime tab and the report; the alert-event log is its own view beside it.
 */
export class EventsView implements View {
  readonly el = h('div', { class: 'view events' });
  private readonly filter = h('select', { class: 'target-filter', 'aria-label': 'Target' });
  private readonly list = h('div', { class: 'event-list' });
  private readonly modes = h('div', { class: 'segmented', role: 'group', 'aria-label': 'Show' });
  private mode: Mode = 'incidents';
  private offHealth: (() => void) | null = null;
  private lastKey = '';

  constructor(private readonly state: AppState) {
    this.filter.addEventListener('change', () => void this.refresh());
    for (const [mode, label] of [
      ['incidents', 'Incidents'],
      ['log', 'Alert event log'],
    ] as const)
      this.modes.append(
        h(
          'button',
          {
            type: 'button',
            'data-mode': mode,
            onclick: () => {
              this.mode = mode;
              void this.refresh();
            },
          },
          label,
        ),
      );
    this.el.append(
      h('div', { class: 'toolbar' }, this.modes, h('label', {}, 'Target ', this.filter)),
      this.list,
    );
  }

  async refresh(): Promise<void> {
    this.offHealth ??= this.state.healthChanged.on((hs) => {
      // A state change anywhere may have opened or closed an incident: reload then.
      const key = hs.targets.map((t) => t.state).join() + hs.overall;
      if (key !== this.lastKey) {
        this.lastKey = key;
        void this.refresh();
      }
    });
    for (const b of this.modes.querySelectorAll<HTMLButtonElement>('button'))
      b.setAttribute('aria-pressed', String(b.dataset.mode === this.mode));
    this.el.dataset.mode = this.mode;
    this.fillFilter();
    const range = this.state.currentRange();
    const target = this.filter.value || undefined;
    this.list.dataset.loading = 'true';
    if (!this.list.querySelector('table'))
      clear(
        this.list,
        h(
          'p',
          { class: 'muted' },
          `Loading ${this.mode === 'incidents' ? 'incidents' : 'events'} for ${range.label}…`,
        ),
      );
    try {
      if (this.mode === 'incidents') {
        const a = await this.state.api.analyze({ from: range.from, to: range.to });
        const rows = incidentRows(a, target);
        this.list.dataset.count = String(rows.length);
        this.list.dataset.from = String(a.from);
        this.list.dataset.to = String(a.to);
        const ongoing = rows.filter((r) => r.end === null).length;
        clear(
          this.list,
          h(
            'p',
            { class: 'muted incident-summary' },
            `${rows.length} incident${rows.length === 1 ? '' : 's'} in ${range.label === 'custom' ? 'the chosen range' : `the last ${range.label}`}`,
            ongoing > 0 ? `, ${ongoing} ongoing` : '',
            ' — the same list the report gives for this window.',
          ),
          incidentTable(rows, true),
        );
      } else {
        const events = await this.state.api.events({ since: range.from, target });
        this.renderLog(events.filter((e) => e.t < range.to + 60_000).sort((a, b) => b.t - a.t));
      }
    } catch (err) {
      this.list.dataset.count = '';
      clear(
        this.list,
        loadError(
          `${this.mode === 'incidents' ? 'incidents' : 'the event log'} for ${range.label}`,
          err,
        ),
      );
    }
    this.list.dataset.loading = 'false';
  }

  private fillFilter(): void {
    const chosen = this.filter.value;
    const ids = (this.state.config?.targets ?? []).map((t) => [t.id, t.name] as const);
    clear(
      this.filter,
      h('option', { value: '' }, 'all targets'),
      ...ids.map(([id, name]) => h('option', { value: id, selected: id === chosen }, name)),
    );
  }

  private renderLog(events: AlertEvent[]): void {
    this.list.dataset.count = String(events.length);
    if (events.length === 0) {
      clear(
        this.list,
        h('p', { class: 'muted' }, 'No events in this range: nothing changed state.'),
      );
      return;
    }
    const rows = events.map((e) =>
      h(
        'tr',
        { 'data-target': e.target ?? '', 'data-to': e.to },
        h('td', { class: 'num' }, fmtTime(e.t)),
        h('td', {}, e.target ?? '—'),
        h('td', {}, e.rule),
        h(
          'td',
          {},
          h('span', { class: 'state', 'data-state': e.from }, stateWord(e.from, e.rule)),
          ' → ',
          h('span', { class: 'state', 'data-state': e.to }, stateWord(e.to, e.rule)),
        ),
        h('td', { class: 'num' }, e.value === undefined ? '' : fmtNum(e.value)),
        h('td', {}, e.message),
      ),
    );
    clear(
      this.list,
      h(
        'table',
        { class: 'event-table' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ...['Time', 'Target', 'Rule', 'Change', 'Value', 'Message'].map((l) => h('th', {}, l)),
          ),
        ),
        h('tbody', {}, ...rows),
      ),
    );
  }

  hide(): void {
    this.offHealth?.();
    this.offHealth = null;
  }
}
