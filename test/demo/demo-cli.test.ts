import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { finished, startCli } from '../helpers/cli';
import { waitFor } from '../prometheus/real-prometheus';

/** `opspulse demo` as a newcomer runs it: one command, a living dashboard, Ctrl+C ends it. */
describe('opspulse demo (CLI)', () => {
  it('starts the stack and the dashboard, serves metrics, and cleans up on SIGINT', async () => {
    const child = startCli(['demo', '--port', '0', '--history', '1'], { OPSPULSE_LOG: 'warn' });
    const exit = finished(child, 90_000);
    let out = '';
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    try {
      await waitFor(async () => /dashboard on http/.test(out), 60_000);
      const url = /dashboard on (http:\/\/[\d.:]+)/.exec(out)![1];
      const dataDir = /seeded in (\S+) \(temporary/.exec(out)![1];
      expect(out).toMatch(/^ {2}scheduler {4}http:\/\/127\.0\.0\.1:\d+\/health$/m);
      expect(out).toMatch(/\d{3,} samples of history seeded/);
      expect(fs.existsSync(dataDir)).toBe(true);
      const metrics = await (await fetch(`${url}/metrics`)).text();
      expect(metrics).toMatch(
        /^opspulse_target_info\{target="orchestrator",name="Orchestrator",kind="http"\} 1$/m,
      );
      child.kill('SIGINT');
      const r = await exit;
      expect(r.code, r.stderr).toBe(0);
      expect(fs.existsSync(dataDir)).toBe(false);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exit.catch(() => undefined);
    }
  }, 120_000);

  it('rejects a bad option with a readable message', async () => {
    const child = startCli(['demo', '--history', 'lots']);
    const r = await finished(child, 60_000);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('--history: "lots" is not a whole number from 0 to 720');
  }, 90_000);
});
