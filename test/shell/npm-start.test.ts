import { execFile } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquireInstanceLock } from '../../electron/main/core/instance-lock';
import { makeTmpDir, removeDir } from '../helpers/tmp-dir';
import { ensureBuilt, ROOT, startAppFixture, type AppFixture } from './built-app';

/**
 * `npm start`, the README's first command, run as a user runs it: through npm, the start
 * script (scripts/start.ts) and `electron-vite preview`. The binary is the one part that
 * cannot be had here, so one test points ELECTRON_EXEC_PATH at a stub executable
 * (fixtures/stub-electron/electron: the built main under Node with the scripted fake
 * Electron), and the others run with no binary at all.
 */

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

function npmStart(args: string[], env: NodeJS.ProcessEnv, timeout: number): Promise<Outcome> {
  const started = Date.now();
  return new Promise((resolve) => {
    execFile(
      'npm',
      ['start', '--', ...args],
      { cwd: ROOT, env, timeout, maxBuffer: 16 * 1024 * 1024 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
        resolve({ code, stdout, stderr, ms: Date.now() - started });
      },
    );
  });
}

/** The environment minus anything that would pick a binary or turn the download off. */
function cleanEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of Object.keys(env)) {
    if (/^(ELECTRON_|electron_|npm_config_electron)/.test(key)) delete env[key];
  }
  return { ...env, ...extra };
}

const electronDir = path.join(ROOT, 'node_modules', 'electron');
const binaryInstalled = fs.existsSync(path.join(electronDir, 'path.txt'));

describe('npm start with a stub Electron (ELECTRON_EXEC_PATH)', () => {
  let fixture: AppFixture;
  let dir: string;

  beforeAll(async () => {
    await ensureBuilt();
    fixture = await startAppFixture('opspulse-start-');
    dir = fixture.dir;
  }, 200_000);

  afterAll(async () => {
    await fixture?.close();
  });

  it(
    'boots the built app, its core collects, the tray turns green with a menu, the window loads app://, quitting frees the lock',
    { timeout: 120_000 },
    async () => {
      // --skipBuild: the suite's other tests run from out/ meanwhile; ensureBuilt made it.
      const run = await npmStart(
        ['--skipBuild'],
        cleanEnv({
          ELECTRON_EXEC_PATH: path.join(ROOT, 'test/shell/fixtures/stub-electron/electron'),
          OPSPULSE_DATA: dir,
          OPSPULSE_LOG: 'silent',
        }),
        100_000,
      );
      expect(run.stderr).not.toContain('Electron uninstall');
      expect(run.code, run.stderr).toBe(0);
      const seen = JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '{}') as {
        trayImages: { image: string; exists: boolean }[];
        menus: string[][];
        page: { status: number; url: string };
        errors: string[];
      };
      expect(seen.errors).toEqual([]);
      expect(seen.trayImages.every((i) => i.exists)).toBe(true);
      expect(path.basename(seen.trayImages.at(-1)?.image ?? '')).toBe('tray-ok-32.png');
      const menu = seen.menus.at(-1) ?? [];
      expect(menu.some((label) => label.includes('Web'))).toBe(true);
      expect(menu.some((label) => label.startsWith('Quit'))).toBe(true);
      expect(seen.page).toMatchObject({ status: 200, url: 'app://opspulse/index.html' });
      // The core wrote what it collected, and let go of the data directory on quit.
      expect(fs.readdirSync(dir).length).toBeGreaterThan(1);
      const lock = await acquireInstanceLock(dir, { waitMs: 0 });
      await lock.release();
    },
  );
});

describe('npm start pointed at an Electron that is not there', () => {
  it('ELECTRON_EXEC_PATH: names the path, installs nothing', { timeout: 40_000 }, async () => {
    const missing = path.join(ROOT, 'no-such-electron');
    const run = await npmStart([], cleanEnv({ ELECTRON_EXEC_PATH: missing }), 35_000);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain(`ELECTRON_EXEC_PATH points at ${missing}, which does not exist`);
    expect(run.stderr).not.toContain('Downloading Electron');
    expect(run.stderr).toContain('npx opspulse serve');
  });

  it(
    'ELECTRON_OVERRIDE_DIST_PATH: says the folder holds no Electron',
    { timeout: 40_000 },
    async () => {
      const empty = await makeTmpDir('opspulse-empty-dist-');
      try {
        const run = await npmStart([], cleanEnv({ ELECTRON_OVERRIDE_DIST_PATH: empty }), 35_000);
        expect(run.code).not.toBe(0);
        expect(run.stderr).toContain(
          `ELECTRON_OVERRIDE_DIST_PATH is set, but it has no Electron at ${empty}`,
        );
        expect(run.stderr).not.toContain('Downloading Electron');
      } finally {
        await removeDir(empty);
      }
    },
  );
});

describe.skipIf(binaryInstalled)('npm start where the Electron binary cannot be had', () => {
  let cache: string;
  let refusing: http.Server;
  let refusingUrl: string;

  beforeAll(async () => {
    // An empty download cache, so a zip cached by an earlier install cannot stand in.
    cache = await makeTmpDir('opspulse-electron-cache-');
    refusing = http.createServer((_req, res) => {
      res.statusCode = 403;
      res.end('no');
    });
    await new Promise<void>((r) => refusing.listen(0, '127.0.0.1', r));
    refusingUrl = `http://127.0.0.1:${(refusing.address() as AddressInfo).port}/`;
  });

  afterAll(async () => {
    if (refusing) await new Promise((r) => refusing.close(r));
    if (cache) await removeDir(cache);
  });

  function expectPlainFailure(run: Outcome, why: RegExp): void {
    expect(run.code).not.toBe(0);
    expect(run.ms).toBeLessThan(30_000);
    const text = run.stdout + run.stderr;
    expect(text).toContain('the desktop app cannot start');
    expect(text).toContain('Electron 45.5.0 binary is not installed');
    expect(text).toMatch(why);
    expect(text).toContain('npx opspulse serve');
    expect(text).toContain('npm run demo');
    expect(text).not.toMatch(/^\s+at /m);
    expect(text).not.toContain('Electron uninstall');
    // Nothing half-written for the next run to trip on.
    expect(fs.existsSync(path.join(electronDir, 'dist'))).toBe(false);
    expect(fs.existsSync(path.join(electronDir, 'path.txt'))).toBe(false);
  }

  it(
    'with no network: says so and what to run instead, in seconds',
    { timeout: 40_000 },
    async () => {
      // .invalid never resolves (RFC 2606): "offline" even on a machine that is online.
      const run = await npmStart(
        [],
        cleanEnv({
          ELECTRON_MIRROR: 'http://electron-download.invalid/',
          electron_config_cache: cache,
        }),
        35_000,
      );
      expectPlainFailure(run, /no network: electron-download\.invalid cannot be resolved/);
    },
  );

  it('when the download is refused: names the answer', { timeout: 40_000 }, async () => {
    const run = await npmStart(
      [],
      cleanEnv({ ELECTRON_MIRROR: refusingUrl, electron_config_cache: cache }),
      35_000,
    );
    expectPlainFailure(run, /download server refused it \(HTTP 403 Forbidden\)/);
  });

  it(
    'when the download is turned off (ELECTRON_SKIP_BINARY_DOWNLOAD, as in CI)',
    { timeout: 40_000 },
    async () => {
      const run = await npmStart([], cleanEnv({ ELECTRON_SKIP_BINARY_DOWNLOAD: '1' }), 35_000);
      expectPlainFailure(run, /download is turned off \(ELECTRON_SKIP_BINARY_DOWNLOAD is set\)/);
    },
  );
});
