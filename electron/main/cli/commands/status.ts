import type { Command } from 'commander';
import { VERDICT_LABEL, verdictOf, worse, type HealthState } from '../../../../shared/health';
import { AlertEngine } from '../../alerts/alert-engine';
import { loadAlertState } from '../../alerts/alert-state';
import { formatDuration } from '../../alerts/format';
import { targetLine } from '../../alerts/summarize';
import { ConfigStore } from '../../config/config-store';
import type { SloIndicator } from '../../../../shared/slo';
import { dataDirOf } from '../program';
import { SloTracker } from '../../slo/slo-tracker';
import { readRollupLines } from '../../store/segment-reads';

/** Exit codes scripts can branch on. */
export const STATUS_EXIT: Record<HealthState, number> = {
  ok: 0,
  paused: 0,
  unknown: 1,
  warn: 1,
  crit: 2,
};

export function registerStatusCommand(program: Command): void {
  program
    .command('status')
    .description(
      'print the latest state per target; exit 0 healthy, 1 degraded or unknown (no recent data), 2 down',
    )
    .option('--json', 'print the health snapshot as JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const dataDir = dataDirOf(cmd);
      const config = (await ConfigStore.open(dataDir)).get();
      const now = Date.now();
      // Read-only: the engine only writes when it ingests, so this is safe beside a daemon.
      const engine = await AlertEngine.open({ dataDir, notifier: { notify: () => undefined } });
      const snap = engine.snapshot(config);
      // Budgets from the store's rollups (read-only, like the rest of status).
      const slo = new SloTracker();
      if (slo.configure(config) && slo.size > 0) {
        await slo.load((tier, range) => readRollupLines(dataDir, tier, range), now);
        snap.slos = slo.status(config, now);
      }
      const { state } = loadAlertState(dataDir, now);
      const staleAfter = Math.max(3 * config.interval * 1000, 60_000);
      const age = state.lastT === undefined ? null : now - state.lastT;
      const stale = age === null || age > staleAfter;
      const overall = stale ? worse(snap.overall, 'unknown') : snap.overall;
      // Stale data turns a calm verdict into No data; a bad one (Down, Critical) stays.
      const verdict = overall === snap.overall ? verdictOf(snap) : verdictOf({ overall });
      if (opts.json) {
        console.log(
          JSON.stringify(
            { ...snap, overall, verdict, lastSampleT: state.lastT ?? null, stale },
            null,
            2,
          ),
        );
      } else {
        console.log(`${VERDICT_LABEL[verdict]}: ${snap.summary}`);
        if (age === null)
          console.log('No sample yet: start `opspulse run` (or `opspulse collect --once`).');
        else if (stale)
          console.log(
            `Last sample ${formatDuration(age)} ago: is the collector running? (\`opspulse run\`)`,
          );
        for (const t of snap.targets) console.log(`  ${t.id}: ${targetLine(t)}`);
        for (const s of snap.slos ?? [])
          for (const i of s.indicators)
            console.log(`  [slo ${i.alert}] ${s.target}: ${sloLine(i)}`);
      }
      process.exitCode = STATUS_EXIT[overall];
    });
}

/** e.g. "availability 99.71 % (objective 99.9 % over 30 d), 12 % of the budget left, burn 1h 0.5×". */
function sloLine(i: SloIndicator): string {
  const got = i.achievedPct === null ? 'no probes yet' : `${i.achievedPct.toFixed(3)} %`;
  const r = i.budgetRemaining;
  const left =
    r === null
      ? ''
      : r >= 0
        ? `, ${Math.round(r * 100)} % of the budget left`
        : `, budget overspent (${Number((1 - r).toPrecision(3))}× the failures it allows)`;
  const burn = i.burn['1h'] === null ? '' : `, burn 1h ${Number(i.burn['1h'].toPrecision(2))}×`;
  return `${i.sli} ${got} (objective ${i.objectivePct} % over ${i.windowDays} d)${left}${burn}`;
}
