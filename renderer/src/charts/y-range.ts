import uPlot from 'uplot';
import type { ChartColumns } from './columns';
import { visibleIdxs } from './visible-window';

/**
 * The y range of a chart without a fixed one: uPlot's extent of the means, widened to
 * the min/max bands in view (bands are not uPlot series, so uPlot cannot see them).
 */
export function autoYRange(
  u: uPlot,
  c: ChartColumns | null,
  min: number | null,
  max: number | null,
): [number, number] {
  return withHeadroom(...widenToBands(u, c, min, max));
}

/**
 * The y range of a log axis: uPlot's own log range (a multiple of the decade below the
 * lowest value up to one above the highest) over the means AND the min/max bands in view.
 * Left to uPlot alone it saw only the means, so a spike that lives in a downsampled
 * bucket's max sat above the top of the plot. Only positive values count: a log axis
 * cannot place zero.
 */
export function logYRange(
  u: uPlot,
  c: ChartColumns | null,
  min: number | null,
  max: number | null,
): [number, number] {
  const pos = (v: number | null) => (v !== null && v > 0 ? v : null);
  const [lo, hi] = widenToBands(u, c, pos(min), pos(max), true);
  if (lo === null || hi === null) return [1, 1000];
  const [a, b] = uPlot.rangeLog(lo, hi, 10, false);
  return [a ?? lo, b ?? hi];
}

function widenToBands(
  u: uPlot,
  c: ChartColumns | null,
  min: number | null,
  max: number | null,
  positiveOnly = false,
): [number | null, number | null] {
  if (!c?.min || !c.max) return [min, max];
  const [i0, i1] = visibleIdxs(u, c.t.length);
  const floor = positiveOnly ? 0 : -Infinity;
  let lo = min ?? Infinity;
  let hi = max ?? -Infinity;
  for (const col of c.min)
    for (let j = i0; j <= i1; j++) {
      const v = col[j];
      if (v !== null && v > floor && v < lo) lo = v;
    }
  for (const col of c.max)
    for (let j = i0; j <= i1; j++) {
      const v = col[j];
      if (v !== null && v > floor && v > hi) hi = v;
    }
  return [Number.isFinite(lo) ? lo : null, Number.isFinite(hi) ? hi : null];
}

/** Zero-based unless the data is far from zero; a little headroom above. */
function withHeadroom(min: number | null, max: number | null): [number, number] {
  if (min === null || max === null) return [0, 1];
  const lo = min >= 0 && min < max * 0.5 ? 0 : min;
  const hi = max === lo ? lo + 1 : max + (max - lo) * 0.08;
  return [lo, hi];
}
