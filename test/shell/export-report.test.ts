import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportReportToFile, type ExportDeps } from '../../electron/main/shell/export-report';
import { createFakeElectron, type FakeElectron } from './fake-electron';
import { ScriptedMonitor } from './scripted-monitor';

const NOW = Date.UTC(2026, 10, 25, 12, 0);

describe('tray "Export report"', () => {
  let dir: string;
  let electron: FakeElectron;
  let monitor: ScriptedMonitor;
  let notices: { title: string; body: string; onClick?: () => void }[];
  let deps: ExportDeps;

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'opspulse-export-'));
    electron = createFakeElectron(dir);
    monitor = new ScriptedMonitor();
    notices = [];
    deps = {
      api: monitor,
      electron,
      defaultDir: dir,
      notify: (title, body, onClick) => notices.push({ title, body, onClick }),
      now: () => NOW,
    };
  });
  afterEach(() => fs.rm(dir, { recursive: true, force: true }));

  it('asks the core for the range, offers a default name, writes the chosen file', async () => {
    const chosen = path.join(dir, 'weekly.html');
    electron.saveDialog.answer = { canceled: false, filePath: chosen };
    expect(await exportReportToFile(deps, 24 * 7, 'html')).toBe(chosen);
    expect(monitor.calls).toEqual([
      { method: 'exportReport', args: [{ from: NOW - 7 * 86_400_000, to: NOW, format: 'html' }] },
    ]);
    expect(electron.saveDialog.asked[0].defaultPath).toBe(
      path.join(dir, 'opspulse-report-168h.html'),
    );
    expect(await fs.readFile(chosen, 'utf8')).toBe(`report html ${NOW - 7 * 86_400_000}..${NOW}`);
  });

  it('then offers "Show in folder" through a notification', async () => {
    const chosen = path.join(dir, 'r.md');
    electron.saveDialog.answer = { canceled: false, filePath: chosen };
    await exportReportToFile(deps, 24, 'md');
    expect(notices).toHaveLength(1);
    expect(notices[0].title).toBe('Report saved');
    notices[0].onClick?.();
    expect(electron.shown).toEqual([chosen]);
  });

  it('writes nothing when the dialog is cancelled', async () => {
    electron.saveDialog.answer = { canceled: true };
    expect(await exportReportToFile(deps, 24, 'json')).toBeNull();
    expect(await fs.readdir(dir)).toEqual([]);
    expect(notices).toEqual([]);
  });

  it('tells the user when writing fails instead of throwing into the menu', async () => {
    electron.saveDialog.answer = { canceled: false, filePath: path.join(dir, 'missing', 'r.md') };
    expect(await exportReportToFile(deps, 24, 'md')).toBeNull();
    expect(notices[0].title).toBe('Report export failed');
    expect(notices[0].body).toMatch(/ENOENT/);
  });

  it('keeps a file name from the core inside the chosen folder', async () => {
    deps.api = {
      exportReport: async () => ({
        filename: '../../etc/evil.md',
        mime: 'text/markdown',
        content: '',
      }),
    };
    electron.saveDialog.answer = { canceled: true };
    await exportReportToFile(deps, 24, 'md');
    expect(electron.saveDialog.asked[0].defaultPath).toBe(path.join(dir, 'evil.md'));
  });
});
