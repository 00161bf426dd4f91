import { spawn } from 'node:child_process';
import dns from 'node:dns/promises';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/**
 * Finds the Electron executable `npm start` runs, and gets it through electron's own
 * installer when it is missing.
 *
 * Why this exists: electron 45 downloads its binary lazily (no install script; its
 * `install-electron` bin, or `require('electron')`, fetches it), while electron-vite only
 * reads node_modules/electron/path.txt and throws "Electron uninstall" without it. So a
 * fresh `npm install && npm start` needs this step in between.
 *
 * The installer (node_modules/electron/install.js) uses @electron/get: a plain fetch with no
 * timeout into a temp dir under os.tmpdir(), a checksum check, a move into the download
 * cache, then an unzip into node_modules/electron/dist and, last, path.txt. It is run as a
 * child with its own TMPDIR so its progress can be watched: no byte within FIRST_BYTE_MS, or
 * no new byte for STALL_MS, and it is stopped. On any failure a partial dist/ is removed so
 * the next run starts clean.
 */

const FIRST_BYTE_MS = 20_000;
const STALL_MS = 60_000;
const PROBE_MS = 3_000;

const require = createRequire(import.meta.url);

export interface ElectronPackage {
  dir: string;
  version: string;
}

export function electronPackage(): ElectronPackage {
  const pkgFile = require.resolve('electron/package.json');
  const { version } = JSON.parse(fs.readFileSync(pkgFile, 'utf8')) as { version: string };
  return { dir: path.dirname(pkgFile), version };
}

/** The executable's path inside a dist folder, as electron's installer names it. */
export function platformPath(platform: NodeJS.Platform = process.platform): string {
  if (platform === 'darwin') return 'Electron.app/Contents/MacOS/Electron';
  if (platform === 'win32') return 'electron.exe';
  return 'electron';
}

export type Located =
  { ok: true; executable: string; source: string } | { ok: false; problem: string };

/**
 * Where the executable is, honouring in order ELECTRON_EXEC_PATH (a system Electron, read by
 * electron-vite), ELECTRON_OVERRIDE_DIST_PATH (a dist folder, read by electron's own
 * package) and the installed dist/ with its path.txt.
 */
export function locateElectron(pkg: ElectronPackage, env = process.env): Located {
  if (env.ELECTRON_EXEC_PATH) {
    const exe = path.resolve(env.ELECTRON_EXEC_PATH);
    return fs.existsSync(exe)
      ? { ok: true, executable: exe, source: 'ELECTRON_EXEC_PATH' }
      : { ok: false, problem: `ELECTRON_EXEC_PATH points at ${exe}, which does not exist` };
  }
  const pathTxt = readText(path.join(pkg.dir, 'path.txt'));
  if (env.ELECTRON_OVERRIDE_DIST_PATH) {
    const exe = path.resolve(env.ELECTRON_OVERRIDE_DIST_PATH, pathTxt ?? platformPath());
    return fs.existsSync(exe)
      ? { ok: true, executable: exe, source: 'ELECTRON_OVERRIDE_DIST_PATH' }
      : {
          ok: false,
          problem: `ELECTRON_OVERRIDE_DIST_PATH is set, but it has no Electron at ${exe}`,
        };
  }
  const dist = path.join(pkg.dir, 'dist');
  const installed = readText(path.join(dist, 'version'))?.trim().replace(/^v/, '');
  if (pathTxt && installed === pkg.version && fs.existsSync(path.join(dist, pathTxt))) {
    return { ok: true, executable: path.join(dist, pathTxt), source: 'node_modules/electron' };
  }
  return {
    ok: false,
    problem: `the Electron ${pkg.version} binary is not installed (${path.relative(process.cwd(), dist) || dist} is ${fs.existsSync(dist) ? 'incomplete' : 'missing'})`,
  };
}

export type InstallResult = { ok: true } | { ok: false; reason: string };

