import type uPlot from 'uplot';
import type { ChartSpec } from './chart-spec';
import type { ChartColumns } from './columns';
import { fmtTick } from '../format';
import { shadeDownPeriods, stripsPadding } from './down-shading';
import { hairline } from './hairline';
import { fmtCursorTime, latestInLegend } from './legend';
import { drawMinMaxBands } from './min-max-bands';
import { drawMarks, drawPoints } from './marks';
import { colorAt, theme, withAlpha } from './theme';
import { bridgeShortGaps } from './short-gaps';
import { autoYRange, logYRange } from './y-range';

export const DEFAULT_HEIGHT = 220;

/** What the options need from their chart: its current data and a note of scale changes. */
export interface PlotHost {
  columns(): ChartColumns | null;
  scaleChanged(): void;
}

/**
 * uPlot options for a spec: time and one mean per line as series, the min/max bands and
 * down periods drawn by hooks, hairline axes and grid.
 */
export function plotOptions(spec: ChartSpec, width: number, host: PlotHost): uPlot.Options {
  const fmt = spec.format;
  // Grid and ticks stay one device pixel; data lines are at least one CSS pixel (uPlot
  // widths are CSS px), so they hold on HiDPI screens.
  const line = hairline();
  const colors = spec.lines.map((_l, i) => colorAt(i));
  const series: uPlot.Series[] = [{ label: 'time', value: (_u, v) => fmtCursorTime(v) }];
  spec.lines.forEach((l, i) => {
    series.push({
      label: l.label,
      stroke: colors[i],
      width: 1,
      points: { show: false },
      spanGaps: false,
      gaps: bridgeShortGaps(host.columns),
      value: (_u, v) => fmt(v),
    });
  });
  // Fixed per chart: parsed once here, not on every draw.
  const bandFills = spec.lines.map((_l, i) => withAlpha(colorAt(i), 0.18));
  const axisStroke = () => theme().muted;
  const gridStroke = () => theme().grid;
  return {
    width,
    height: spec.height ?? DEFAULT_HEIGHT,
    series,
    legend: { live: true },
    // Room under the time axis for the per-target down strips.
    ...(spec.shadeDown?.length
      ? { padding: [null, null, stripsPadding(spec.shadeDown.length), null] as uPlot.Padding }
      : {}),
    cursor: { drag: { x: true, y: false }, points: { size: 5 } },
    scales: {
      x: { time: true },
      y: spec.yRange
        ? { range: spec.yRange }
        : spec.log
          ? { distr: 3, log: 10, range: (u, min, max) => logYRange(u, host.columns(), min, max) }
          : { range: (u, min, max) => autoYRange(u, host.columns(), min, max) },
    },
    axes: [
      {
        stroke: axisStroke,
        // The user's locale, as every other time on the page; locale times are wide.
        space: 90,
        values: (_u, splits, _ai, _space, incr) =>
          splits.map((v) => fmtTick(v * 1000, incr * 1000)),
        grid: { stroke: gridStroke, width: line },
        ticks: { stroke: gridStroke, width: line },
      },
      {
        stroke: axisStroke,
        size: 84,
        values: (_u, splits) => (spec.axis ? spec.axis(splits) : splits.map((v) => fmt(v))),
        grid: { stroke: gridStroke, width: line },
        ticks: { stroke: gridStroke, width: line },
      },
    ],
    hooks: {
      draw: [
        (u) => shadeDownPeriods(u, host.columns(), colors),
        (u) => drawMarks(u, spec.marks, theme().muted),
        (u) => drawPoints(u, spec.points, `rgb(${theme().down})`),
      ],
      // After the grid, before the lines: bands sit under them.
      drawAxes: [(u) => drawMinMaxBands(u, host.columns(), bandFills)],
      setScale: [() => host.scaleChanged()],
      setSelect: [(u) => reportZoom(u, spec.onZoom)],
      setCursor: [latestInLegend],
      ready: [latestInLegend],
      setData: [latestInLegend],
    },
  };
}

/** A finished drag selection is a zoom (cursor.drag.setScale): ask for finer data. */
function reportZoom(u: uPlot, onZoom: ChartSpec['onZoom']): void {
  if (!onZoom || u.select.width < 2) return;
  const from = u.posToVal(u.select.left, 'x') * 1000;
  const to = u.posToVal(u.select.left + u.select.width, 'x') * 1000;
  if (to > from) onZoom(Math.floor(from), Math.ceil(to));
}
