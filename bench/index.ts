/**
 * `npm run bench [-- NAME ...]`: each part's budgets as figures and same-run ratios.
 * Parts: probes (issue 2), store (3), reports (4), alerts (5), dashboard (6), shell (7),
 * metrics (8), anomaly (15: NAB scores, needs `--corpus DIR`, optional `--out DIR`; then
 * the forecasts), forecast (15: the forecast part alone), api (12: hostile ranges over HTTP).
 * With no names, all of them in that order. Options after a part's name go to that part.
 */
import { benchAnomaly } from './anomaly';
import { runForecastBench } from './anomaly/forecast';
import { benchAlerts } from './alerts';
import { benchApi } from './api';
import { benchDashboard } from './dashboard';
import { benchMetricsExport } from './metrics-export';
import { benchProbes } from './probes';
import { benchReports } from './reports';
import { benchShell } from './shell';
import { benchStore } from './store';

const PARTS: Record<string, (args: readonly string[]) => Promise<unknown>> = {
  probes: () => benchProbes(),
  store: () => benchStore(),
  reports: () => benchReports(),
  alerts: async () => console.log(await benchAlerts()),
  dashboard: () => benchDashboard(),
  shell: () => benchShell(),
  metrics: () => benchMetricsExport(),
  api: () => benchApi(),
  anomaly: (args) => benchAnomaly(args),
  forecast: async () => runForecastBench(),
};

const argv = process.argv.slice(2).filter((a) => a !== '--');
// Part names, each followed by its own options (`anomaly --corpus DIR --out DIR`).
const asked: string[] = [];
const partArgs = new Map<string, string[]>();
for (const arg of argv) {
  const owner = asked.at(-1);
  if (
    arg.startsWith('--') ||
    (owner !== undefined && partArgs.get(owner)?.at(-1)?.startsWith('--'))
  ) {
    if (owner === undefined) {
      console.error(`bench: option ${arg} before any part name`);
      process.exit(2);
    }
    partArgs.get(owner)?.push(arg);
  } else {
    asked.push(arg);
    partArgs.set(arg, []);
  }
}
const unknown = asked.filter((a) => !(a in PARTS));
if (unknown.length > 0) {
  console.error(
    `bench: unknown part(s) ${unknown.join(', ')}; choose from ${Object.keys(PARTS).join(', ')}`,
  );
  process.exit(2);
}
for (const name of asked.length > 0 ? asked : Object.keys(PARTS)) {
  console.log(`\n===== ${name} =====`);
  const t0 = performance.now();
  await PARTS[name](partArgs.get(name) ?? []);
  console.log(`(${name}: ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
}
