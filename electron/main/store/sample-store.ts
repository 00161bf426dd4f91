/**
 * The sample store and time-series engine.
 *
 * On disk (<dataDir>/samples/, see layout.ts):
 *   raw/YYYY-MM-DD.jsonl       one sample per line in the shared/sample.ts format, by UTC day
 *   1m/YYYY-MM-DD.jsonl        one 1-minute rollup line per bucket (format in rollup.ts)
 *   1h/YYYY-MM.jsonl           one 1-hour rollup line per bucket
 *   *.jsonl.gz                 a segment whose period ended over a day ago, gzipped by
 *                              maintain() and read transparently
 *
 * The one process writing here holds the data directory's lock (<dataDir>/opspulse.lock,
 * see lock.ts); a collector's own store shares its lock.
 *
 * Rollups are built incrementally as samples arrive and a bucket's line is written when the
 * bucket closes (or, partial, at close()); the open buckets live in memory, and after a
 * crash open() cuts torn tails (repair.ts) and rebuilds them (and any line the crash kept
 * from being written) from the finer tier (replay.ts): hours from minute lines, minutes from
 * raw samples after the newest minute line.
 * Limitation: a bucket reopened by a backwards clock jump and lost in a crash is only
 * restored by rebuild(). Every line is one write on a kept-open descriptor; readers only
 * ever take newline-terminated lines. Queries keep parsed segment columns in a bounded
 * cache (column-cache.ts), so a repeated or live query touches only new lines.
 */
import fs from 'node:fs/promises';
import { RetentionSchema, type Config } from '../../../shared/config-schema';
import type { QueryRequest, QueryResult } from '../../../shared/query';
import type { Sample } from '../../../shared/sample';
import { AppendLog, combineHealth, type StorageHealth } from './append-log';
import { ColumnCache } from './column-cache';
import {
  HOUR,
  MINUTE,
  listSegments,
  samplesDir,
  type RollupTier,
  type Segment,
  type TierName,
} from './layout';
import { newCounters, type ReadCounters } from './lines';
import { lockDataDir } from './lock';
import { maintainStore, type MaintainReport } from './maintain';
import { runQuery } from './query';
import { rebuildRollups, type RebuildReport } from './rebuild';
import { repairSegments, type SegmentRepairs } from './repair';
import { replayRollups, type ReplayReport } from './replay';
import { mergeLine, newLine, serializeRollup, type RollupLine } from './rollup';
import { MinuteBuilder } from './minute-builder';
import { readRawColumns, type RawPart } from './raw-columns';
import { RollupBuilder } from './rollup-builder';
import { linesPart, readRollupColumns, type RollupPart } from './rollup-columns';
import { serializeSample } from './sample-line';
import { SegmentFiles } from './segment-files';
import { restoreSpill, writeSpill } from './spill';
import { findNewest, readRollupLines, readSamples, type TimeRange } from './segment-reads';
import { storeStats, type TierStats } from './stats';

export type Retention = Config['retention'];

export interface StoreOptions {
  retention?: Retention;
  /** Wall clock for retention and compression decisions; injectable for tests and the generator. */
  now?: () => number;
  /** Memory held for lines the disk refused, per tier (default 16 MB). */
  maxBufferedBytes?: number;
  /** false: raw samples only, no rollup tiers (the benchmark's baseline). Default true. */
  rollups?: boolean;
  /** Query cache bound, in 8-byte cells (default 8 M cells = 64 MB). */
  cacheCells?: number;
  /**
   * A target's degraded latency (successful probes slower than this are "degraded" in the
   * transition log), read as samples arrive; none by default.
   */
  degradedMs?: (id: string) => number | undefined;
  /** false: rollups without the transition log and status counts (the benchmark's "before"). */
  transitions?: boolean;
}

/** What open() found and fixed. */
export type OpenReport = SegmentRepairs &
  ReplayReport & {
    /** Samples a previous close could not write (disk full), restored from spill.ts's file. */
    restoredSamples: number;
  };

/** What close() could not write, if anything: kept in the spill file, or lost. */
export interface CloseReport {
  spilled: number;
  spillFile?: string;
  /** Lines neither the store nor the spill file took (the reason is in `error`). */
  lost: number;
  error?: string;
}

