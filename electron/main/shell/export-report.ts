import fs from 'node:fs/promises';
import path from 'node:path';
import type { MonitorApi, ReportFormat } from '../../../shared/api';
import type { ElectronLike } from './electron-api';

export interface ExportDeps {
  api: Pick<MonitorApi, 'exportReport'>;
  electron: Pick<ElectronLike, 'dialog' | 'shell'>;
  /** The folder the save dialog starts in (the user's Downloads). */
  defaultDir: string;
  /** A native notice with an optional click action. */
  notify(title: string, body: string, onClick?: () => void): void;
  now: () => number;
}

const FILTERS: Record<ReportFormat, { name: string; extensions: string[] }> = {
  md: { name: 'Markdown', extensions: ['md'] },
  json: { name: 'JSON', extensions: ['json'] },
  html: { name: 'HTML page', extensions: ['html'] },
};

/**
 * Tray "Export report": the core renders the report, the user picks where it goes, and a
 * notice offers "Show in folder". Returns the written path, or null when cancelled or
 * failed (a failure is told to the user, never thrown into the menu handler).
 */
export async function exportReportToFile(
  deps: ExportDeps,
  hours: number,
  format: ReportFormat,
): Promise<string | null> {
  try {
    const to = deps.now();
    const file = await deps.api.exportReport({ from: to - hours * 3_600_000, to, format });
    const choice = await deps.electron.dialog.showSaveDialog({
      title: 'Export OpsPulse report',
      defaultPath: path.join(deps.defaultDir, path.basename(file.filename)),
      filters: [FILTERS[format]],
    });
    if (choice.canceled || !choice.filePath) return null;
    const dest = choice.filePath;
    await fs.writeFile(dest, file.content, 'utf8');
    deps.notify('Report saved', `${path.basename(dest)}: click to show it in its folder`, () =>
      deps.electron.shell.showItemInFolder(dest),
    );
    return dest;
  } catch (err) {
    deps.notify('Report export failed', errorText(err));
    return null;
  }
}

/** MonitorApi rejects with an Error or, for a refused request, FieldError[]. */
export function errorText(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (Array.isArray(err))
    return err
      .map((f: { path?: unknown; message?: unknown }) => `${String(f.path)}: ${String(f.message)}`)
      .join('; ');
  return String(err);
}
