import type uPlot from 'uplot';

/**
 * The index window of the x scale, clamped to `n` points: uPlot keeps it on the time
 * series, so hooks need not search the data for it.
 */
export function visibleIdxs(u: uPlot, n: number): [number, number] {
  const idxs = u.series[0].idxs;
  return idxs ? [Math.max(0, idxs[0]), Math.min(n - 1, idxs[1])] : [0, n - 1];
}
