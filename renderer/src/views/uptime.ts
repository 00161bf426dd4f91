import type { TargetAnalysis } from '../../../shared/analysis';
import { errorText } from '../api/errors';
import { clear, h } from '../dom';
import { fmtDuration, fmtMs, fmtPct, fmtTime } from '../format';
import type { AppState, View } from '../state';

interface Column {
  key: string;
  label: string;
  value: (t: TargetAnalysis) => number | string | null;
  show: (t: TargetAnalysis) => string;
}

function lastIncident(t: TargetAnalysis): number | null {
  let last: number | null = null;
  for (const i of t.incidents) if (last === null || i.start > last) last = i.start;
  return last;
}

/** The same figures `opspulse report --format json` gives: both come from analyze(). */
const COLUMNS: Column[] = [
  { key: 'name', label: 'Target', value: (t) => t.name, show: (t) => t.name },
  {
    key: 'uptime',
    label: 'Uptime',
    value: (t) => t.uptimePct,
    show: (t) => fmtPct(t.uptimePct, 3),
  },
  {
    key: 'avg',
    label: 'Avg latency',
    value: (t) => t.latency.avg,
    show: (t) => fmtMs(t.latency.avg),
  },
  {
    key: 'p95',
    label: 'p95 latency',
    value: (t) => t.latency.p95,
    show: (t) => fmtMs(t.latency.p95),
  },
  {
    key: 'incidents',
    label: 'Incidents',
    value: (t) => t.incidents.length,
    show: (t) => String(t.incidents.length),
  },
  { key: 'mttr', label: 'MTTR', value: (t) => t.mttrMs, show: (t) => fmtDuration(t.mttrMs) },
  {
    key: 'last',
    label: 'Last incident',
    value: lastIncident,
    show: (t) => fmtTime(lastIncident(t)),
  },
];

function compare(a: number | string | null, b: number | string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return typeof a === 'string' || typeof b === 'string'
    ? String(a).localeCompare(String(b))
    : a - b;
}

/** Per-target uptime for the range; click a heading to sort by it. */
export class UptimeView implements View {
  readonly el = h('div', { class: 'view uptime' });
  private rows: TargetAnalysis[] = [];
  private sortKey = 'name';
  private sortDir = 1;

  constructor(private readonly state: AppState) {}

  async refresh(): Promise<void> {
    const range = this.state.currentRange();
    try {
      const a = await this.state.api.analyze({ from: range.from, to: range.to });
      this.rows = a.targets;
      this.el.dataset.from = String(a.from);
      this.el.dataset.to = String(a.to);
      this.render();
    } catch (err) {
      clear(this.el, h('p', { class: 'error' }, errorText(err)));
    }
  }

  private render(): void {
    const col = COLUMNS.find((c) => c.key === this.sortKey) ?? COLUMNS[0];
    const rows = [...this.rows].sort((a, b) => this.sortDir * compare(col.value(a), col.value(b)));
    const head = h(
      'tr',
      {},
      ...COLUMNS.map((c) =>
        h(
          'th',
          {
            'data-key': c.key,
            'aria-sort':
              c.key === this.sortKey ? (this.sortDir > 0 ? 'ascending' : 'descending') : undefined,
            onclick: () => {
              this.sortDir = c.key === this.sortKey ? -this.sortDir : 1;
              this.sortKey = c.key;
              this.render();
            },
          },
          c.label,
        ),
      ),
    );
    const body = rows.map((t) =>
      h(
        'tr',
        { 'data-target': t.id },
        ...COLUMNS.map((c) => {
          const v = c.value(t);
          return h(
            'td',
            { 'data-key': c.key, 'data-value': v === null ? '' : String(v) },
            c.show(t),
          );
        }),
      ),
    );
    const table = h(
      'table',
      { class: 'uptime-table' },
      h('thead', {}, head),
      h('tbody', {}, ...body),
    );
    clear(
      this.el,
      rows.length === 0 ? h('p', { class: 'muted' }, 'No target data in this range.') : table,
    );
  }

  hide(): void {}
}
