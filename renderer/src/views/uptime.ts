import type { TargetAnalysis } from '../../../shared/analysis';
import type { TargetHealth } from '../../../shared/health';
import { loadError } from '../api/errors';
import { clear, h } from '../dom';
import { fmtDuration, fmtMs, fmtTime, fmtUptime } from '../format';
import { forText, stateAttr, VERDICT_LABEL, verdictOf, type Verdict } from '../health/health-text';
import { verdictRank } from '../../../shared/health';
import type { AppState, View } from '../state';

interface Row {
  t: TargetAnalysis;
  health: TargetHealth | undefined;
  verdict: Verdict;
}

interface Column {
  key: string;
  label: string;
  numeric?: boolean;
  value: (r: Row) => number | string | null;
  show: (r: Row) => string | HTMLElement;
}

function lastIncident(t: TargetAnalysis): number | null {
  let last: number | null = null;
  for (const i of t.incidents) if (last === null || i.start > last) last = i.start;
  return last;
}

function ongoing(t: TargetAnalysis): boolean {
  return t.incidents.some((i) => i.end === null);
}

/** The same figures `opspulse report --format json` gives: both come from analyze(). */
const COLUMNS: Column[] = [
  {
    key: 'name',
    label: 'Target',
    value: (r) => r.t.name,
    show: (r) => h('a', { href: `#target=${encodeURIComponent(r.t.id)}` }, r.t.name),
  },
  {
    key: 'state',
    label: 'State',
    value: (r) => verdictRank(r.verdict),
    show: (r) =>
      h(
        'span',
        {},
        h('span', { class: 'state', 'data-state': stateAttr(r.verdict) }, VERDICT_LABEL[r.verdict]),
        r.health?.since !== undefined ? h('span', { class: 'muted' }, ` ${forText(r.health)}`) : '',
      ),
  },
  {
    key: 'uptime',
    label: 'Uptime',
    numeric: true,
    value: (r) => r.t.uptimePct,
    show: (r) => fmtUptime(r.t.uptimePct),
  },
  {
    key: 'avg',
    label: 'Avg latency',
    numeric: true,
    value: (r) => r.t.latency.avg,
    show: (r) => fmtMs(r.t.latency.avg),
  },
  {
    key: 'p95',
    label: 'p95 latency',
    numeric: true,
    value: (r) => r.t.latency.p95,
    show: (r) => fmtMs(r.t.latency.p95),
  },
  {
    key: 'incidents',
    label: 'Incidents',
    numeric: true,
    value: (r) => r.t.incidents.length,
    show: (r) => String(r.t.incidents.length),
  },
  {
    key: 'mttr',
    label: 'MTTR',
    numeric: true,
    value: (r) => r.t.mttrMs,
    show: (r) => fmtDuration(r.t.mttrMs),
  },
  {
    key: 'last',
    label: 'Last incident',
    numeric: true,
    value: (r) => lastIncident(r.t),
    show: (r) =>
      ongoing(r.t)
        ? h('span', { class: 'ongoing' }, `ongoing since ${fmtTime(lastIncident(r.t))}`)
        : fmtTime(lastIncident(r.t)),
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

/** Per-target uptime for the range; a heading (click, Enter or Space) sorts by it. */
export class UptimeView implements View {
  readonly el = h('div', { class: 'view uptime-view' });
  private rows: TargetAnalysis[] = [];
  private sortKey = 'state';
  private sortDir = -1;
  private offHealth: (() => void) | null = null;

  constructor(private readonly state: AppState) {}

  async refresh(): Promise<void> {
    this.offHealth ??= this.state.healthChanged.on(() => this.render());
    const range = this.state.currentRange();
    this.el.dataset.loading = 'true';
    // The first load of a long range can take a moment: say so rather than show nothing.
    if (!this.el.querySelector('table'))
      clear(this.el, h('p', { class: 'muted' }, `Loading uptime for ${range.label}…`));
    try {
      const a = await this.state.api.analyze({ from: range.from, to: range.to });
      this.rows = a.targets;
      this.el.dataset.from = String(a.from);
      this.el.dataset.to = String(a.to);
      this.render();
    } catch (err) {
      this.rows = [];
      clear(this.el, loadError(`uptime for ${range.label}`, err));
    }
    this.el.dataset.loading = 'false';
  }

  private sortBy(key: string): void {
    this.sortDir = key === this.sortKey ? -this.sortDir : key === 'state' ? -1 : 1;
    this.sortKey = key;
    this.render();
    this.el.querySelector<HTMLElement>(`th[data-key="${key}"] button`)?.focus();
  }

  private render(): void {
    if (this.rows.length === 0 && this.el.querySelector('.load-error')) return;
    const byId = new Map((this.state.health?.targets ?? []).map((t) => [t.id, t]));
    const rows: Row[] = this.rows.map((t) => {
      const health = byId.get(t.id);
      return { t, health, verdict: health ? verdictOf(health) : 'nodata' };
    });
    const col = COLUMNS.find((c) => c.key === this.sortKey) ?? COLUMNS[0];
    rows.sort(
      (a, b) =>
        this.sortDir * compare(col.value(a), col.value(b)) || a.t.name.localeCompare(b.t.name),
    );
    const head = h(
      'tr',
      {},
      ...COLUMNS.map((c) =>
        h(
          'th',
          {
            'data-key': c.key,
            class: c.numeric ? 'num' : undefined,
            scope: 'col',
            'aria-sort':
              c.key === this.sortKey ? (this.sortDir > 0 ? 'ascending' : 'descending') : 'none',
          },
          // A button: reachable with Tab, sorts with Enter or Space.
          h(
            'button',
            { type: 'button', class: 'sort', onclick: () => this.sortBy(c.key) },
            c.label,
          ),
        ),
      ),
    );
    const body = rows.map((r) =>
      h(
        'tr',
        { 'data-target': r.t.id, 'data-ongoing': ongoing(r.t) ? 'true' : undefined },
        ...COLUMNS.map((c) => {
          const v = c.value(r);
          return h(
            'td',
            {
              'data-key': c.key,
              class: c.numeric ? 'num' : undefined,
              'data-value': v === null ? '' : String(v),
            },
            c.show(r),
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

  hide(): void {
    this.offHealth?.();
    this.offHealth = null;
  }
}
