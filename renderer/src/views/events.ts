import type { AlertEvent } from '../../../shared/events';
import { errorText } from '../api/errors';
import { clear, h } from '../dom';
import { fmtNum, fmtTime } from '../format';
import type { AppState, View } from '../state';

/** The alert event log for the range, newest first, filterable by target. */
export class EventsView implements View {
  readonly el = h('div', { class: 'view events' });
  private readonly filter = h('select', { class: 'target-filter', 'aria-label': 'Target' });
  private readonly list = h('div', { class: 'event-list' });
  private offHealth: (() => void) | null = null;
  private lastOverall = '';

  constructor(private readonly state: AppState) {
    this.filter.addEventListener('change', () => void this.refresh());
    this.el.append(h('label', {}, 'Target ', this.filter), this.list);
  }

  async refresh(): Promise<void> {
    this.offHealth ??= this.state.healthChanged.on((hs) => {
      // A state change anywhere may have added an event: reload then.
      const key = hs.targets.map((t) => t.state).join() + hs.overall;
      if (key !== this.lastOverall) {
        this.lastOverall = key;
        void this.refresh();
      }
    });
    this.fillFilter();
    const range = this.state.currentRange();
    const target = this.filter.value || undefined;
    try {
      const events = await this.state.api.events({ since: range.from, target });
      this.render(events.filter((e) => e.t < range.to + 60_000).sort((a, b) => b.t - a.t));
    } catch (err) {
      clear(this.list, h('p', { class: 'error' }, errorText(err)));
    }
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

  private render(events: AlertEvent[]): void {
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
        h('td', {}, fmtTime(e.t)),
        h('td', {}, e.target ?? '—'),
        h('td', {}, e.rule),
        h(
          'td',
          {},
          h('span', { class: 'state', 'data-state': e.from }, e.from),
          ' → ',
          h('span', { class: 'state', 'data-state': e.to }, e.to),
        ),
        h('td', {}, e.value === undefined ? '' : fmtNum(e.value)),
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
