import { execFile } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readDefaultRoute } from '../../electron/main/probes/system-counters';
import { runCli, type CliResult } from '../helpers/cli';
import { makeTmpDir, removeDir } from '../helpers/tmp-dir';

/**
 * What a script can trust from the CLI: `status` owns exit codes 0-2; usage errors exit 64
 * and runtime errors 3; read-only commands never create a data directory; a data directory
 * that cannot be made is an error, not a hang. Real processes, real directories.
 */

const USAGE = 64;
const ERROR = 3;

let dir: string;
beforeEach(async () => {
  dir = await makeTmpDir('opspulse-exits-');
});
afterEach(async () => removeDir(dir));

/** Runs the cases two at a time: a CLI start costs seconds of CPU on a shared machine. */
async function runAll(argsList: string[][]): Promise<CliResult[]> {
  const out: CliResult[] = new Array<CliResult>(argsList.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < argsList.length) {
      const i = next++;
      out[i] = await runCli(argsList[i], { timeoutMs: 90_000 });
    }
  };
  await Promise.all([worker(), worker()]);
  return out;
}

function noStack(r: CliResult): void {
  expect(r.stderr).not.toMatch(/^\s+at /m);
}

// Each case is a fresh CLI process (tsx from source unless OPSPULSE_TEST_CLI=built).
describe('opspulse exit codes', { timeout: 300_000 }, () => {
  it('--version prints the package version', async () => {
    const pkg = JSON.parse(await fsp.readFile('package.json', 'utf8')) as { version: string };
    for (const flag of ['--version', '-V']) {
      const r = await runCli([flag]);
      expect(r.code).toBe(0);
      expect(r.stdout.trim()).toBe(pkg.version);
    }
  });

  it('usage errors, from the parser or a required option, exit 64 with one message', async () => {
    const cases: [string[], RegExp][] = [
      [['bogus'], /unknown command 'bogus'/],
      [['status', '--bogus'], /unknown option '--bogus'/],
      [
        ['report', '--format', 'xx'],
        /argument 'xx' is invalid\. Allowed choices are md, json, html/,
      ],
      [['targets', 'add'], /missing required argument 'kind'/],
      [['collect'], /required option '--once' not specified/],
      [[], /Usage: opspulse/],
    ];
    const results = await runAll(cases.map(([args]) => ['--data', dir, ...args]));
    results.forEach((r, i) => {
      expect(r.code, cases[i][0].join(' ')).toBe(USAGE);
      expect(r.stderr).toMatch(cases[i][1]);
      noStack(r);
    });
  });

  it('read-only commands on a --data directory that does not exist say so and create nothing', async () => {
    const missing = path.join(dir, 'typo', 'opspulse');
    const commands = [
      ['status'],
      ['report', '--hours', '1'],
      ['alerts', 'list'],
      ['events'],
      ['store', 'stats'],
      ['targets', 'list'],
    ];
    const results = await runAll(commands.map((c) => ['--data', missing, ...c]));
    results.forEach((r, i) => {
      expect(r.code, commands[i].join(' ')).toBe(ERROR);
      expect(r.stderr).toContain(`no data directory at ${missing}`);
      noStack(r);
    });
    expect(fs.existsSync(path.join(dir, 'typo'))).toBe(false);
  });

  it('and on a directory that holds no OpsPulse data, write nothing into it', async () => {
    const r = await runCli(['--data', dir, 'status']);
    expect(r.code).toBe(ERROR);
    expect(r.stderr).toContain(`${dir} holds no OpsPulse data (no config.json`);
    expect(await fsp.readdir(dir)).toEqual([]);
  });

  it.skipIf(!fs.existsSync('/proc/self'))(
    'a --data path that cannot be created is an error, not a hang',
    async () => {
      const r = await runCli(['--data', '/proc/opspulse/data', 'collect', '--once'], {
        timeoutMs: 20_000,
      });
      expect(r.code).toBe(ERROR);
      expect(r.stderr).toContain(
        'cannot create the data directory /proc/opspulse/data: mkdir /proc/opspulse failed',
      );
      noStack(r);
    },
  );

  it('the bin before a build says so, with an error code, not 1', async () => {
    // bin/opspulse.js alone, where no out/ exists beside it.
    await fsp.mkdir(path.join(dir, 'bin'));
    await fsp.copyFile('bin/opspulse.js', path.join(dir, 'bin', 'opspulse.js'));
    const r = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        [path.join(dir, 'bin', 'opspulse.js'), 'status'],
        (err, _o, stderr) => resolve({ code: err ? (err.code as number) : 0, stderr }),
      );
    });
    expect(r.code).toBe(ERROR);
    expect(r.stderr).toContain('opspulse: not built yet. Run `npm run build` first.');
  });

  it('serve on a busy port says what demo says', async () => {
    const busy = net.createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
    const port = (busy.address() as net.AddressInfo).port;
    try {
      const r = await runCli(['--data', dir, 'serve', '--port', String(port)]);
      expect(r.code).toBe(ERROR);
      expect(r.stderr).toContain(
        `--port ${port} is in use (another opspulse serve or demo?); pass --port 0 for any free port`,
      );
      noStack(r);
    } finally {
      busy.close();
    }
  });
});

describe('opspulse collect --once', { timeout: 60_000 }, () => {
  it('records CPU % and, where there is a default route, network rates', async () => {
    const r = await runCli(['--data', dir, 'collect', '--once']);
    expect(r.code, r.stderr).toBe(0);
    const sample = JSON.parse(r.stdout) as { sys?: { cpu?: number; rx?: number; tx?: number } };
    expect(sample.sys?.cpu).toBeTypeOf('number');
    expect(sample.sys?.cpu).toBeGreaterThanOrEqual(0);
    expect(sample.sys?.cpu).toBeLessThanOrEqual(100);
    if (process.platform !== 'linux' || readDefaultRoute()) {
      expect(sample.sys?.rx).toBeTypeOf('number');
      expect(sample.sys?.tx).toBeTypeOf('number');
    }
    // And the store has it: what status, report and the dashboard read.
    const raw = path.join(dir, 'samples', 'raw');
    const stored = (await fsp.readdir(raw)).filter((f) => f.endsWith('.jsonl'));
    const lines = (await fsp.readFile(path.join(raw, stored[0]), 'utf8')).trim().split('\n');
    expect((JSON.parse(lines.at(-1) ?? '{}') as { sys?: { cpu?: number } }).sys?.cpu).toBe(
      sample.sys?.cpu,
    );
  });
});
