import type uPlot from 'uplot';
import type { ChartColumns } from './columns';
import { visibleIdxs } from './visible-window';

/** A gap up to this many usual sample spacings is a bucket the sampling skipped, not an outage. */
const BRIDGE_SPACINGS = 2.5;

/**
 * A gaps refiner for uPlot (series.gaps): when the query's buckets are finer than the
 * sampling (24 h of 5-minute samples at two points a pixel), most buckets are empty and
 * uPlot, breaking the line at every null, drew nothing at all. Gaps no longer than a few
 * of the series' usual spacings are bridged; longer ones (the app was off, the target
 * was not probed) still break the line.
 */
export function bridgeShortGaps(
  columns: () => ChartColumns | null,
): (
  u: uPlot,
  seriesIdx: number,
  idx0: number,
  idx1: number,
  gaps: uPlot.Series.Gaps,
) => uPlot.Series.Gaps {
  return (u, seriesIdx, _idx0, _idx1, gaps) => {
    const c = columns();
    const col = c?.avg[seriesIdx - 1];
    const { min, max } = u.scales.x;
    if (!c || !col || gaps.length === 0 || min === undefined || max === undefined || max <= min)
      return gaps;
    const spacing = usualSpacing(c.t, col, ...visibleIdxs(u, c.t.length));
    if (spacing === null) return gaps;
    const pxPerSec = u.bbox.width / (max - min);
    const widest = spacing * BRIDGE_SPACINGS * pxPerSec;
    return gaps.filter(([from, to]) => to - from > widest);
  };
}

/** The median time between consecutive values in the window, in seconds. */
export function usualSpacing(
  t: number[],
  col: (number | null)[],
  i0: number,
  i1: number,
): number | null {
  const diffs: number[] = [];
  let prev = -1;
  for (let i = i0; i <= i1; i++) {
    if (col[i] === null) continue;
    if (prev >= 0) diffs.push(t[i] - t[prev]);
    prev = i;
  }
  if (diffs.length === 0) return null;
  diffs.sort((a, b) => a - b);
  return diffs[diffs.length >> 1];
}