/** How long close() keeps retrying a refused write before spilling (SIGTERM must stay fast). */
const CLOSE_RETRY_MS = 1_000;

type HealthListener = (h: StorageHealth) => void;

export class SampleStore {
  readonly openReport: OpenReport;
  /** Per tier; a config change replaces it (setRetention). */
  retention: Retention;
  /** Corrupt and partial lines met by queries since open. */
  readonly queryCounters: ReadCounters = newCounters();
  private readonly now: () => number;
  private readonly rawLog: AppendLog;
  private readonly minuteLog: AppendLog;
  private readonly hourLog: AppendLog;
  private readonly minute: MinuteBuilder | null;
  private readonly hour: RollupBuilder | null;
  private readonly cache: ColumnCache;
  private readonly rawFile: SegmentFiles;
  private readonly minuteFile: SegmentFiles;
  private readonly hourFile: SegmentFiles;
  private readonly healthListeners = new Set<HealthListener>();
  /** Segment listings for queries, dropped whenever a file may have appeared or gone. */
  private readonly listings = new Map<TierName, Promise<Segment[]>>();
  /** While replaying, minute lines before this were already merged into written hours. */
  private hourFloor = -Infinity;
  private readonly degradedMs: StoreOptions['degradedMs'];
  private newest: Sample | undefined;
  private appendError: string | undefined;
  private closed = false;
  /** Set by close() when samples could not be written to the store. */
  closeReport: CloseReport | undefined;

  private constructor(
    readonly dataDir: string,
    opts: StoreOptions,
    report: OpenReport,
    private readonly unlock: () => Promise<void>,
  ) {
    this.retention = opts.retention ?? RetentionSchema.parse({});
    this.now = opts.now ?? Date.now;
    this.openReport = report;
    this.cache = new ColumnCache(opts.cacheCells);
    this.rawFile = new SegmentFiles(dataDir, 'raw');
    this.minuteFile = new SegmentFiles(dataDir, '1m');
    this.hourFile = new SegmentFiles(dataDir, '1h');
    const logOpts = {
      maxBufferedBytes: opts.maxBufferedBytes ?? 16 * 1024 * 1024,
      onHealth: () => this.emitHealth(),
      onOpen: (file: string) => {
        this.listings.clear();
        this.cache.forget(file);
      },
    };
    this.rawLog = new AppendLog(logOpts);
    this.minuteLog = new AppendLog(logOpts);
    this.hourLog = new AppendLog(logOpts);
    if (opts.rollups === false) {
      this.minute = null;
      this.hour = null;
      return;
    }
    this.hour = new RollupBuilder(HOUR, (line) => this.writeRollup('1h', line));
    this.degradedMs = opts.degradedMs;
    this.minute = new MinuteBuilder(
      MINUTE,
      (line) => {
        this.writeRollup('1m', line);
        if (line.t >= this.hourFloor) this.hour?.addLine(line);
      },
      opts.degradedMs,
      opts.transitions !== false,
    );
  }

  /**
   * Opens (creating) the store in <dataDir>/samples: cuts torn tails, finishes interrupted
   * compressions and rebuilds from raw the rollup buckets a crash or a missing tier lost.
   */
  static async open(dataDir: string, opts: StoreOptions = {}): Promise<SampleStore> {
    const dir = samplesDir(dataDir);
    await fs.mkdir(dir, { recursive: true });
    const lock = await lockDataDir(dataDir, 'store');
    const unlock = (): Promise<void> => lock.release();
    try {
      const rawFiles = new SegmentFiles(dataDir, 'raw');
      const restoredSamples = restoreSpill(dataDir, (t) => rawFiles.for(t));
      const report: OpenReport = {
        restoredSamples,
        ...(await repairSegments(dataDir)),
        replayedSamples: 0,
        replayedMinuteLines: 0,
        rewoundHourLines: 0,
        corrupt: 0,
      };
      const store = new SampleStore(dataDir, opts, report, unlock);
      await store.replay();
      store.newest = await findNewest(dataDir);
      return store;
    } catch (err) {
      await unlock();
      throw err;
    }
  }

