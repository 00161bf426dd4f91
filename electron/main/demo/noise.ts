/**
 * Deterministic randomness for the simulator: the same seed, service and instant always
 * give the same draw, so the live servers and the seeded history tell one consistent
 * story, and tests can predict what a service does at a given time.
 */

/** A uniform draw in [0, 1) from a seed and any number of integer or string keys. */
export function uniform(seed: number, ...keys: (number | string)[]): number {
  let h = 0x811c9dc5 ^ (seed >>> 0);
  for (const k of keys) {
    const s = typeof k === 'number' ? String(Math.floor(k)) : k;
    for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
    h = Math.imul(h ^ 0x2f, 0x01000193);
  }
  return mix32(h) / 4294967296;
}

/** murmur3's finaliser: spreads FNV's weak low bits over the whole word. */
function mix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

/** A standard normal draw (Box–Muller) from two uniforms. */
export function normal(u1: number, u2: number): number {
  return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
}

/** A log-normal draw with the given median; sigma shapes the tail (0.3 tight, 1 heavy). */
export function logNormal(median: number, sigma: number, u1: number, u2: number): number {
  return median * Math.exp(sigma * normal(u1, u2));
}

export function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}
