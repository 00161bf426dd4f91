/**
 * Chart colours. Lines use a palette readable on both the light and the dark background;
 * axes, grid and shading come from CSS variables so they follow the OS theme.
 */
export const PALETTE = [
  // Each at least 3:1 against the panel in both themes (white and #171a21), and none
  // the red of down shading.
  '#2f6fdb',
  '#c2410c',
  '#0f8a5f',
  '#7c4ddb',
  '#0e7f93',
  '#d6336c',
  '#a16207',
  '#4f5bd5',
  '#5f7f1a',
  '#b5478f',
  '#6b6fb0',
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

function onSchemeChange(): void {
  current = read();
  for (const l of listeners) l();
}

/**
 * Calls fn when the OS switches between light and dark. One media-query listener serves
 * every chart: added with the first subscriber, removed with the last, so charts rebuilt
 * again and again leave nothing behind.
 */
export function onThemeChange(fn: () => void): () => void {
  const query = matchMedia('(prefers-color-scheme: dark)');
  if (listeners.size === 0) query.addEventListener('change', onSchemeChange);
  listeners.add(fn);
  return () => {
    if (listeners.delete(fn) && listeners.size === 0)
      query.removeEventListener('change', onSchemeChange);
  };
}

export function colorAt(i: number): string {
  return PALETTE[i % PALETTE.length];
}

/** `#rrggbb` at an alpha, for min/max bands. */
export function withAlpha(hex: string, alpha: number): string {
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}
