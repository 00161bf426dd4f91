/**
 * `npm run bench [-- NAME ...]`: each part's budgets as figures and same-run ratios.
 * Parts: probes (issue 2), store (3), reports (4), alerts (5), dashboard (6), shell (7),
 * metrics (8). With no names, all of them in that order.
 */
import { benchAlerts } from './alerts';
import { benchDashboard } from './dashboard';
import { benchMetricsExport } from './metrics-export';
import { benchProbes } from './probes';
import { benchReports } from './reports';
import { benchShell } from './shell';
import { benchStore } from './store';

const PARTS: Record<string, () => Promise<unknown>> = {
  probes: () => benchProbes(),
  store: () => benchStore(),
  reports: () => benchReports(),
  alerts: async () => console.log(await benchAlerts()),
  dashboard: () => benchDashboard(),
  shell: () => benchShell(),
  metrics: () => benchMetricsExport(),
};

const asked = process.argv.slice(2).filter((a) => a !== '--');
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
  await PARTS[name]();
  console.log(`(${name}: ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
}
