import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { readControl } from '../../electron/main/alerts/control-file';
import { parseDuration, parseSince } from '../../electron/main/alerts/duration';
import { registerAlertCommands } from '../../electron/main/cli/commands/alerts';
import { createProgram } from '../../electron/main/cli/program';
import { config, Harness, makeTempDir, removeDir, target } from './helpers';

let dir: string;

beforeEach(async () => {
  dir = await makeTempDir();
  await fs.writeFile(
    path.join(dir, 'config.json'),
    JSON.stringify({ targets: [target('api'), target('db')] }),
  );
});

afterEach(async () => {
  vi.restoreAllMocks();
  await removeDir(dir);
});

/** Runs the alert commands in-process and returns what they printed. */
async function cli(...args: string[]): Promise<string> {
  const out: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => {
    out.push(a.map(String).join(' '));
  });
  const program = createProgram().exitOverride();
  registerAlertCommands(program);
  try {
    await program.parseAsync(['node', 'opspulse', '--data', dir, ...args]);
  } finally {
    vi.mocked(console.log).mockRestore();
  }
  return out.join('\n');
}

describe('alert CLI commands', () => {
  it('mute and unmute write the control file a running engine reads', async () => {
    const before = Date.now();
    expect(await cli('mute', 'api', '--for', '2h')).toMatch(/^Muted api until .* \(2h\)\.$/);
    let c = readControl(dir);
    expect(c.targets.api).toBeGreaterThanOrEqual(before + 2 * 3_600_000);
    expect(await cli('mute', '--for', '30m')).toMatch(/^Muted all notifications until/);
    c = readControl(dir);
    expect(c.mutedUntil).toBeGreaterThan(before);
    expect(await cli('unmute', 'api')).toBe('Unmuted api.');
    expect(readControl(dir).targets).toEqual({});
    expect(await cli('unmute')).toBe('Unmuted everything.');
    expect(readControl(dir)).toEqual({ paused: false, mutedUntil: 0, targets: {} });
    expect(await cli('unmute')).toBe('Nothing was muted.');
  });

  it('refuses unknown targets and bad durations with a clear message', async () => {
    await expect(cli('mute', 'nope', '--for', '1h')).rejects.toThrow(
      'no target has id "nope" (see `opspulse targets list`)',
    );
    await expect(cli('mute', '--for', 'soon')).rejects.toThrow(
      '--for: "soon" is not a duration (use e.g. 90s, 30m, 1h30m, 24h, 7d)',
    );
    await expect(cli('events', '--since', '2026-13-45')).rejects.toThrow(
      '--since: "2026-13-45" is not a valid date',
    );
  });

  it('alerts list and events show what the engine recorded', async () => {
    const h = new Harness(dir, config({ targets: [target('api'), target('db')] }));
    h.t = Date.now() - 120_000;
    await h.open();
    h.tick({ api: 1, db: 1 });
    h.ticks(3, { api: 0, db: 1 });
    await h.engine.close();

    const list = await cli('alerts', 'list');
    expect(list).toMatch(/^Overall: crit — 1 down: API · 1 ok$/m);
    expect(list).toMatch(/^crit\s+api\s+down: ECONNREFUSED$/m);
    expect(list).toMatch(
      /^crit\s+api\s+down\s+\S+ \S+\s+API is down: ECONNREFUSED \(2 failed checks\)$/m,
    );
    const json = JSON.parse(await cli('alerts', 'list', '--json')) as {
      snapshot: { overall: string };
      rules: unknown[];
    };
    expect(json.snapshot.overall).toBe('crit');
    expect(json.rules).toHaveLength(2);

    const events = (await cli('events', '--since', '1h')).split('\n');
    expect(events).toHaveLength(3);
    expect(events[2]).toMatch(/ api\s+down\s+ok→crit {2}API is down: ECONNREFUSED/);
    const onlyDb = (await cli('events', '--since', '1d', '--target', 'db', '--json')).split('\n');
    expect(onlyDb.map((l) => (JSON.parse(l) as { to: string }).to)).toEqual(['ok']);
    expect(await cli('events', '--since', '2099-01-01')).toMatch(/^No events since 2099-01-01/);
  });

  it('alerts test posts to every webhook and reports failures without leaking the URL', async () => {
    const hits: string[] = [];
    const server = http.createServer((req, res) => {
      hits.push(req.url ?? '');
      res.statusCode = req.url === '/bad/secret-path' ? 403 : 200;
      res.end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      await fs.writeFile(
        path.join(dir, 'config.json'),
        JSON.stringify({ alerts: { webhooks: [] } }),
      );
      expect(await cli('alerts', 'test')).toBe(
        'No webhooks configured (alerts.webhooks in config.json).',
      );
      await fs.writeFile(
        path.join(dir, 'config.json'),
        JSON.stringify({
          alerts: { webhooks: [{ url: `${base}/good` }, { url: `${base}/bad/secret-path` }] },
        }),
      );
      const out: string[] = [];
      vi.spyOn(console, 'log').mockImplementation((m: unknown) => void out.push(String(m)));
      const program = createProgram().exitOverride();
      registerAlertCommands(program);
      await expect(
        program.parseAsync(['node', 'opspulse', '--data', dir, 'alerts', 'test']),
      ).rejects.toThrow('1 webhook(s) failed; see above');
      expect(hits.sort()).toEqual(['/bad/secret-path', '/good']);
      expect(out.at(-1)).toBe('1 of 2 webhooks accepted the test notification.');
      expect(out[0]).toMatch(/\/\[redacted\]: gave up on "OpsPulse test notification": HTTP 403$/);
      expect(out.join('\n')).not.toContain('secret-path');
    } finally {
      server.close();
    }
  });

  it('mute works from a separate process (the real CLI binary)', async () => {
    const root = path.resolve(import.meta.dirname, '../..');
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        path.join(root, 'electron/main/cli/index.ts'),
        '--data',
        dir,
        'mute',
        'db',
        '--for',
        '1h',
      ],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(out).toMatch(/Muted db until/);
    expect(code).toBe(0);
    expect(readControl(dir).targets.db).toBeGreaterThan(Date.now() + 3_500_000);
  }, 60_000);
});

describe('durations', () => {
  it.each([
    ['90s', 90_000],
    ['30m', 1_800_000],
    ['1h30m', 5_400_000],
    ['24h', 86_400_000],
    ['7d', 604_800_000],
    ['2w', 1_209_600_000],
    ['1.5h', 5_400_000],
  ])('%s', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it('since accepts a duration back from now or a date', () => {
    expect(parseSince('1h', 10_000_000)).toBe(6_400_000);
    expect(parseSince('2026-11-25T12:00:00Z', 0)).toBe(Date.UTC(2026, 10, 25, 12));
    expect(() => parseDuration('0m')).toThrow('must be longer than zero');
    expect(() => parseDuration('-1h')).toThrow('is not a duration');
  });
});
