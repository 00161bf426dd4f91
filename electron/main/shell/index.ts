import electron from 'electron';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveDataDir } from '../config/data-dir';
import { createLogger } from '../core/logger';
import { loginItemFor } from './login-item';
import { startMonitorWorker } from './monitor-host';
import { startShell } from './shell';
import { superviseMonitor } from './supervisor';

/**
 * The desktop app's entry (package.json "main" → out/main/index.js): the one runtime import
 * of 'electron', injected into the shell. Paths are relative to this bundle; inside a
 * package the tray icons come from app.asar.unpacked because tray hosts (AppIndicator,
 * the Windows shell) read them by path, outside Electron's asar support.
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const log = createLogger();

const shell = startShell({
  electron,
  platform: process.platform,
  paths: {
    iconsDir: path
      .join(root, 'resources', 'icons')
      .replace(/app\.asar(?=[\\/])/, 'app.asar.unpacked'),
    preload: path.join(root, 'out', 'preload', 'index.cjs'),
    rendererDir: path.join(root, 'out', 'renderer'),
  },
  startMonitor: async () =>
    superviseMonitor(
      (attempt) =>
        startMonitorWorker({ dataDir: resolveDataDir(), lockWaitMs: attempt > 0 ? 30_000 : 0 }),
      {
        onRestart: (reason, attempt) => log.error({ attempt }, `core restarted: ${reason.message}`),
      },
    ),
  loginItem: loginItemFor(
    process.platform,
    electron.app,
    process.env,
    process.execPath,
    os.homedir(),
  ),
  devServerUrl: electron.app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL,
  log: (message) => log.warn(message),
});

shell?.ready.catch((err: unknown) => {
  log.error({ err }, 'the desktop shell failed to start');
  electron.app.quit();
});
