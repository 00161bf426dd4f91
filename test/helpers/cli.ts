import { spawn } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SOURCE_CLI = path.join(ROOT, 'electron/main/cli/index.ts');
const BUILT_CLI = path.join(ROOT, 'bin/opspulse.js');

/**
 * From source (tsx) by default, so `npm test` needs no build; CI builds first and sets
 * OPSPULSE_TEST_CLI=built to test the very bin users run (and spare tsx's start-up cost).
 */
function cliArgs(): string[] {
  // OPSPULSE_TEST_CLI_JS: another bundle of the CLI (e.g. one built outside out/ to measure).
  if (process.env.OPSPULSE_TEST_CLI_JS) return [process.env.OPSPULSE_TEST_CLI_JS];
  return process.env.OPSPULSE_TEST_CLI === 'built' ? [BUILT_CLI] : ['--import', 'tsx', SOURCE_CLI];
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in a child process, bounded in time. */
export function runCli(
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<CliResult> {
  const child = startCli(args, opts.env);
  return finished(child, opts.timeoutMs ?? 30_000);
}

export function startCli(args: string[], env?: NodeJS.ProcessEnv) {
  return spawn(process.execPath, [...cliArgs(), ...args], {
    cwd: ROOT,
    env: { ...process.env, OPSPULSE_LOG: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export function finished(
  child: ReturnType<typeof startCli>,
  timeoutMs: number,
): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(`CLI timed out after ${timeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`),
      );
    }, timeoutMs);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      // Let the pipes drain before resolving.
      setImmediate(() => resolve({ code, signal, stdout, stderr }));
    });
  });
}
