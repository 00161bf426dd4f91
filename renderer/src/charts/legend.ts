import type uPlot from 'uplot';
import { fmtTime } from '../format';

/** Time shown in the cursor legend, in the page's one date-time format. */
export function fmtCursorTime(sec: number | null): string {
  return sec === null ? '–' : fmtTime(sec * 1000);
}

/** With the cursor away, the legend shows the latest values instead of dashes. */
export function latestInLegend(u: uPlot): void {
  const n = u.data[0]?.length ?? 0;
  if (u.cursor.idx == null && n > 0) u.setLegend({ idx: n - 1 }, false);
}
