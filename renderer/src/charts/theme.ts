/**
 * Chart colours. Lines use a palette readable on both the light and the dark background;
 * axes, grid and shading come from CSS variables so they follow the OS theme.
 */
export const PALETTE = [
  '#3b82f6',
  '#f59e0b',
  '#10b981',
  '#ef4444',
  '#8b5cf6',
  '#ec4899',
  '#14b8a6',
  '#eab308',
  '#6366f1',
  '#f97316',
  '#22c55e',
  '#a855f7',
];

export interface Theme {
  muted: string;
  grid: string;
  down: string;
}

let current: Theme | null = null;
const listeners = new Set<() => void>();

function read(): Theme {
  const css = getComputedStyle(document.documentElement);
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  return {
    muted: v('--muted', '#666'),
    grid: v('--grid', 'rgba(128,128,128,0.2)'),
    down: v('--down-rgb', '239, 68, 68'),
  };
}

export function theme(): Theme {
  current ??= read();
  return current;
}

/** Calls fn when the OS switches between light and dark. */
export function onThemeChange(fn: () => void): () => void {
  if (listeners.size === 0) {
    matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => {
      current = read();
      for (const l of listeners) l();
    });
  }
  listeners.add(fn);
  return () => listeners.delete(fn);
}

export function colorAt(i: number): string {
  return PALETTE[i % PALETTE.length];
}

/** `#rrggbb` at an alpha, for min/max bands. */
export function withAlpha(hex: string, alpha: number): string {
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}
