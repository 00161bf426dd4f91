import fs from 'node:fs/promises';
import { RetentionSchema, type Config } from '../../../shared/config-schema';
import type { Sample } from '../../../shared/sample';
import { AppendLog, type StorageHealth } from './append-log';
import {
  listSegments,
  overlapping,
  samplesDir,
  segmentFile,
  segmentKey,
  TIERS,
  type TierName,
} from './layout';
import { readLineBlocks, type ReadCounters } from './lines';
import { repairTornTail } from './repair';
import { lineTime, parseSample, serializeSample } from './sample-line';
import { lockStore } from './lock';
import { linesFromEnd } from './tail';

export type Retention = Config['retention'];

export interface StoreOptions {
  retention?: Retention;
  /** Wall clock for retention and compression decisions; injectable for tests and the generator. */
  now?: () => number;
  /** Memory held for lines the disk refused (default 16 MB). */
  maxBufferedBytes?: number;
}

/** What open() found and fixed. */
export interface OpenReport {
  /** Plain segments whose torn last line was cut, with the bytes removed. */
  torn: { file: string; bytes: number }[];
}

export interface TimeRange {
  /** Unix ms, inclusive. */
  from: number;
  /** Unix ms, exclusive. */
  to: number;
}

type HealthListener = (h: StorageHealth) => void;

/**
 * The sample store: raw samples as JSON Lines in daily segments (see layout.ts for the
 * files). One process writes a data directory at a time (a lock on samples/ enforces it).
 */
export class SampleStore {
  readonly openReport: OpenReport;
  readonly retention: Retention;
  private readonly now: () => number;
  private readonly rawLog: AppendLog;
  private readonly healthListeners = new Set<HealthListener>();
  private newest: Sample | undefined;
  private closed = false;

  private constructor(
    readonly dataDir: string,
    opts: StoreOptions,
    report: OpenReport,
    newest: Sample | undefined,
    private readonly unlock: () => Promise<void>,
  ) {
    this.retention = opts.retention ?? RetentionSchema.parse({});
    this.now = opts.now ?? Date.now;
    this.openReport = report;
    this.newest = newest;
    const logOpts = {
      maxBufferedBytes: opts.maxBufferedBytes ?? 16 * 1024 * 1024,
      onHealth: () => this.emitHealth(),
    };
    this.rawLog = new AppendLog(logOpts);
  }

  static async open(dataDir: string, opts: StoreOptions = {}): Promise<SampleStore> {
    const dir = samplesDir(dataDir);
    await fs.mkdir(dir, { recursive: true });
    const unlock = await lockStore(dir);
    try {
      const report: OpenReport = { torn: [] };
      for (const tier of TIERS) {
        for (const seg of await listSegments(dataDir, tier)) {
          if (seg.gz) continue;
          const bytes = await repairTornTail(seg.file);
          if (bytes > 0) report.torn.push({ file: seg.file, bytes });
        }
      }
      const newest = await findNewest(dataDir);
      return new SampleStore(dataDir, opts, report, newest, unlock);
    } catch (err) {
      await unlock();
      throw err;
    }
  }

  /** Stores one sample with a single write. Never throws; see onStorageHealth. */
  append(sample: Sample): void {
    if (this.closed) return;
    const file = segmentFile(this.dataDir, 'raw', segmentKey('raw', sample.t));
    this.rawLog.append(file, serializeSample(sample));
    this.newest = sample;
  }

  /** The newest stored sample (the last one appended, or found on disk at open). */
  latest(): Sample | undefined {
    return this.newest;
  }

  /**
   * Streams raw samples in [from, to): segments oldest first, lines in write order within
   * a segment. Torn and corrupt lines are skipped and counted in `counters`.
   */
  async *read(range: TimeRange, counters?: ReadCounters): AsyncGenerator<Sample> {
    const segs = overlapping(await listSegments(this.dataDir, 'raw'), range.from, range.to);
    for (const seg of segs) {
      for await (const block of readLineBlocks(seg.file, seg.gz, counters)) {
        for (const line of block) {
          if (line.length === 0) continue;
          const t = lineTime(line);
          if (t !== null && (t < range.from || t >= range.to)) continue;
          const s = parseSample(line);
          if (s === null) {
            if (counters) counters.corrupt++;
            continue;
          }
          if (s.t >= range.from && s.t < range.to) yield s;
        }
      }
    }
  }

  /** Storage health changes: a write failing (samples then wait in memory) or recovering. */
  onStorageHealth(cb: HealthListener): () => void {
    this.healthListeners.add(cb);
    return () => this.healthListeners.delete(cb);
  }

  get health(): StorageHealth {
    return combineHealth(this.logs().map((l) => l.health));
  }

  /** Writes what the memory buffer holds, if the disk takes it now. */
  flush(): void {
    for (const log of this.logs()) log.flush();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.flush();
    for (const log of this.logs()) log.release();
    await this.unlock();
  }

  private logs(): AppendLog[] {
    return [this.rawLog];
  }

  private emitHealth(): void {
    const h = this.health;
    for (const cb of this.healthListeners) cb(h);
  }
}

function combineHealth(list: StorageHealth[]): StorageHealth {
  const out: StorageHealth = { ok: true, buffered: 0, dropped: 0 };
  for (const h of list) {
    out.buffered += h.buffered;
    out.dropped += h.dropped;
    if (!h.ok) {
      out.ok = false;
      out.error ??= h.error;
    }
  }
  return out;
}

/** The last valid sample of the newest raw segment that has one. */
async function findNewest(dataDir: string): Promise<Sample | undefined> {
  const segs = await listSegments(dataDir, 'raw');
  for (let i = segs.length - 1; i >= 0; i--) {
    const seg = segs[i];
    if (seg.gz) {
      let last: Sample | undefined;
      for await (const block of readLineBlocks(seg.file, true)) {
        for (let j = block.length - 1; j >= 0; j--) {
          const s = parseSample(block[j]);
          if (s) {
            last = s;
            break;
          }
        }
      }
      if (last) return last;
      continue;
    }
    for await (const line of linesFromEnd(seg.file)) {
      const s = parseSample(line);
      if (s) return s;
    }
  }
  return undefined;
}

export type { StorageHealth, TierName };
