import { RATE_UNITS } from '../format';

/**
 * Axis labels in one unit per axis, picked from the largest tick, so "5000 ms" never sits
 * beside "10.0 s" and "900 kB/s" beside "1.2 MB/s".
 */
function scaled(
  splits: number[],
  units: readonly string[],
  base: number,
  digits: number,
): string[] {
  let top = 0;
  for (const v of splits) if (Number.isFinite(v)) top = Math.max(top, Math.abs(v));
  let i = 0;
  let div = 1;
  while (top / div >= base && i < units.length - 1) {
    div *= base;
    i++;
  }
  const fine = splits.some((v) => Math.abs(v / div - Math.round(v / div)) > 1e-9);
  return splits.map((v) => `${(v / div).toFixed(fine ? digits : 0)} ${units[i]}`);
}

/** Milliseconds up to 10 s, seconds beyond. */
export function latencyAxis(splits: number[]): string[] {
  let top = 0;
  for (const v of splits) if (Number.isFinite(v)) top = Math.max(top, Math.abs(v));
  if (top >= 10_000) {
    const fine = splits.some((v) => Math.abs(v / 1000 - Math.round(v / 1000)) > 1e-9);
    return splits.map((v) => `${(v / 1000).toFixed(fine ? 1 : 0)} s`);
  }
  const fine = splits.some((v) => Math.abs(v - Math.round(v)) > 1e-9);
  return splits.map((v) => `${v.toFixed(fine ? 1 : 0)} ms`);
}

/** Decimal SI byte rates. */
export function rateAxis(splits: number[]): string[] {
  return scaled(splits, RATE_UNITS, 1000, 1);
}

export function pctAxis(splits: number[]): string[] {
  return splits.map((v) => `${Math.round(v)} %`);
}

/**
 * A log latency axis: only the decades are labelled (1 ms, 10 ms, … 10000 ms), all in ms,
 * so the minor grid lines carry no clutter of labels.
 */
export function latencyLogAxis(splits: number[]): string[] {
  return splits.map((v) => {
    const exp = Math.log10(v);
    return Math.abs(exp - Math.round(exp)) < 1e-9 ? `${Math.round(v)} ms` : '';
  });
}
