import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../electron/main/shell/protocol';
import { ensureBuilt, ROOT, run, startAppFixture, type AppFixture } from './built-app';

interface Seen {
  trayImages: { image: string; exists: boolean }[];
  toolTips: string[];
  preload: { path: string; exists: boolean };
  page: { status: number; csp: string; url: string };
  ipc: { ok: boolean; value: { targets: { id: string }[] } };
  errors: string[];
}

/**
 * Boots the BUILT desktop entry (out/main/index.js) under plain Node, with 'electron'
 * resolved to a scripted stand-in (fixtures/fake-electron-runtime.mjs): this catches what
 * the source-level tests cannot — bundle layout, worker paths from the bundle, preload and
 * icon paths relative to it.
 */
describe('the built app', () => {
  let fixture: AppFixture;
  let dir: string;

  beforeAll(async () => {
    await ensureBuilt();
    fixture = await startAppFixture('opspulse-built-');
    dir = fixture.dir;
  }, 200_000);

  afterAll(async () => {
    await fixture?.close();
  });

  it('has a self-contained CommonJS preload, as the sandbox requires', async () => {
    const preload = await fs.readFile(path.join(ROOT, 'out', 'preload', 'index.cjs'), 'utf8');
    const required = [...preload.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]);
    expect([...new Set(required)]).toEqual(['electron']);
    expect(preload).not.toMatch(/^\s*(import|export)\s/m);
    expect(preload).toContain('exposeInMainWorld("opspulse"');
  });

  it(
    'starts, follows its core to green, serves its page and IPC, and quits',
    { timeout: 120_000 },
    async () => {
      const { stdout } = await run(
        process.execPath,
        ['--import', './test/shell/fixtures/register-fake-electron.mjs', 'out/main/index.js'],
        {
          cwd: ROOT,
          timeout: 100_000,
          env: { ...process.env, OPSPULSE_DATA: dir, OPSPULSE_LOG: 'silent' },
        },
      );
      const seen = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Seen;
      expect(seen.errors).toEqual([]);
      expect(seen.trayImages.at(-1)?.image).toBe(
        path.join(ROOT, 'resources', 'icons', 'tray-ok-32.png'),
      );
      expect(seen.trayImages.every((i) => i.exists)).toBe(true);
      expect(seen.preload).toEqual({
        path: path.join(ROOT, 'out', 'preload', 'index.cjs'),
        exists: true,
      });
      expect(seen.page).toEqual({
        status: 200,
        csp: CONTENT_SECURITY_POLICY,
        url: 'app://opspulse/index.html',
      });
      expect(seen.ipc.ok).toBe(true);
      expect(seen.ipc.value.targets.map((t) => t.id)).toEqual(['web']);
    },
  );
});