/** Runs electron's installer, watched; on failure leaves no partial dist/ or path.txt. */
export async function installElectron(
  pkg: ElectronPackage,
  env = process.env,
  log: (line: string) => void = (l) => process.stderr.write(`${l}\n`),
): Promise<InstallResult> {
  if (isSet(env.ELECTRON_SKIP_BINARY_DOWNLOAD)) {
    return {
      ok: false,
      reason: 'the download is turned off (ELECTRON_SKIP_BINARY_DOWNLOAD is set)',
    };
  }
  cleanPartialInstall(pkg);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'opspulse-electron-'));
  log(`Downloading Electron ${pkg.version} (about 100 MB, once) with electron's installer…`);
  try {
    const run = await runWatched(pkg, tmp, env, (mb) => log(`  ${mb.toFixed(0)} MB so far…`));
    if (run.ok) {
      log('Electron installed.');
      return run;
    }
    cleanPartialInstall(pkg);
    return { ok: false, reason: run.stopped ?? (await explain(run.reason, env)) };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

type Run = { ok: true } | { ok: false; reason: string; stopped?: string };

/** How often a long download says how far it got (its own progress bar is not shown). */
const PROGRESS_EVERY_MS = 10_000;

function runWatched(
  pkg: ElectronPackage,
  tmp: string,
  env: NodeJS.ProcessEnv,
  progress: (megabytes: number) => void,
): Promise<Run> {
  const child = spawn(process.execPath, [path.join(pkg.dir, 'install.js')], {
    cwd: pkg.dir,
    env: { ...env, TMPDIR: tmp, TMP: tmp, TEMP: tmp },
    stdio: ['ignore', 'inherit', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => (stderr += chunk));
  const started = Date.now();
  let lastBytes = 0;
  let lastGrowth = started;
  let lastReport = started;
  let stopped: string | null = null;
  const watch = setInterval(() => {
    const bytes = treeBytes(tmp) + treeBytes(path.join(pkg.dir, 'dist'));
    const now = Date.now();
    if (bytes !== lastBytes) {
      lastBytes = bytes;
      lastGrowth = now;
      if (now - lastReport >= PROGRESS_EVERY_MS) {
        lastReport = now;
        progress(bytes / 1e6);
      }
    } else if (lastBytes === 0 && now - started > FIRST_BYTE_MS) {
      stopped = `the download server did not answer within ${FIRST_BYTE_MS / 1000} s`;
    } else if (lastBytes > 0 && now - lastGrowth > STALL_MS) {
      stopped = `the download stalled for ${STALL_MS / 1000} s`;
    }
    if (stopped) child.kill();
  }, 500);
  // Ctrl+C mid-download: stop the installer here too, so the partial files are cleaned up.
  const interrupted = (): void => {
    stopped = 'the download was interrupted';
    child.kill();
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  const done = (): void => {
    clearInterval(watch);
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
  };
  return new Promise((resolve) => {
    child.on('error', (err) => {
      done();
      resolve({ ok: false, reason: err.message });
    });
    child.on('close', (code) => {
      done();
      if (stopped) resolve({ ok: false, reason: stopped, stopped });
      else if (code === 0) resolve({ ok: true });
      else resolve({ ok: false, reason: firstErrorLine(stderr) });
    });
  });
}

/** Turns the installer's error (it prints a stack) into one reason a person can act on. */
async function explain(reason: string, env: NodeJS.ProcessEnv): Promise<string> {
  const refused = /Response code (\d+) \(([^)]*)\)/.exec(reason);
  if (refused) return `the download server refused it (HTTP ${refused[1]} ${refused[2]})`;
  if (/checksum|sha256/i.test(reason)) return 'the downloaded file did not match its checksum';
  if (!/fetch failed|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|ECONNRESET/.test(reason)) {
    return `electron's installer failed: ${reason}`;
  }
  const url = new URL(
    env.ELECTRON_MIRROR || env.npm_config_electron_mirror || 'https://github.com/',
  );
  const port = Number(url.port) || (url.protocol === 'http:' ? 80 : 443);
  try {
    await withTimeout(dns.lookup(url.hostname), PROBE_MS);
  } catch {
    return `no network: ${url.hostname} cannot be resolved`;
  }
  const reached = await canConnect(url.hostname, port);
  return reached
    ? `the download from ${url.host} failed (${reason})`
    : `no network: ${url.host} cannot be reached`;
}

function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, timeout: PROBE_MS });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('timeout', () => done(false));
    socket.once('error', () => done(false));
  });
}

/** The installer writes dist/ first and path.txt last; a failure may leave either behind. */
function cleanPartialInstall(pkg: ElectronPackage): void {
  const pathTxt = readText(path.join(pkg.dir, 'path.txt'));
  const complete =
    pathTxt !== null &&
    readText(path.join(pkg.dir, 'dist', 'version'))
      ?.trim()
      .replace(/^v/, '') === pkg.version &&
    fs.existsSync(path.join(pkg.dir, 'dist', pathTxt));
  if (complete) return;
  fs.rmSync(path.join(pkg.dir, 'dist'), { recursive: true, force: true });
  fs.rmSync(path.join(pkg.dir, 'path.txt'), { force: true });
}

function firstErrorLine(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trim());
  return lines.find((l) => l && !l.startsWith('at ')) ?? 'it exited with an error';
}

function treeBytes(dir: string): number {
  let total = 0;
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) total += treeBytes(p);
    else if (e.isFile()) total += fs.statSync(p, { throwIfNoEntry: false })?.size ?? 0;
  }
  return total;
}

function readText(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

function isSet(value: string | undefined): boolean {
  return value !== undefined && value !== '' && value !== '0' && value !== 'false';
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return Promise.race([
    p,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timed out')), ms).unref()),
  ]);
}