  /** Stores one sample with a single write and updates the rollups. Never throws: see onStorageHealth. */
  append(sample: Sample): void {
    if (this.closed) return;
    try {
      this.rawLog.append(this.rawFile.for(sample.t), serializeSample(sample));
      this.newest = sample;
      this.feed(sample);
      if (this.appendError !== undefined) {
        this.appendError = undefined;
        this.emitHealth();
      }
    } catch (err) {
      this.appendError = `sample not stored: ${err instanceof Error ? err.message : String(err)}`;
      this.emitHealth();
    }
  }

  /** The newest stored sample (the last one appended, or found on disk at open). */
  latest(): Sample | undefined {
    return this.newest;
  }

  /**
   * Streams raw samples in [from, to): segments oldest first, lines in write order within
   * a segment (so times may step back where the clock did). Torn and corrupt lines are
   * skipped and counted in `counters`.
   */
  read(range: TimeRange, counters?: ReadCounters): AsyncGenerator<Sample> {
    return readSamples(this.dataDir, range, counters);
  }

  /** Raw segments overlapping [from, to) as columns, for analyses (see raw-columns.ts). */
  readRawColumns(range: TimeRange): AsyncGenerator<RawPart> {
    return readRawColumns(this.dataDir, range, this.queryCounters);
  }

  /**
   * Streams rollup lines whose bucket starts in [from, to), oldest segment first, then the
   * bucket still open in memory. Lines sharing a `t` are parts of one bucket (written after
   * the clock went back); their aggregates add up.
   */
  async *readRollups(
    tier: RollupTier,
    range: TimeRange,
    counters?: ReadCounters,
  ): AsyncGenerator<RollupLine> {
    yield* readRollupLines(this.dataDir, tier, range, counters);
    for (const line of this.openLines(tier)) {
      if (line.t >= range.from && line.t < range.to) yield line;
    }
  }

  /**
   * What readRollups streams, as columns where the segments' caches have them (see
   * rollup-columns.ts), for analyses; the bucket still open in memory comes last.
   */
  async *readRollupColumns(tier: RollupTier, range: TimeRange): AsyncGenerator<RollupPart> {
    yield* readRollupColumns(this.dataDir, tier, range, this.queryCounters);
    const open = this.openLines(tier).filter((l) => l.t >= range.from && l.t < range.to);
    if (open.length > 0) yield linesPart(open);
  }

  /** Columns for a chart: see shared/query.ts and query.ts for the tier choice. */
  query(req: QueryRequest): Promise<QueryResult> {
    return runQuery(
      {
        list: (tier) => this.segments(tier),
        isLive: (file) => this.logs().some((l) => l.openFile === file),
        cache: this.cache,
        counters: this.queryCounters,
        openLines: (tier) => this.openLines(tier),
      },
      req,
    );
  }

  /** Takes new retention settings; true when they differ (then run maintain() to apply them). */
  setRetention(retention: Retention): boolean {
    if (JSON.stringify(retention) === JSON.stringify(this.retention)) return false;
    this.retention = retention;
    return true;
  }

  /** Retention per tier, gzip of closed segments, the byte cap. Call at start and daily. */
  async maintain(): Promise<MaintainReport> {
    const busy = new Set<string>();
    for (const log of this.logs()) {
      const f = log.openFile;
      if (f !== null) busy.add(f);
    }
    this.listings.clear();
    const report = await maintainStore(this.dataDir, this.retention, this.now(), busy).finally(() =>
      this.listings.clear(),
    );
    if (report.expired.length + report.trimmed.length + report.compressed.length > 0)
      this.cache.clear();
    return report;
  }

  stats(): Promise<TierStats[]> {
    return storeStats(this.dataDir);
  }

  /**
   * Rebuilds the 1m and 1h tiers from raw for the UTC days overlapping the range (all raw
   * days by default). Rollup lines closing meanwhile wait in memory and are written after.
   */
  async rebuild(
    range?: Partial<TimeRange>,
    counters: ReadCounters = newCounters(),
  ): Promise<RebuildReport> {
    const logs = [this.minuteLog, this.hourLog];
    for (const log of logs) log.hold();
    try {
      const cuts = {
        minute: this.minute?.openStart ?? Infinity,
        hour: this.hour?.open?.t ?? Infinity,
      };
      return await rebuildRollups(
        this.dataDir,
        range?.from ?? -Infinity,
        range?.to ?? Infinity,
        cuts,
        counters,
        this.degradedMs,
      );
    } finally {
      this.listings.clear();
      this.cache.clear();
      for (const log of logs) log.resume();
    }
  }

