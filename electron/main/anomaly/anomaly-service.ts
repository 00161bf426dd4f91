import fs from 'node:fs';
import path from 'node:path';
import {
  ANOMALY_MARK,
  type AnomalyMark,
  type AnomalyRate,
  type AnomalyReport,
} from '../../../shared/anomaly';
import type { Sample } from '../../../shared/sample';
import { forEachValue } from '../../../shared/series';
import { AnomalyDetector } from './detector';

/**
 * The anomaly detector run live: one detector per numeric series, fed every sample the
 * collector writes; anomaly marks and per-hour / per-day counts (so any range shows an
 * anomaly rate); all of it persisted in `<data>/anomaly/state.json` and, when that file is
 * missing or unreadable, rebuilt by replaying the store's recent samples.
 */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Hourly counts are kept this long, daily counts much longer. */
const HOURLY_KEEP = 31 * DAY;
const DAILY_KEEP = 400 * DAY;
/** The newest marks kept (older ones live on as counts). */
const MAX_MARKS = 5000;
/** History replayed into fresh detectors when the state file is missing. */
export const REBUILD_SPAN = 8 * DAY;
/** Baseline of "unusual this period": the 30 days before it. */
const BASELINE = 30 * DAY;
const STATE_VERSION = 1;

/** Up/down and certificate days are not series to find anomalies in. */
export function scoredSeries(series: string): boolean {
  return !series.endsWith('.up') && !series.endsWith('.cert');
}

interface SeriesState {
  detector: AnomalyDetector;
  /** Time of the last sample learnt: replayed and live samples never count twice. */
  lastT: number;
  lastScore: number;
}

/** [bucket start, samples, anomalies] */
type Count = [number, number, number];

interface StateFile {
  v: number;
  series: Record<string, { s: string; t: number; score: number }>;
  hourly: Record<string, Count[]>;
  daily: Record<string, Count[]>;
  marks: [number, string, number, number][];
}

export type SampleSource = (range: { from: number; to: number }) => AsyncIterable<Sample>;

export class AnomalyService {
  private readonly series = new Map<string, SeriesState>();
  private readonly hourly = new Map<string, Map<number, Count>>();
  private readonly daily = new Map<string, Map<number, Count>>();
  private marks: AnomalyMark[] = [];
  private readonly file: string;
  /** Samples that arrived while a rebuild was replaying the store. */
  private queue: Sample[] | null = null;
  private rebuilding: Promise<void> = Promise.resolve();
  private saving: Promise<void> = Promise.resolve();
  private dirty = false;
  /** Why the state file could not be used, for the log. */
  readonly loadProblem: string | undefined;

  constructor(
    dataDir: string,
    private readonly readSamples?: SampleSource,
    now: number = Date.now(),
  ) {
    this.file = path.join(dataDir, 'anomaly', 'state.json');
    let problem: string | undefined;
    let from = now - REBUILD_SPAN;
    try {
      if (this.load()) {
        // Catch up on what was stored after the last save (a crash loses up to 5 min).
        let newest = -Infinity;
        for (const st of this.series.values()) newest = Math.max(newest, st.lastT);
        from = Math.max(from, newest);
      }
    } catch (err) {
      problem = `${this.file}: ${(err as Error).message}; rebuilding from the store`;
    }
    this.loadProblem = problem;
    if (readSamples && from < now) this.replay(readSamples, from, now);
  }

  /** Resolves when a rebuild from the store (if one was needed) has finished. */
  ready(): Promise<void> {
    return this.rebuilding;
  }

  /** Scores every numeric series of a sample; returns series → score. */
  ingest(sample: Sample): Map<string, number> {
    if (this.queue) {
      this.queue.push(sample);
      return new Map();
    }
    return this.score(sample);
  }

  private score(sample: Sample): Map<string, number> {
    const out = new Map<string, number>();
    forEachValue(sample, (series, value) => {
      if (!scoredSeries(series)) return;
      let st = this.series.get(series);
      if (!st) {
        st = { detector: new AnomalyDetector(), lastT: -Infinity, lastScore: 0 };
        this.series.set(series, st);
      }
      if (sample.t <= st.lastT) return;
      st.lastT = sample.t;
      const score = st.detector.update(sample.t, value);
      st.lastScore = score;
      out.set(series, score);
      const anomaly = score >= ANOMALY_MARK;
      this.count(this.hourly, series, Math.floor(sample.t / HOUR) * HOUR, anomaly);
      this.count(this.daily, series, Math.floor(sample.t / DAY) * DAY, anomaly);
      if (anomaly) {
        this.marks.push({ t: sample.t, series, score, value });
        if (this.marks.length > MAX_MARKS * 1.1) this.marks = this.marks.slice(-MAX_MARKS);
      }
    });
    this.dirty = true;
    return out;
  }

  private count(
    into: Map<string, Map<number, Count>>,
    series: string,
    bucket: number,
    anomaly: boolean,
  ): void {
    let m = into.get(series);
    if (!m) into.set(series, (m = new Map()));
    let c = m.get(bucket);
    if (!c) m.set(bucket, (c = [bucket, 0, 0]));
    c[1]++;
    if (anomaly) c[2]++;
  }

  /** Each series' latest score. */
  latest(): { series: string; t: number; score: number }[] {
    return [...this.series].map(([series, st]) => ({
      series,
      t: st.lastT,
      score: st.lastScore,
    }));
  }

