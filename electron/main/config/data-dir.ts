import os from 'node:os';
import path from 'node:path';

/**
 * Where OpsPulse keeps config, samples and state: `--data DIR`, else OPSPULSE_DATA, else
 * the per-user app data folder, the same one Electron's `userData` uses, so the desktop
 * app and the CLI share one history.
 */
export function resolveDataDir(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (explicit) return path.resolve(explicit);
  if (env.OPSPULSE_DATA) return path.resolve(env.OPSPULSE_DATA);
  return path.join(appDataRoot(env), 'opspulse');
}

function appDataRoot(env: NodeJS.ProcessEnv): string {
  const home = os.homedir();
  switch (process.platform) {
    case 'win32':
      return env.APPDATA ?? path.join(home, 'AppData', 'Roaming');
    case 'darwin':
      return path.join(home, 'Library', 'Application Support');
    default:
      return env.XDG_CONFIG_HOME ?? path.join(home, '.config');
  }
}
