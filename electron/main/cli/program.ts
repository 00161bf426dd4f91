import { Command } from 'commander';
import { resolveDataDir } from '../config/data-dir';

/** The global options every command sees. */
export interface GlobalOptions {
  data?: string;
}

/** The data directory for a command, from its global `--data` option. */
export function dataDirOf(cmd: Command): string {
  return resolveDataDir(cmd.optsWithGlobals<GlobalOptions>().data);
}

export function createProgram(): Command {
  return new Command('opspulse')
    .description('Watches your services and machine, keeps their history, alerts and reports.')
    .option('--data <dir>', 'data directory (default: $OPSPULSE_DATA or the per-user app folder)')
    .showHelpAfterError('(add --help for usage)')
    .configureHelp({ sortSubcommands: true });
}