  /** Marks, latest scores and rates against each series' own baseline for a range. */
  report(range: { from: number; to: number }, series?: string): AnomalyReport {
    const keep = (s: string): boolean => series === undefined || s === series;
    const marks = this.marks.filter((m) => m.t >= range.from && m.t <= range.to && keep(m.series));
    const rates: AnomalyRate[] = [];
    for (const name of this.series.keys()) {
      if (!keep(name)) continue;
      const now = this.sum(name, range.from, range.to);
      const base = this.sum(name, range.from - BASELINE, range.from);
      rates.push({
        series: name,
        samples: now.samples,
        anomalies: now.anomalies,
        rate: now.samples ? now.anomalies / now.samples : null,
        baseline: base.samples ? base.anomalies / base.samples : null,
      });
    }
    const excess = (r: AnomalyRate): number => (r.rate ?? 0) - (r.baseline ?? 0);
    rates.sort((a, b) => excess(b) - excess(a) || b.anomalies - a.anomalies);
    return {
      from: range.from,
      to: range.to,
      latest: this.latest().filter((l) => keep(l.series)),
      marks,
      rates,
    };
  }

  /** Samples and anomalies of a series in [from, to): hourly buckets where kept, else daily. */
  private sum(series: string, from: number, to: number): { samples: number; anomalies: number } {
    const hourly = this.hourly.get(series);
    const oldestHour = hourly ? Math.min(...hourly.keys()) : Infinity;
    const useHourly = hourly !== undefined && from >= oldestHour - HOUR;
    const buckets = useHourly ? hourly : this.daily.get(series);
    const size = useHourly ? HOUR : DAY;
    let samples = 0;
    let anomalies = 0;
    for (const [start, n, a] of buckets?.values() ?? []) {
      if (start + size > from && start < to) {
        samples += n;
        anomalies += a;
      }
    }
    return { samples, anomalies };
  }

  /** Writes the state if anything changed (atomic: temp file, then rename). */
  save(now: number = Date.now()): Promise<void> {
    if (!this.dirty || this.queue) return this.saving;
    this.dirty = false;
    this.prune(now);
    const data: StateFile = {
      v: STATE_VERSION,
      series: Object.fromEntries(
        [...this.series].map(([k, st]) => [
          k,
          {
            s: Buffer.from(st.detector.snapshot()).toString('base64'),
            t: st.lastT,
            score: st.lastScore,
          },
        ]),
      ),
      hourly: Object.fromEntries([...this.hourly].map(([k, m]) => [k, [...m.values()]])),
      daily: Object.fromEntries([...this.daily].map(([k, m]) => [k, [...m.values()]])),
      marks: this.marks.map((m) => [m.t, m.series, m.score, m.value]),
    };
    const text = `${JSON.stringify(data)}\n`;
    const tmp = `${this.file}.${process.pid}.tmp`;
    this.saving = this.saving
      .then(async () => {
        await fs.promises.mkdir(path.dirname(this.file), { recursive: true });
        await fs.promises.writeFile(tmp, text);
        await fs.promises.rename(tmp, this.file);
      })
      .catch(async () => {
        // A full or read-only disk: the state is rebuilt from the store next time, and the
        // temp file the failed write created (empty on a full disk) is not left behind.
        this.dirty = true;
        await fs.promises.rm(tmp, { force: true }).catch(() => undefined);
      });
    return this.saving;
  }

  private prune(now: number): void {
    for (const [into, keep] of [
      [this.hourly, HOURLY_KEEP],
      [this.daily, DAILY_KEEP],
    ] as const) {
      for (const [series, m] of into) {
        for (const k of m.keys()) if (k < now - keep) m.delete(k);
        if (m.size === 0) into.delete(series);
      }
    }
    // A series gone for a month (a deleted target, an unmounted disk) takes its detector
    // with it, so the state does not grow with every series ever seen.
    for (const [series, st] of this.series) {
      if (st.lastT < now - HOURLY_KEEP) this.series.delete(series);
    }
  }

  private load(): boolean {
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw err;
    }
    const data = JSON.parse(text) as Partial<StateFile>;
    if (data.v !== STATE_VERSION || typeof data.series !== 'object' || data.series === null) {
      throw new Error(`not an anomaly state of version ${STATE_VERSION}`);
    }
    for (const [name, st] of Object.entries(data.series)) {
      this.series.set(name, {
        detector: new AnomalyDetector(new Uint8Array(Buffer.from(st.s, 'base64'))),
        lastT: st.t,
        lastScore: st.score,
      });
    }
    for (const [src, into] of [
      [data.hourly, this.hourly],
      [data.daily, this.daily],
    ] as const) {
      for (const [name, counts] of Object.entries(src ?? {})) {
        into.set(name, new Map(counts.map((c) => [c[0], [...c] as Count])));
      }
    }
    this.marks = (data.marks ?? []).map(([t, series, score, value]) => ({
      t,
      series,
      score,
      value,
    }));
    return true;
  }

  /** Scores the store's samples of [from, now]; live samples wait until it is done. */
  private replay(read: SampleSource, from: number, now: number): void {
    this.queue = [];
    this.rebuilding = (async () => {
      try {
        for await (const s of read({ from, to: now })) this.score(s);
      } catch {
        // An unreadable store: start from nothing rather than not at all.
      } finally {
        const queued = this.queue ?? [];
        this.queue = null;
        for (const s of queued) this.score(s);
        this.dirty = true;
      }
    })();
  }
}
