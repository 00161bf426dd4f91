/** An append-only list of numbers in one typed array: 8 bytes a value, no boxing. */
export class F64Buffer {
  private data: Float64Array;
  length = 0;

  constructor(capacity = 256) {
    this.data = new Float64Array(capacity);
  }

  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Float64Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }

  /** A copy of values [start, end). */
  slice(start = 0, end = this.length): Float64Array {
    return this.data.slice(start, end);
  }
}
