import type { Incident } from '../../../shared/analysis';
import type { QueryResult } from '../../../shared/query';
import { h } from '../dom';
import { fmtMs, fmtPct, fmtTime } from '../format';

/** The error of the incident covering time `t`, if one does. */
function errorAt(incidents: readonly Incident[], t: number, step: number): string | undefined {
  for (const i of incidents)
    if (i.start < t + Math.max(step, 1) && (i.end === null || i.end > t)) return i.error;
  return undefined;
}

/**
 * One cell per sample (raw) or per bucket (downsampled), coloured by state: up, down, or
 * partly down in the bucket; hovering one tells its time, state, latency and error.
 */
export function statusBar(r: QueryResult, id: string, incidents: readonly Incident[]): HTMLElement {
  const up = r.series[`tg.${id}.up`]?.avg ?? [];
  const ms = r.series[`tg.${id}.ms`]?.avg ?? [];
  const bar = h('div', { class: 'status-bar', role: 'img' });
  let down = 0;
  let cells = 0;
  r.t.forEach((t, i) => {
    const u = up[i];
    if (u === null || u === undefined) {
      bar.append(
        h('span', { class: 'cell', 'data-state': 'unknown', title: `${fmtTime(t)} · no data` }),
      );
      return;
    }
    cells++;
    // Partly down is still down (red), fainter the smaller its share: amber means degraded.
    const state = u >= 1 ? 'ok' : 'crit';
    if (u < 1) down++;
    const what = u >= 1 ? 'up' : u <= 0 ? 'down' : `down ${fmtPct(100 * (1 - u), 1)} of the time`;
    const err = state === 'ok' ? undefined : errorAt(incidents, t, r.step);
    const latency = ms[i] === null || ms[i] === undefined ? '' : ` · ${fmtMs(ms[i])}`;
    const cell = h('span', {
      class: 'cell',
      'data-state': state,
      title: `${fmtTime(t)} · ${what}${latency}${err ? ` · ${err}` : ''}`,
    });
    // Through the CSSOM: the CSP refuses style attributes.
    if (u > 0 && u < 1) cell.style.opacity = (0.45 + 0.55 * (1 - u)).toFixed(2);
    bar.append(cell);
  });
  bar.dataset.cells = String(r.t.length);
  bar.dataset.down = String(down);
  bar.setAttribute(
    'aria-label',
    `${cells} checks${r.step > 0 ? ' (buckets)' : ''}, ${down} with down time`,
  );
  const span =
    r.t.length > 0 ? `${fmtTime(r.t[0])} → ${fmtTime(r.t[r.t.length - 1])}` : 'no data yet';
  return h(
    'div',
    {},
    bar,
    h(
      'p',
      { class: 'muted small' },
      span,
      r.step > 0 ? ` · one cell per ${Math.round(r.step / 60_000)} min` : ' · one cell per check',
    ),
  );
}
