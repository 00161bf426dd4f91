import { Command } from 'commander';
import { version } from '../../../package.json';
import { resolveDataDir } from '../config/data-dir';
import { checkDataDirExists, makeDataDir } from '../config/make-data-dir';

/** The global options every command sees. */
export interface GlobalOptions {
  data?: string;
}

/** The data directory for a command, from its global `--data` option. */
export function dataDirOf(cmd: Command): string {
  return resolveDataDir(cmd.optsWithGlobals<GlobalOptions>().data);
}

/**
 * Commands that only read a data directory: on one that does not exist they say so and
 * create nothing (a typo in --data must not look like an empty, freshly made install).
 */
const READ_ONLY = new Set([
  'status',
  'report',
  'alerts list',
  'alerts test',
  'events',
  'store stats',
  'targets list',
]);
/** Commands that keep their data elsewhere (the demo makes its own). */
const NO_DATA_DIR = new Set(['demo']);

function commandPath(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c?.parent; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/**
 * The program with the global --data option and --version. Commander's own exits are
 * turned into thrown CommanderErrors (exitOverride, inherited by every command added
 * later), so runCli decides every exit code. Before each action the data directory is
 * checked (read-only commands) or created without Node's recursive mkdir, which hangs on
 * paths such as /proc/x/y.
 */
export function createProgram(): Command {
  return new Command('opspulse')
    .description('Watches your services and machine, keeps their history, alerts and reports.')
    .version(version, '-V, --version', 'print the version')
    .option('--data <dir>', 'data directory (default: $OPSPULSE_DATA or the per-user app folder)')
    .showHelpAfterError('(add --help for usage)')
    .configureHelp({ sortSubcommands: true })
    .exitOverride()
    .hook('preAction', async (_program, action) => {
      const name = commandPath(action);
      if (NO_DATA_DIR.has(name)) return;
      const dataDir = dataDirOf(action);
      if (READ_ONLY.has(name)) await checkDataDirExists(dataDir);
      else await makeDataDir(dataDir);
    });
}
