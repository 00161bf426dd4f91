/** Moves the k-th smallest of a[left..right] to a[k], smaller before it, larger after. */
function select(a: Float64Array, k: number, left: number, right: number): void {
  while (right > left) {
    // Median of three as pivot keeps sorted and constant runs from going quadratic.
    const mid = (left + right) >>> 1;
    const pivot = Math.max(
      Math.min(a[left], a[mid]),
      Math.min(Math.max(a[left], a[mid]), a[right]),
    );
    let i = left;
    let j = right;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const tmp = a[i];
        a[i] = a[j];
        a[j] = tmp;
        i++;
        j--;
      }
    }
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else return;
  }
}

/**
 * Quantiles by linear interpolation between closest ranks (the "type 7" definition of R
 * and NumPy: p50 of [1, 2] is 1.5), without sorting: one selection per quantile, O(n)
 * each instead of O(n log n). Reorders `scratch`, which must be a copy. Null for no values.
 */
export function quantilesSelect(scratch: Float64Array, qs: readonly number[]): (number | null)[] {
  const n = scratch.length;
  if (n === 0) return qs.map(() => null);
  const order = qs.map((q, i) => ({ q: Math.min(1, Math.max(0, q)), i }));
  order.sort((x, y) => x.q - y.q);
  const out = new Array<number | null>(qs.length).fill(null);
  let left = 0;
  for (const { q, i } of order) {
    const pos = (n - 1) * q;
    const lo = Math.floor(pos);
    select(scratch, lo, left, n - 1);
    const vlo = scratch[lo];
    let vhi = vlo;
    if (pos > lo) {
      vhi = Infinity;
      for (let j = lo + 1; j < n; j++) if (scratch[j] < vhi) vhi = scratch[j];
    }
    out[i] = vlo + (vhi - vlo) * (pos - lo);
    left = lo;
  }
  return out;
}
