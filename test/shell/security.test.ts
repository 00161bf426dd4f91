import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanElectronSources, SCANNED } from '../../scripts/security';
import { makeTmpDir, removeDir } from '../helpers/tmp-dir';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

describe('electronegativity (npm run security)', () => {
  let fixture: string;

  beforeAll(async () => {
    fixture = await makeTmpDir('opspulse-eneg-fixture-');
    await fs.writeFile(
      path.join(fixture, 'bad-window.js'),
      [
        "const { BrowserWindow } = require('electron');",
        'const win = new BrowserWindow({',
        '  webPreferences: { nodeIntegration: true, contextIsolation: false, sandbox: false },',
        '});',
        "win.loadURL('http://example.com/');",
      ].join('\n'),
    );
  });
  afterAll(() => removeDir(fixture));

  it(
    'finds nothing above informational in the shell, preload and renderer',
    { timeout: 180_000 },
    async () => {
      const report = await scanElectronSources(ROOT, SCANNED);
      expect(report.parseErrors).toEqual([]);
      expect(report.failing.map((f) => `${f.id} ${f.file}:${f.location.line}`)).toEqual([]);
    },
  );

  it(
    'fails an insecure window, so a clean result means something',
    { timeout: 180_000 },
    async () => {
      const report = await scanElectronSources(fixture, ['bad-window.js']);
      const ids = report.failing.map((f) => f.id);
      expect(ids).toContain('SANDBOX_JS_CHECK');
      expect(ids).toContain('LIMIT_NAVIGATION_GLOBAL_CHECK');
      expect(ids).toContain('CONTEXT_ISOLATION_JS_CHECK');
    },
  );
});
