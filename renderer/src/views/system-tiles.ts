/** The machine at a glance: which series, and where each turns amber and red. */
export interface SystemTile {
  /** A series name, or `sys.disk.` for one tile per mount. */
  series: string;
  label: string;
  unit: 'pct' | 'rate';
  warn?: number;
  crit?: number;
}

export const SYSTEM_TILES: SystemTile[] = [
  { series: 'sys.cpu', label: 'CPU', unit: 'pct', warn: 80, crit: 95 },
  { series: 'sys.mem', label: 'Memory', unit: 'pct', warn: 85, crit: 95 },
  { series: 'sys.disk.', label: 'Disk', unit: 'pct', warn: 85, crit: 95 },
  { series: 'sys.net.rx', label: 'Network in', unit: 'rate' },
  { series: 'sys.net.tx', label: 'Network out', unit: 'rate' },
];

export function systemState(tile: SystemTile, v: number | undefined): string {
  if (v === undefined) return 'unknown';
  if (tile.crit !== undefined && v >= tile.crit) return 'crit';
  if (tile.warn !== undefined && v >= tile.warn) return 'warn';
  return 'ok';
}
