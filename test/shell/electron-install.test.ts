import fs from 'node:fs';
import fsp from 'node:fs/promises';
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  electronPackage,
  installElectron,
  locateElectron,
  type ElectronPackage,
} from '../../scripts/electron-binary';
import { makeTmpDir, removeDir } from '../helpers/tmp-dir';
import { ROOT } from './built-app';

/**
 * What `npm start` does on a desktop with internet, with the internet replaced by a mirror on
 * 127.0.0.1 (ELECTRON_MIRROR): electron's own installer (install.js, @electron/get, the
 * native unzip) runs for real on this Node, against a copy of the electron package, so the
 * project's node_modules is never touched. The zip is a stand-in with the real layout.
 */

const ZIP = fs.readFileSync(
  path.join(ROOT, 'test/shell/fixtures/stub-electron/electron-v45.5.0-linux-x64.zip'),
);
const real = electronPackage();

let mirror: http.Server;
let mirrorUrl: string;
let served: Buffer = ZIP;
let zipGone = false;
let tmp: string;
let pkg: ElectronPackage;

const sha256 = (b: Buffer): string => crypto.createHash('sha256').update(b).digest('hex');

beforeAll(async () => {
  mirror = http.createServer((req, res) => {
    const name = `electron-v${real.version}-linux-x64.zip`;
    if (req.url === `/v${real.version}/${name}` && !zipGone) res.end(served);
    else if (req.url === `/v${real.version}/SHASUMS256.txt`)
      res.end(`${sha256(served)} *${name}\n`);
    else {
      res.statusCode = 404;
      res.end();
    }
  });
  await new Promise<void>((r) => mirror.listen(0, '127.0.0.1', r));
  mirrorUrl = `http://127.0.0.1:${(mirror.address() as AddressInfo).port}/`;
});
afterAll(() => new Promise<void>((r) => mirror.close(() => r())));

beforeEach(async () => {
  tmp = await makeTmpDir('opspulse-electron-pkg-');
  const dir = path.join(tmp, 'node_modules', 'electron');
  await fsp.mkdir(dir, { recursive: true });
  for (const f of ['package.json', 'install.js', 'checksums.json', 'index.js'])
    await fsp.copyFile(path.join(real.dir, f), path.join(dir, f));
  pkg = { dir, version: real.version };
  served = ZIP;
  zipGone = false;
});
afterEach(async () => removeDir(tmp));

/** The installer's environment: the mirror, its checksums, an empty cache, Linux x64. */
function env(): NodeJS.ProcessEnv {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^(ELECTRON_|electron_)/.test(k)),
  );
  return {
    ...clean,
    // install.js requires @electron/get by name: from the copy, through the real tree.
    NODE_PATH: path.join(ROOT, 'node_modules'),
    ELECTRON_MIRROR: mirrorUrl,
    electron_use_remote_checksums: '1',
    electron_config_cache: path.join(tmp, 'cache'),
    ELECTRON_INSTALL_PLATFORM: 'linux',
    ELECTRON_INSTALL_ARCH: 'x64',
    ELECTRON_GET_NO_PROGRESS: '1',
  };
}

describe("electron's installer, as npm start runs it", () => {
  it('downloads, checks, unzips and leaves a binary that npm start then finds', async () => {
    expect(locateElectron(pkg, {}).ok).toBe(false);
    const said: string[] = [];
    const result = await installElectron(pkg, env(), (l) => said.push(l));
    expect(result).toEqual({ ok: true });
    expect(said).toEqual([
      `Downloading Electron ${real.version} (about 100 MB, once) with electron's installer…`,
      'Electron installed.',
    ]);
    expect(fs.readFileSync(path.join(pkg.dir, 'path.txt'), 'utf8')).toBe('electron');
    const found = locateElectron(pkg, {});
    expect(found).toEqual({
      ok: true,
      executable: path.join(pkg.dir, 'dist', 'electron'),
      source: 'node_modules/electron',
    });
    // And it was cached: a second install (a fresh clone) needs no download.
    await fsp.rm(path.join(pkg.dir, 'dist'), { recursive: true });
    await fsp.rm(path.join(pkg.dir, 'path.txt'));
    zipGone = true;
    expect(await installElectron(pkg, env(), () => undefined)).toEqual({ ok: true });
  });

  it('removes a half-unzipped dist/ when the archive is broken', async () => {
    // Passes the checksum (the mirror's list matches it) but is cut short mid-archive.
    served = ZIP.subarray(0, ZIP.length - 60);
    const result = await installElectron(pkg, env(), () => undefined);
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.reason).toMatch(/^electron's installer failed: /);
    expect(fs.existsSync(path.join(pkg.dir, 'dist'))).toBe(false);
    expect(fs.existsSync(path.join(pkg.dir, 'path.txt'))).toBe(false);
  });

  it('says when the checksum does not match', async () => {
    const e = { ...env(), electron_use_remote_checksums: '' };
    // Without remote checksums the installer checks against electron's own list.
    const result = await installElectron(pkg, e, () => undefined);
    expect(result).toEqual({ ok: false, reason: 'the downloaded file did not match its checksum' });
    expect(fs.existsSync(path.join(pkg.dir, 'dist'))).toBe(false);
  });
});
