/**
 * Compact encoding of one Float64 column (NaN = no value) for the column sidecars.
 *
 * Stored values are decimals written with a few digits (25.455, 47.1, 12), so most
 * columns become small integers once scaled by a power of ten; those are written as
 * zigzag varint deltas (a sample every 5 s changes little), typically 1-3 bytes a value
 * instead of 8. A column that no scale reproduces exactly is kept as raw Float64, so the
 * encoding never changes a value.
 *
 *   CONST  value:f64                      every row holds the same value (or every row NaN)
 *   SAME   column:u8                      equal, row by row, to an earlier column of the group
 *   DEC    scale:u8 codes:varint*rows     code 0 = NaN, else zigzag(delta of scaled ints) + 1
 *   F64    values:f64*rows
 */
const CONST = 0;
const SAME = 1;
const DEC = 2;
const F64 = 3;

const MAX_SCALE = 6;
/** Scaled integers stay below 2^49 so that zigzag(delta) + 1 is still an exact double. */
const MAX_INT = 2 ** 49;

export class ByteWriter {
  private buf = new Uint8Array(1024);
  private view = new DataView(this.buf.buffer);
  length = 0;

  byte(b: number): void {
    this.room(1);
    this.buf[this.length++] = b;
  }

  f64(x: number): void {
    this.room(8);
    this.view.setFloat64(this.length, x, true);
    this.length += 8;
  }

  /** Bytes as they are. */
  raw(bytes: Uint8Array): void {
    this.room(bytes.length);
    this.buf.set(bytes, this.length);
    this.length += bytes.length;
  }

  /** A non-negative integer up to 2^53, 7 bits a byte. */
  varint(x: number): void {
    this.room(8);
    while (x >= 128) {
      this.buf[this.length++] = (x % 128) + 128;
      x = Math.floor(x / 128);
    }
    this.buf[this.length++] = x;
  }

  bytes(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }

  private room(n: number): void {
    if (this.length + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.length + n));
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }
}

export class ByteReader {
  private readonly view: DataView;
  pos: number;

  constructor(
    private readonly buf: Uint8Array,
    start: number,
    private readonly end: number,
  ) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    this.pos = start;
  }

  byte(): number {
    if (this.pos >= this.end) throw new Error('column: truncated');
    return this.buf[this.pos++];
  }

  f64(): number {
    if (this.pos + 8 > this.end) throw new Error('column: truncated');
    const x = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return x;
  }

  /**
   * Fills `out` with DEC codes turned back into values (scaled by 1/p). Inlined varints:
   * this loop is most of a cold query's time.
   */
  decimals(out: Float64Array, p: number): void {
    const buf = this.buf;
    const end = this.end;
    let pos = this.pos;
    let prev = 0;
    for (let i = 0; i < out.length; i++) {
      if (pos >= end) throw new Error('column: truncated');
      let b = buf[pos++];
      let code = b;
      if (b >= 128) {
        code = b & 127;
        let mul = 128;
        do {
          if (pos >= end || mul > 2 ** 49) throw new Error('column: bad varint');
          b = buf[pos++];
          code += (b & 127) * mul;
          mul *= 128;
        } while (b >= 128);
      }
      if (code === 0) {
        out[i] = NaN;
        continue;
      }
      const half = Math.floor((code - 1) / 2);
      prev += code - 1 === 2 * half ? half : -half - 1;
      out[i] = prev / p;
    }
    this.pos = pos;
  }
}

/** Writes a group of columns of equal length (a series' count, sum, min, max). */
export function encodeColumns(w: ByteWriter, cols: ArrayLike<number>[]): void {
  cols.forEach((col, ci) => {
    const same = cols.slice(0, ci).findIndex((earlier) => equalColumns(earlier, col));
    if (same >= 0) {
      w.byte(SAME);
      w.byte(same);
    } else encodeColumn(w, col);
  });
}

export function decodeColumns(r: ByteReader, count: number, rows: number): Float64Array[] {
  const out: Float64Array[] = [];
  for (let ci = 0; ci < count; ci++) {
    const kind = r.byte();
    if (kind === SAME) {
      const ref = r.byte();
      if (ref >= ci) throw new Error('column: bad reference');
      // Shared, not copied: decoded columns are only read (queries copy before they grow).
      out.push(out[ref]);
    } else out.push(decodeColumn(r, kind, rows));
  }
  return out;
}

