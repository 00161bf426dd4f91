import fs from 'node:fs/promises';
import path from 'node:path';
import {
  addSample,
  mergeLine,
  newLine,
  parseRollup,
  serializeRollup,
  type RollupLine,
} from './rollup';
import { DAY, HOUR, MINUTE, listSegments, segmentFile, segmentKey, type Segment } from './layout';
import { readLines, type ReadCounters } from './lines';
import { parseSample } from './sample-line';
import { RunMemory } from './target-runs';

export interface RebuildReport {
  /** UTC days whose minute rollups were rebuilt from raw. */
  days: string[];
  minuteLines: number;
  hourLines: number;
}

/**
 * Rebuilds the 1m and 1h tiers from raw for the whole UTC days overlapping [from, to)
 * that still have raw data. Buckets at or after the cuts (the buckets still open in
 * memory) are left to the live builders. Each file is replaced atomically (temp + rename).
 */
export async function rebuildRollups(
  dataDir: string,
  from: number,
  to: number,
  cuts: { minute: number; hour: number },
  counters: ReadCounters,
  degradedMs?: (id: string) => number | undefined,
): Promise<RebuildReport> {
  // One memory for the whole rebuild: a run goes on across minutes and days.
  const memory = new RunMemory();
  const cut = cuts.minute;
  const byDay = new Map<string, Segment[]>();
  for (const seg of await listSegments(dataDir, 'raw')) {
    if (seg.end <= from || seg.start >= to) continue;
    const list = byDay.get(seg.key) ?? [];
    list.push(seg);
    byDay.set(seg.key, list);
  }
  const report: RebuildReport = { days: [], minuteLines: 0, hourLines: 0 };
  const hours = new Map<number, RollupLine>();
  const rebuiltHourCut = Math.min(Math.floor(cut / HOUR) * HOUR, cuts.hour);
  for (const [day, segs] of byDay) {
    const minutes = new Map<number, RollupLine>();
    for (const seg of segs) {
      for await (const text of readLines(seg.file, seg.gz, counters)) {
        if (text.length === 0) continue;
        const s = parseSample(text);
        if (!s) {
          counters.corrupt++;
          continue;
        }
        const t = Math.floor(s.t / MINUTE) * MINUTE;
        if (t >= cut) continue;
        let line = minutes.get(t);
        if (!line) minutes.set(t, (line = newLine(t, MINUTE)));
        addSample(line, s, memory, degradedMs);
      }
    }
    const file = segmentFile(dataDir, '1m', day);
    const kept = await keptLines(file, (t) => t >= cut);
    const fresh = [...minutes.values()].sort((a, b) => a.t - b.t);
    await replaceFile(file, kept, fresh);
    for (const m of fresh) {
      const h = Math.floor(m.t / HOUR) * HOUR;
      if (h >= rebuiltHourCut) continue;
      let line = hours.get(h);
      if (!line) hours.set(h, (line = newLine(h, HOUR)));
      mergeLine(line, m);
    }
    report.days.push(day);
    report.minuteLines += fresh.length;
  }
  const dayStarts = new Set(report.days.map((d) => Date.parse(`${d}T00:00:00Z`)));
  const inRebuiltDay = (t: number): boolean =>
    dayStarts.has(Math.floor(t / DAY) * DAY) && t < rebuiltHourCut;
  const byMonth = new Map<string, RollupLine[]>();
  for (const h of hours.values()) {
    const key = segmentKey('1h', h.t);
    byMonth.set(key, [...(byMonth.get(key) ?? []), h]);
  }
  for (const [month, lines] of byMonth) {
    const file = segmentFile(dataDir, '1h', month);
    const kept = await keptLines(file, (t) => !inRebuiltDay(t));
    lines.sort((a, b) => a.t - b.t);
    await replaceFile(file, kept, lines);
    report.hourLines += lines.length;
  }
  return report;
}

/** Existing lines of a rollup file that the rebuild does not replace, with their times. */
async function keptLines(
  file: string,
  keep: (t: number) => boolean,
): Promise<{ t: number; text: string }[]> {
  const out: { t: number; text: string }[] = [];
  try {
    for await (const text of readLines(file, false)) {
      const line = parseRollup(text);
      if (line && keep(line.t)) out.push({ t: line.t, text });
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  return out;
}

async function replaceFile(
  file: string,
  kept: { t: number; text: string }[],
  fresh: RollupLine[],
): Promise<void> {
  const all = [
    ...kept.map((k) => ({ t: k.t, text: k.text + '\n' })),
    ...fresh.map((l) => ({ t: l.t, text: serializeRollup(l) })),
  ];
  all.sort((a, b) => a.t - b.t);
  const tmp = file + '.tmp';
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(tmp, all.map((x) => x.text).join(''));
  await fs.rename(tmp, file);
}
