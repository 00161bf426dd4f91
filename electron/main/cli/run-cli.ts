import { CommanderError, type Command } from 'commander';

/**
 * Exit codes a script can trust: 0-2 belong to `status` (healthy, degraded or unknown,
 * down); anything that went wrong exits outside that range, so it is never mistaken for a
 * health state.
 */
export const EXIT = {
  /** A runtime error: a bad config, an unusable data directory, a port in use... */
  error: 3,
  /** A usage error: unknown command or option, bad choice, missing argument (sysexits). */
  usage: 64,
} as const;

/** Runs the program; every error becomes one readable message and an exit code above 2. */
export async function runCli(program: Command, argv: string[]): Promise<void> {
  // Node exits 1 on an uncaught error, which `status` callers would read as "degraded".
  for (const event of ['uncaughtException', 'unhandledRejection'] as const) {
    process.on(event, (err: unknown) => {
      console.error(`opspulse: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      process.exit(EXIT.error);
    });
  }
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // Commander has printed its message (or the help / version) already.
      process.exitCode = err.exitCode === 0 ? 0 : EXIT.usage;
      return;
    }
    if (isPortInUse(err)) {
      // Said as `opspulse demo` says it.
      console.error(
        `opspulse: --port ${err.port} is in use (another opspulse serve or demo?); pass --port 0 for any free port`,
      );
    } else if (err instanceof Error) {
      console.error(`opspulse: ${err.message}`);
      if (process.env.OPSPULSE_DEBUG) console.error(err.stack);
    } else {
      console.error('opspulse:', err);
    }
    process.exitCode = EXIT.error;
  }
}

function isPortInUse(err: unknown): err is NodeJS.ErrnoException & { port: number } {
  return (
    err instanceof Error &&
    (err as NodeJS.ErrnoException).code === 'EADDRINUSE' &&
    typeof (err as { port?: unknown }).port === 'number'
  );
}