function encodeColumn(w: ByteWriter, col: ArrayLike<number>): void {
  if (isConstant(col)) {
    w.byte(CONST);
    w.f64(col.length > 0 ? col[0] : NaN);
    return;
  }
  const scale = decimalScale(col);
  if (scale < 0 || !exactAt(col, 10 ** scale)) {
    w.byte(F64);
    for (let i = 0; i < col.length; i++) w.f64(col[i]);
    return;
  }
  w.byte(DEC);
  w.byte(scale);
  const p = 10 ** scale;
  let prev = 0;
  for (let i = 0; i < col.length; i++) {
    const v = col[i];
    if (Number.isNaN(v)) {
      w.varint(0);
      continue;
    }
    const x = Math.round(v * p);
    const d = x - prev;
    prev = x;
    w.varint((d >= 0 ? 2 * d : -2 * d - 1) + 1);
  }
}

function decodeColumn(r: ByteReader, kind: number, rows: number): Float64Array {
  const out = new Float64Array(rows);
  if (kind === CONST) return out.fill(r.f64());
  if (kind === F64) {
    for (let i = 0; i < rows; i++) out[i] = r.f64();
    return out;
  }
  if (kind !== DEC) throw new Error(`column: unknown kind ${kind}`);
  const scale = r.byte();
  if (scale > MAX_SCALE) throw new Error('column: bad scale');
  r.decimals(out, 10 ** scale);
  return out;
}

/** The smallest power-of-ten scale at which every value is an exact integer, or -1. */
function decimalScale(col: ArrayLike<number>): number {
  let scale = 0;
  let p = 1;
  for (let i = 0; i < col.length; i++) {
    const v = col[i];
    if (Number.isNaN(v)) continue;
    for (;;) {
      const x = Math.round(v * p);
      if (Math.abs(x) < MAX_INT && x / p === v) break;
      if (++scale > MAX_SCALE) return -1;
      p *= 10;
    }
  }
  return scale;
}

/** Whether every value survives scaling to an integer and back (the decoder divides by p). */
function exactAt(col: ArrayLike<number>, p: number): boolean {
  for (let i = 0; i < col.length; i++) {
    const v = col[i];
    if (!Number.isNaN(v) && Math.round(v * p) / p !== v) return false;
  }
  return true;
}

function isConstant(col: ArrayLike<number>): boolean {
  for (let i = 1; i < col.length; i++) if (!sameValue(col[i], col[0])) return false;
  return true;
}

function equalColumns(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!sameValue(a[i], b[i])) return false;
  return true;
}

function sameValue(a: number, b: number): boolean {
  return a === b || (Number.isNaN(a) && Number.isNaN(b));
}

/**
 * Lists of numbers, one per row or none (null): their lengths as a column (NaN for none),
 * then the lists one after the other as one column.
 */
export function encodeRagged(w: ByteWriter, lists: readonly (readonly number[] | null)[]): void {
  encodeColumns(w, [lists.map((list) => (list === null ? NaN : list.length))]);
  encodeColumns(w, [lists.flatMap((list) => list ?? [])]);
}

/** Lists written by encodeRagged, each decoded when asked for. */
export class Ragged {
  /** Length of each row's list; NaN for a row without one. */
  private readonly lens: Float64Array;
  private readonly flat: Float64Array;
  /** Where each row's list starts in `flat`. */
  private readonly starts: Float64Array;

  constructor(r: ByteReader, rows: number) {
    this.lens = decodeColumns(r, 1, rows)[0];
    this.starts = new Float64Array(rows);
    let total = 0;
    for (let i = 0; i < rows; i++) {
      this.starts[i] = total;
      const n = this.lens[i];
      if (Number.isNaN(n)) continue;
      if (!Number.isInteger(n) || n < 0) throw new Error('column: bad list length');
      total += n;
    }
    this.flat = decodeColumns(r, 1, total)[0];
  }

  /** Row r's list, or null when it has none. */
  row(r: number): number[] | null {
    const n = this.lens[r];
    if (Number.isNaN(n)) return null;
    return Array.from(this.flat.subarray(this.starts[r], this.starts[r] + n));
  }
}
