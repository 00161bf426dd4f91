import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Sample } from '../../shared/sample';
import { startCli } from '../helpers/cli';

/** Whether the suite runs its long mode (OPSPULSE_FAULT_LONG=1): the full durations. */
export const LONG = process.env.OPSPULSE_FAULT_LONG === '1';

/** Every raw sample on disk, in file order (torn lines skipped). */
export function rawSamples(dataDir: string): Sample[] {
  const dir = path.join(dataDir, 'samples', 'raw');
  if (!fs.existsSync(dir)) return [];
  const out: Sample[] = [];
  for (const f of fs.readdirSync(dir).sort()) {
    if (!f.endsWith('.jsonl')) continue;
    for (const line of fs.readFileSync(path.join(dir, f), 'utf8').split('\n')) {
      if (line === '') continue;
      try {
        out.push(JSON.parse(line) as Sample);
      } catch {
        // A line torn by kill -9 is cut at the next open; here it is simply not counted.
      }
    }
  }
  return out;
}

export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | null | false,
  timeoutMs: number,
  everyMs = 20,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v !== undefined && v !== null && v !== false) return v;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export interface Daemon {
  child: ChildProcess;
  stderr(): string;
  stdout(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
}

/** Starts the CLI (built or from source, as test/helpers/cli.ts decides) and captures its output. */
export function startDaemon(args: string[], env?: NodeJS.ProcessEnv): Daemon {
  const child = startCli(args, env);
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>(
    (resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal, at: performance.now() })),
  );
  return { child, stderr: () => err, stdout: () => out, exited };
}

export function writeConfig(dataDir: string, config: object): void {
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(path.join(dataDir, 'config.json'), JSON.stringify(config, null, 2));
}

export function quantile(values: number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
}

/** One line of figures, as the suite prints them. */
export function report(name: string, figures: Record<string, string | number>): void {
  const body = Object.entries(figures)
    .map(([k, v]) => `${k}=${typeof v === 'number' ? Math.round(v * 10) / 10 : v}`)
    .join(' ');
  console.log(`[fault-suite] ${name}: ${body}`);
}
