import { performance } from 'node:perf_hooks';
import { HEALTH_STATES, type HealthSnapshot } from '../shared/health';
import type { Sample } from '../shared/sample';
import { renderMetrics, type MetricsInput } from '../electron/main/prometheus/render-metrics';
import { median } from './stats';

export interface MetricsExportFigures {
  targets: number;
  lines: number;
  bytes: number;
  /** Median time to render /metrics once. */
  renderMs: number;
  /** Median time to JSON.stringify the same input: the cheapest any export could be. */
  jsonMs: number;
  ratio: number;
}

/**
 * What a scrape of /metrics costs the monitor: rendering the exposition for a large setup
 * (targets with latency, status, cert, five custom metrics, health and three uptime
 * windows each), against serialising the same data as JSON in the same run.
 */
export async function benchMetricsExport(
  targets = 200,
  rounds = 200,
): Promise<MetricsExportFigures> {
  const input = bigInput(targets);
  const time = (fn: () => unknown): number => {
    const runs: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const t0 = performance.now();
      fn();
      runs.push(performance.now() - t0);
    }
    return median(runs);
  };
  time(() => renderMetrics(input));
  const text = renderMetrics(input);
  const renderMs = time(() => renderMetrics(input));
  const jsonMs = time(() => JSON.stringify(input));
  const figures = {
    targets,
    lines: text.split('\n').length - 1,
    bytes: Buffer.byteLength(text),
    renderMs: round(renderMs),
    jsonMs: round(jsonMs),
    ratio: round(renderMs / jsonMs),
  };
  console.log(
    `metrics export: ${targets} targets, ${figures.lines} lines, ${figures.bytes} bytes; ` +
      `render ${figures.renderMs} ms (median of ${rounds}), JSON baseline ${figures.jsonMs} ms, ratio ${figures.ratio}`,
  );
  return figures;
}

function bigInput(n: number): MetricsInput {
  const t = Date.now();
  const tg: Sample['tg'] = {};
  const ids = Array.from({ length: n }, (_, i) => `target-${i}`);
  for (const [i, id] of ids.entries())
    tg[id] = {
      up: i % 17 === 0 ? 0 : 1,
      ms: 10 + (i % 50),
      fb: 5 + (i % 20),
      st: 200,
      cd: 30 + i,
      m: { confidence: 0.8, quality: 0.9, second_pass_rate: 0.1, depth: i, loops: 1000 + i },
    };
  const health: HealthSnapshot = {
    t,
    overall: 'warn',
    summary: '',
    paused: false,
    targets: ids.map((id, i) => ({ id, name: id, state: HEALTH_STATES[i % 5], figure: '' })),
  };
  const ratios = Object.fromEntries(ids.map((id) => [id, 0.999]));
  return {
    sample: { v: 1, t, sys: { cpu: 12, mem: 40, load1: 0.4, disk: { '/': 60 } }, tg },
    health,
    uptime: { '1h': ratios, '24h': ratios, '7d': ratios },
    targets: ids.map((id) => ({ id, name: `Target ${id}`, kind: 'http' })),
  };
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