  /** Storage health changes: a write failing (lines then wait in memory) or recovering. */
  onStorageHealth(cb: HealthListener): () => void {
    this.healthListeners.add(cb);
    return () => this.healthListeners.delete(cb);
  }

  get health(): StorageHealth {
    const h = combineHealth(this.logs().map((l) => l.health));
    if (this.appendError !== undefined) {
      h.ok = false;
      h.error ??= this.appendError;
    }
    return h;
  }

  /** Writes what the memory buffer holds, if the disk takes it now. */
  flush(): void {
    for (const log of this.logs()) log.flush();
  }

  /**
   * Writes the open buckets as partial lines (a restart within the same minute adds a second
   * line for it, which readers merge), flushes and releases the store. After a crash the
   * next open rebuilds the open buckets from raw instead.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.minute?.flush();
    this.hour?.flush();
    this.flush();
    // The disk refused lines: retry briefly, then keep the raw samples outside the data
    // directory for the next open (rollup lines are rebuilt from them there).
    for (let waited = 0; !this.health.ok && waited < CLOSE_RETRY_MS; waited += 200) {
      await new Promise((r) => setTimeout(r, 200));
      this.flush();
    }
    const raw = this.rawLog.drain().map((x) => x.data);
    for (const log of [this.minuteLog, this.hourLog]) log.drain();
    if (raw.length > 0) {
      try {
        this.closeReport = {
          spilled: raw.length,
          spillFile: writeSpill(this.dataDir, raw),
          lost: 0,
        };
      } catch (err) {
        this.closeReport = {
          spilled: 0,
          lost: raw.length,
          error: err instanceof Error ? err.message : String(err),
        };
      }
    }
    for (const log of this.logs()) log.release();
    await this.unlock();
  }

  private segments(tier: TierName): Promise<Segment[]> {
    let p = this.listings.get(tier);
    if (!p) {
      p = listSegments(this.dataDir, tier);
      this.listings.set(tier, p);
      p.catch(() => this.listings.delete(tier));
    }
    return p;
  }

  private feed(s: Sample): void {
    if (!this.minute || !this.hour) return;
    const m = Math.floor(s.t / MINUTE) * MINUTE;
    const opened = this.minute.openStart !== m;
    this.minute.addSample(s);
    if (opened) this.hour.advance(m);
  }

  private writeRollup(tier: RollupTier, line: RollupLine): void {
    const log = tier === '1m' ? this.minuteLog : this.hourLog;
    const files = tier === '1m' ? this.minuteFile : this.hourFile;
    log.append(files.for(line.t), serializeRollup(line));
  }

  /** The buckets still in memory, as lines of the tier (the open minute counts towards its hour). */
  private openLines(tier: RollupTier): RollupLine[] {
    const minute = this.minute?.open;
    if (tier === '1m') return minute ? [minute] : [];
    const out = new Map<number, RollupLine>();
    for (const l of [this.hour?.open, minute]) {
      if (!l) continue;
      const t = Math.floor(l.t / HOUR) * HOUR;
      let x = out.get(t);
      if (!x) out.set(t, (x = newLine(t, HOUR)));
      mergeLine(x, l);
    }
    return [...out.values()];
  }

  /** After a crash, rebuilds the open buckets and unwritten lines (see replay.ts). */
  private async replay(): Promise<void> {
    const hour = this.hour;
    if (!this.minute || !hour) return;
    await replayRollups(
      this.dataDir,
      {
        addMinuteLine: (line) => hour.addLine(line),
        feed: (s) => this.feed(s),
        setHourFloor: (t) => {
          this.hourFloor = t;
        },
      },
      this.openReport,
    );
  }

  private logs(): AppendLog[] {
    return [this.rawLog, this.minuteLog, this.hourLog];
  }

  private emitHealth(): void {
    const h = this.health;
    for (const cb of this.healthListeners) cb(h);
  }
}

export type { MaintainReport, RebuildReport, RollupLine, StorageHealth, TierStats, TimeRange };
export { readSamples } from './segment-reads';
export { QuantileSketch, SKETCH_RELATIVE_ERROR } from './sketch';
export { upCount, type SeriesAgg } from './rollup';
export { newCounters, type ReadCounters } from './lines';
