import type { Command } from 'commander';
import { ConfigError } from '../config/config-error';

/** Runs the program; known errors become one readable message and exit code 3. */
export async function runCli(program: Command, argv: string[]): Promise<void> {
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`opspulse: ${err.message}`);
    } else if (err instanceof Error) {
      console.error(`opspulse: ${err.message}`);
      if (process.env.OPSPULSE_DEBUG) console.error(err.stack);
    } else {
      console.error('opspulse:', err);
    }
    process.exitCode = 3;
  }
}
