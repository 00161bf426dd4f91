import type { Incident, WindowAnalysis } from '../../../shared/analysis';
import { h } from '../dom';
import { fmtDurationS, fmtTime, NONE } from '../format';

export interface IncidentRow extends Incident {
  name: string;
}

/** Every target's incidents in the window, newest first: the report's incidents, as rows. */
export function incidentRows(a: WindowAnalysis, target?: string): IncidentRow[] {
  return a.targets
    .filter((t) => target === undefined || t.id === target)
    .flatMap((t) => t.incidents.map((i) => ({ ...i, name: t.name })))
    .sort((x, y) => y.start - x.start);
}

/** The incidents table, shared by the Incidents tab and a target's own page. */
export function incidentTable(rows: IncidentRow[], showTarget: boolean): HTMLElement {
  if (rows.length === 0)
    return h('p', { class: 'muted' }, 'No incidents in this range: it never went down.');
  const head = [...(showTarget ? ['Target'] : []), 'Start', 'End', 'Duration', 'First error'];
  return h(
    'table',
    { class: 'incident-table' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ...head.map((l) =>
          h('th', { scope: 'col', class: l === 'Duration' ? 'num' : undefined }, l),
        ),
      ),
    ),
    h(
      'tbody',
      {},
      ...rows.map((i) =>
        h(
          'tr',
          {
            'data-target': i.target,
            'data-start': String(i.start),
            'data-ongoing': i.end === null ? 'true' : undefined,
          },
          showTarget
            ? h('td', {}, h('a', { href: `#target=${encodeURIComponent(i.target)}` }, i.name))
            : null,
          h('td', { class: 'when' }, fmtTime(i.start), i.startClipped ? ' (before the range)' : ''),
          h(
            'td',
            { class: 'when' },
            i.end === null ? h('span', { class: 'ongoing' }, 'ongoing') : fmtTime(i.end),
          ),
          h('td', { class: 'num', 'data-ms': String(i.durationMs) }, fmtDurationS(i.durationMs)),
          h('td', { class: 'error-text' }, i.error ?? NONE),
        ),
      ),
    ),
  );
}
