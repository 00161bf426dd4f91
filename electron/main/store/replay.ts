import type { Sample } from '../../../shared/sample';
import { HOUR, listSegments } from './layout';
import { newCounters } from './lines';
import type { RollupLine } from './rollup';
import { readRollupLines, readSamples } from './segment-reads';
import { rewindTier, rollupEnd } from './tier-scan';

/** What replayRollups did, for the store's OpenReport. */
export interface ReplayReport {
  /** Raw samples and 1-minute lines replayed into the rollup tiers. */
  replayedSamples: number;
  replayedMinuteLines: number;
  /** Hour lines removed because the minute tier did not cover them; rebuilt from minutes. */
  rewoundHourLines: number;
  /** Corrupt lines met while replaying. */
  corrupt: number;
}

/** The store's live rollup builders, as replay feeds them. */
export interface ReplayTarget {
  /** Adds a written minute line to the open hour. */
  addMinuteLine(line: RollupLine): void;
  /** Takes a raw sample as append() does. */
  feed(s: Sample): void;
  /** Minute lines closing before `t` are already in written hours: keep them out of the hour builder. */
  setHourFloor(t: number): void;
}

/**
 * Rebuilds the open buckets and any unwritten lines after a crash: minutes from raw samples
 * after the newest minute line, hours from minute lines. Hour lines newer than the minute
 * tier (minute lines lost, or a partial hour written at close) are first removed and
 * rebuilt, as far back as raw reaches, so nothing is counted twice.
 */
export async function replayRollups(
  dataDir: string,
  into: ReplayTarget,
  report: ReplayReport,
): Promise<void> {
  const counters = newCounters();
  let hourEnd = await rollupEnd(dataDir, '1h');
  const minuteEnd = await rollupEnd(dataDir, '1m');
  const rawStart = (await listSegments(dataDir, 'raw'))[0]?.start ?? Infinity;
  // Hours can be rebuilt from the newest minute line on, or from where raw starts if later.
  const base = Math.max(minuteEnd, rawStart === Infinity ? -Infinity : rawStart);
  const hourStart = Math.floor(base / HOUR) * HOUR;
  if (Number.isFinite(hourStart) && hourEnd > hourStart) {
    report.rewoundHourLines = await rewindTier(dataDir, '1h', hourStart);
    hourEnd = hourStart;
  }
  for await (const line of readRollupLines(
    dataDir,
    '1m',
    { from: hourEnd, to: Infinity },
    counters,
  )) {
    into.addMinuteLine(line);
    report.replayedMinuteLines++;
  }
  into.setHourFloor(hourEnd);
  try {
    for await (const s of readSamples(dataDir, { from: minuteEnd, to: Infinity }, counters)) {
      into.feed(s);
      report.replayedSamples++;
    }
  } finally {
    into.setHourFloor(-Infinity);
  }
  report.corrupt = counters.corrupt;
}
