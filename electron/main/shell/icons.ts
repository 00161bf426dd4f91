import path from 'node:path';
import type { HealthState } from '../../../shared/health';

/** Tray colours per state; scripts/make-icons.ts draws them and a test reads them back. */
export const STATE_COLOURS: Record<HealthState, readonly [number, number, number]> = {
  ok: [0x2e, 0x9e, 0x44],
  warn: [0xf0, 0xa3, 0x0a],
  crit: [0xd9, 0x30, 0x25],
  unknown: [0x8a, 0x8f, 0x98],
  paused: [0x8a, 0x8f, 0x98],
};

/** Base sizes in px; each also has an @2x file that Electron picks on high-DPI screens. */
export const TRAY_SIZES = [16, 32] as const;

export function colourIconName(state: HealthState, size: (typeof TRAY_SIZES)[number]): string {
  return `tray-${state}-${size}.png`;
}

/** macOS menu-bar images are templates (black + alpha, recoloured by the OS); 16 pt. */
export function templateIconName(state: HealthState): string {
  return `tray-${state}Template.png`;
}

export const APP_ICON = 'icon.png';

/**
 * The tray image for a state on a platform. Windows trays draw 16 px (32 at 200 %), Linux
 * AppIndicator panels 22–24 px so the 32 px image scales down cleanly; macOS needs a
 * template, whose colour cannot carry the state, so the shell also sets a title.
 */
export function trayIconPath(
  iconsDir: string,
  state: HealthState,
  platform: NodeJS.Platform,
): string {
  if (platform === 'darwin') return path.join(iconsDir, templateIconName(state));
  return path.join(iconsDir, colourIconName(state, platform === 'win32' ? 16 : 32));
}
