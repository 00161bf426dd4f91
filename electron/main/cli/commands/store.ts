import type { Command } from 'commander';
import { ConfigStore } from '../../config/config-store';
import { SampleStore } from '../../store/sample-store';
import { formatStats, sidecarStats, storeStats, totalBytes } from '../../store/stats';
import { dataDirOf } from '../program';

type Print = (line: string) => void;

/** `opspulse store stats|rebuild|maintain`: look after the sample store. */
export function registerStoreCommands(program: Command, print: Print = console.log): void {
  const store = program.command('store').description('inspect and look after the sample store');

  store
    .command('stats')
    .description(
      'per tier: files, bytes, lines, bytes per sample, oldest and newest time; sidecar and total bytes',
    )
    .option('--json', 'print JSON: {tiers, sidecars, total}')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      // Read-only: works while `opspulse run` is writing.
      const tiers = await storeStats(dataDirOf(cmd));
      const sidecars = await sidecarStats(dataDirOf(cmd));
      const total = totalBytes(tiers, sidecars);
      print(
        opts.json
          ? JSON.stringify({ tiers, sidecars, total }, null, 2)
          : formatStats(tiers, sidecars),
      );
    });

  store
    .command('rebuild')
    .description('rebuild the 1-minute and 1-hour rollups from raw samples (whole UTC days)')
    .option(
      '--from <time>',
      'start (2026-01-31, 2026-01-31T12:00Z or unix ms); default: oldest raw',
    )
    .option('--to <time>', 'end, exclusive; default: newest raw')
    .action(async (opts: { from?: string; to?: string }, cmd: Command) => {
      const from = opts.from === undefined ? undefined : parseTime('--from', opts.from);
      const to = opts.to === undefined ? undefined : parseTime('--to', opts.to);
      if (from !== undefined && to !== undefined && to <= from)
        throw new Error('--to must be after --from');
      const dataDir = dataDirOf(cmd);
      // The transition log marks slow successful probes degraded by the targets' degradedMs.
      const targets = await ConfigStore.open(dataDir).then(
        (c) => c.get().targets,
        () => [],
      );
      const degraded = new Map(targets.map((t) => [t.id, t.degradedMs]));
      const s = await SampleStore.open(dataDir, { degradedMs: (id) => degraded.get(id) });
      try {
        const r = await s.rebuild({ from, to });
        print(
          r.days.length === 0
            ? 'no raw samples in that range: nothing rebuilt'
            : `rebuilt ${r.minuteLines} minute and ${r.hourLines} hour lines from ${r.days.length} day(s) of raw ` +
                `(${r.days[0]} to ${r.days[r.days.length - 1]})`,
        );
      } finally {
        await s.close();
      }
    });

  store
    .command('maintain')
    .description('apply retention from config.json, gzip closed segments, enforce the byte cap')
    .action(async (_opts: unknown, cmd: Command) => {
      const dataDir = dataDirOf(cmd);
      const retention = (await ConfigStore.open(dataDir)).get().retention;
      const s = await SampleStore.open(dataDir, { retention });
      try {
        const r = await s.maintain();
        print(
          `expired ${r.expired.length}, compressed ${r.compressed.length}, trimmed ${r.trimmed.length} segment(s)`,
        );
      } finally {
        await s.close();
      }
    });
}

/** A date (UTC midnight), a date-time, or unix ms. */
export function parseTime(option: string, text: string): number {
  if (/^\d{10,}$/.test(text)) return Number(text);
  const t = /^\d{4}-\d{2}-\d{2}$/.test(text) ? Date.parse(`${text}T00:00:00Z`) : Date.parse(text);
  if (!Number.isFinite(t))
    throw new Error(
      `${option}: "${text}" is not a time (use 2026-01-31, 2026-01-31T12:00Z or unix ms)`,
    );
  return t;
}
