import fs from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { createReadStream } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import type { Segment } from './layout';
import type { ReadCounters } from './lines';
import { extractAgg, seriesKey } from './rollup';
import { parseSample } from './sample-line';
import { seriesAccessor } from './series-access';

/**
 * Columns of one segment for the series queries asked for: times plus, per series,
 * count/sum/min/max (rollup tiers) or, for raw segments, the value alone in `sum`.
 * Rows keep file order; a missing value is NaN (count 0).
 */
export interface SegmentColumns {
  raw: boolean;
  t: number[];
  cols: Map<string, SeriesCols>;
}

export interface SeriesCols {
  n: number[];
  sum: number[];
  min: number[];
  max: number[];
}

interface Entry extends SegmentColumns {
  file: string;
  ino: number;
  /** Bytes of the file already turned into rows (plain files grow while we read them). */
  parsed: number;
  cells: number;
}

/**
 * An LRU of segment columns, bounded in cells (8 bytes each). Closed segments are parsed
 * once; the segment being written is parsed incrementally from where the last query
 * stopped, so a live chart costs only the new lines.
 */
export class ColumnCache {
  private entries = new Map<string, Entry>();
  private cells = 0;

  constructor(private readonly maxCells = 8 * 1024 * 1024) {}

  /**
   * Columns of a segment. A segment that is not `live` (open for appending) and already
   * holds the series is answered from memory without touching the disk.
   */
  async get(
    seg: Segment,
    series: string[],
    counters: ReadCounters,
    live = true,
  ): Promise<SegmentColumns> {
    let e = this.entries.get(seg.file);
    if (e && !live && series.every((s) => e?.cols.has(s))) {
      this.entries.delete(seg.file);
      this.entries.set(seg.file, e);
      return e;
    }
    const st = await fs.stat(seg.file).catch(() => null);
    if (!st) return { raw: seg.tier === 'raw', t: [], cols: new Map() };
    const missing = e ? series.filter((s) => !e?.cols.has(s)) : series;
    if (!e || missing.length > 0 || st.ino !== e.ino || st.size < e.parsed) {
      const names = e && st.ino === e.ino ? [...new Set([...e.cols.keys(), ...series])] : series;
      if (e) this.drop(e);
      e = {
        file: seg.file,
        ino: st.ino,
        parsed: 0,
        cells: 0,
        raw: seg.tier === 'raw',
        t: [],
        cols: new Map(names.map((n) => [n, { n: [], sum: [], min: [], max: [] }])),
      };
    } else {
      this.entries.delete(seg.file);
      this.cells -= e.cells;
    }
    if (seg.gz) {
      if (e.parsed === 0) await parseGz(e, seg.file, counters);
    } else if (st.size > e.parsed) await parsePlain(e, seg.file, st.size, counters);
    e.cells = e.t.length * (1 + e.cols.size * (e.raw ? 1 : 4));
    this.entries.set(seg.file, e);
    this.cells += e.cells;
    this.evict(e);
    return e;
  }

  /** Forgets one file (it is being appended to again, maybe by a late sample). */
  forget(file: string): void {
    const e = this.entries.get(file);
    if (e) this.drop(e);
  }

  /** Forgets every segment (after a rebuild replaced files). */
  clear(): void {
    this.entries.clear();
    this.cells = 0;
  }

  private drop(e: Entry): void {
    if (this.entries.get(e.file) === e) {
      this.entries.delete(e.file);
      this.cells -= e.cells;
    }
  }

  private evict(keep: Entry): void {
    for (const [file, e] of this.entries) {
      if (this.cells <= this.maxCells) break;
      if (e === keep) continue;
      this.entries.delete(file);
      this.cells -= e.cells;
    }
  }
}

function rowParser(e: Entry, counters: ReadCounters): (line: string) => void {
  const names = [...e.cols.keys()];
  const cols = names.map((n) => e.cols.get(n) as SeriesCols);
  if (e.raw) {
    const access = names.map(seriesAccessor);
    return (line) => {
      if (line.length === 0) return;
      const s = parseSample(line);
      if (!s) {
        counters.corrupt++;
        return;
      }
      e.t.push(s.t);
      for (let i = 0; i < cols.length; i++) {
        const v = access[i](s);
        cols[i].sum.push(v === undefined ? NaN : v);
      }
    };
  }
  const keys = names.map(seriesKey);
  const agg = new Float64Array(4);
  return (line) => {
    if (line.length === 0) return;
    const t = rollupTime(line);
    if (t === null) {
      counters.corrupt++;
      return;
    }
    e.t.push(t);
    for (let i = 0; i < cols.length; i++) {
      const c = cols[i];
      if (extractAgg(line, keys[i], agg)) {
        c.n.push(agg[0]);
        c.sum.push(agg[1]);
        c.min.push(agg[2]);
        c.max.push(agg[3]);
      } else {
        c.n.push(0);
        c.sum.push(NaN);
        c.min.push(NaN);
        c.max.push(NaN);
      }
    }
  };
}

const ROLLUP_PREFIX = '{"v":1,"t":';

/** Rollup lines are written by this module with a fixed prefix; anything else is corrupt. */
function rollupTime(line: string): number | null {
  if (!line.startsWith(ROLLUP_PREFIX) || !line.endsWith('}}')) return null;
  const end = line.indexOf(',', ROLLUP_PREFIX.length);
  const t = Number(line.slice(ROLLUP_PREFIX.length, end));
  return end > 0 && Number.isFinite(t) ? t : null;
}

async function parsePlain(
  e: Entry,
  file: string,
  size: number,
  counters: ReadCounters,
): Promise<void> {
  const onLine = rowParser(e, counters);
  const fh = await fs.open(file, 'r');
  try {
    const block = Buffer.alloc(1024 * 1024);
    let pos = e.parsed;
    let carry: Buffer | null = null;
    while (pos < size) {
      const { bytesRead } = await fh.read(block, 0, Math.min(block.length, size - pos), pos);
      if (bytesRead === 0) break;
      pos += bytesRead;
      const buf: Buffer = carry
        ? Buffer.concat([carry, block.subarray(0, bytesRead)])
        : block.subarray(0, bytesRead);
      const last = buf.lastIndexOf(0x0a);
      if (last < 0) {
        carry = Buffer.from(buf);
        continue;
      }
      for (const line of buf.toString('utf8', 0, last).split('\n')) onLine(line);
      e.parsed += last + 1;
      carry = last + 1 < buf.length ? Buffer.from(buf.subarray(last + 1)) : null;
    }
  } finally {
    await fh.close();
  }
}

async function parseGz(e: Entry, file: string, counters: ReadCounters): Promise<void> {
  const onLine = rowParser(e, counters);
  let carry = '';
  const decoder = new StringDecoder('utf8');
  const stream = createReadStream(file).pipe(createGunzip());
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    const text = carry + decoder.write(chunk);
    const lines = text.split('\n');
    carry = lines.pop() ?? '';
    for (const line of lines) onLine(line);
  }
  if (carry.length > 0) counters.partial++;
  e.parsed = 1;
}
