import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HEALTH_STATES } from '../../shared/health';
import { colourIconName, templateIconName } from '../../electron/main/shell/icons';
import { makeTmpDir, removeDir } from '../helpers/tmp-dir';
import { ENTRIES, ensureBuilt, ROOT, run } from './built-app';

interface AsarDir {
  files: Record<string, AsarDir | { size: number; unpacked?: boolean }>;
}

/** The file list of an asar archive: a pickled JSON header after 16 bytes of sizes. */
function listAsar(file: string): Map<string, { unpacked: boolean }> {
  const fd = fs.openSync(file, 'r');
  try {
    const sizes = Buffer.alloc(16);
    fs.readSync(fd, sizes, 0, 16, 0);
    const json = Buffer.alloc(sizes.readUInt32LE(12));
    fs.readSync(fd, json, 0, json.length, 16);
    const out = new Map<string, { unpacked: boolean }>();
    const walk = (dir: AsarDir, prefix: string) => {
      for (const [name, node] of Object.entries(dir.files)) {
        const p = `${prefix}/${name}`;
        if ('files' in node) walk(node, p);
        else out.set(p.slice(1), { unpacked: node.unpacked === true });
      }
    };
    walk(JSON.parse(json.toString('utf8')) as AsarDir, '');
    return out;
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Packaging smoke test: electron-builder --dir with a stub Electron (the real one cannot be
 * downloaded here) must produce an app.asar holding the entry points, with the tray icons
 * unpacked beside it. Builds out/ first if it is missing.
 */
describe('electron-builder --dir', () => {
  let tmp: string;
  let unpacked: string;

  beforeAll(async () => {
    await ensureBuilt();
    tmp = await makeTmpDir('opspulse-package-');
    const stub = path.join(tmp, 'electron-dist');
    fs.mkdirSync(stub);
    fs.writeFileSync(path.join(stub, 'electron'), '#!/bin/sh\n', { mode: 0o755 });
    await run(
      'npx',
      [
        'electron-builder',
        '--dir',
        '--linux',
        '--x64',
        `-c.electronDist=${stub}`,
        `-c.directories.output=${path.join(tmp, 'dist')}`,
      ],
      { cwd: ROOT, timeout: 200_000, env: { ...process.env, CI: 'true' } },
    );
    unpacked = path.join(tmp, 'dist', 'linux-unpacked');
  }, 400_000);

  afterAll(() => (tmp ? removeDir(tmp) : undefined));

  it('packs the entry points and package.json whose main is one of them', () => {
    const files = listAsar(path.join(unpacked, 'resources', 'app.asar'));
    for (const entry of ENTRIES) expect(files.has(entry), entry).toBe(true);
    expect(files.has('package.json')).toBe(true);
    const main = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'))
      .main as string;
    expect(files.has(path.posix.normalize(main))).toBe(true);
    expect([...files.keys()].some((f) => f.startsWith('node_modules/zod/'))).toBe(true);
    const ours = [...files.keys()].filter((f) => !f.startsWith('node_modules/'));
    expect(ours.filter((f) => f.endsWith('.ts') || f.startsWith('test/'))).toEqual([]);
  });

  it('unpacks every tray icon next to the asar, where tray hosts can read it', () => {
    const files = listAsar(path.join(unpacked, 'resources', 'app.asar'));
    const icons = path.join(unpacked, 'resources', 'app.asar.unpacked', 'resources', 'icons');
    for (const state of HEALTH_STATES) {
      for (const name of [
        colourIconName(state, 16),
        colourIconName(state, 32),
        templateIconName(state),
      ]) {
        expect(files.get(`resources/icons/${name}`)?.unpacked, name).toBe(true);
        expect(fs.existsSync(path.join(icons, name)), name).toBe(true);
      }
    }
  });

  it('names the Linux executable opspulse', () => {
    expect(fs.existsSync(path.join(unpacked, 'opspulse'))).toBe(true);
  });
});
