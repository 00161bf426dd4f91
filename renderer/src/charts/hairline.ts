/** One device pixel: wider lines cost 4-8x to draw on HiDPI screens (MEASUREMENTS.md). */
export function hairline(): number {
  return 1 / (window.devicePixelRatio || 1);
}
