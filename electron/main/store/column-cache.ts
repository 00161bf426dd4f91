import fs from 'node:fs/promises';
import type { Segment } from './layout';
import type { ReadCounters } from './lines';
import { LoadedSegment, type SegmentColumns } from './segment-columns';

export type { SegmentColumns, SeriesCols } from './segment-columns';

interface Entry {
  file: string;
  cols: LoadedSegment;
  cells: number;
}

/**
 * An LRU of segment columns, bounded in cells (8 bytes each). A segment is loaded once,
 * from its column sidecar (sidecar.ts) when it has a matching one; the segment being
 * written is then parsed incrementally from where the sidecar or the last query stopped,
 * so a live chart costs only the new lines.
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
    const has = (x: Entry): boolean => series.every((s) => x.cols.cols.has(s));
    if (e && !live && has(e)) {
      this.entries.delete(seg.file);
      this.entries.set(seg.file, e);
      return e.cols;
    }
    const st = await fs.stat(seg.file).catch(() => null);
    if (!st) return { raw: seg.tier === 'raw', t: new Float64Array(0), cols: new Map() };
    if (!e || !has(e) || st.ino !== e.cols.ino || st.size < e.cols.parsed) {
      const names =
        e && st.ino === e.cols.ino ? [...new Set([...e.cols.cols.keys(), ...series])] : series;
      if (e) this.drop(e);
      e = {
        file: seg.file,
        cols: await LoadedSegment.load(seg, st, names, counters, live),
        cells: 0,
      };
    } else {
      this.entries.delete(seg.file);
      this.cells -= e.cells;
    }
    if (!seg.gz && st.size > e.cols.parsed) await e.cols.catchUp(seg.file, st.size, counters);
    e.cells = e.cols.cells;
    // Another query may have loaded the same segment while this one waited.
    const other = this.entries.get(seg.file);
    if (other) this.drop(other);
    this.entries.set(seg.file, e);
    this.cells += e.cells;
    this.evict(e);
    return e.cols;
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
