export const PRESETS = {
  '1h': 3_600_000,
  '24h': 86_400_000,
  '7d': 7 * 86_400_000,
  '30d': 30 * 86_400_000,
  '1y': 365 * 86_400_000,
} as const;
export type Preset = keyof typeof PRESETS;

/** A preset slides with the clock and takes live points; a custom range is fixed. */
export type RangeSpec = { preset: Preset } | { from: number; to: number };

export interface Range {
  from: number;
  to: number;
  live: boolean;
  label: string;
}

export function resolveRange(spec: RangeSpec, now: number): Range {
  if ('preset' in spec) {
    return { from: now - PRESETS[spec.preset], to: now, live: true, label: spec.preset };
  }
  return { from: spec.from, to: spec.to, live: spec.to >= now, label: 'custom' };
}
