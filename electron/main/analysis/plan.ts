import type { TierSpan } from '../../../shared/analysis';
import type { Config } from '../../../shared/config-schema';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Windows up to this long read raw samples where they are kept. */
export const RAW_MAX_WINDOW = 2 * DAY;
/** Windows up to this long read 1-minute rollups (beyond raw); longer ones 1-hour rollups. */
export const MINUTE_MAX_WINDOW = 8 * DAY;

export type TierChoice = 'auto' | TierSpan['tier'];

/**
 * Which tier answers which part of [from, to), oldest part first. The finest tier is set
 * by the window's length (so a year never parses millions of raw lines); a part older
 * than that tier's retention falls back to the next coarser tier. Boundaries are whole
 * hours, so no bucket of either rollup tier straddles one. The bucket still open at `now`
 * is read raw. A window edge inside a bucket is read from the next finer tier that still
 * keeps that time (hours -> minutes -> raw), so a window at any alignment counts its
 * partial buckets exactly where finer data exists.
 */
export function planTiers(
  from: number,
  to: number,
  retention: Config['retention'],
  now: number,
  choice: TierChoice = 'auto',
): TierSpan[] {
  const len = to - from;
  const finest =
    choice !== 'auto'
      ? choice
      : len <= RAW_MAX_WINDOW
        ? 'raw'
        : len <= MINUTE_MAX_WINDOW
          ? '1m'
          : '1h';
  const ceilHour = (t: number): number => Math.ceil(t / HOUR) * HOUR;
  // Where each tier's data starts: everything newer than this is still kept.
  const rawStart = finest === 'raw' ? ceilHour(now - retention.rawDays * DAY) : Infinity;
  const minuteStart =
    finest === '1h' ? Infinity : Math.min(rawStart, ceilHour(now - retention.minuteDays * DAY));
  const spans: TierSpan[] = [
    { tier: '1h', from, to: Math.min(to, Math.max(from, minuteStart)) },
    { tier: '1m', from: Math.max(from, minuteStart), to: Math.min(to, Math.max(from, rawStart)) },
    { tier: 'raw', from: Math.max(from, rawStart), to },
  ];
  const out = spans.filter((s) => s.to > s.from);
  if (out.length > 0) {
    const kept = (tier: TierSpan['tier'], t: number): boolean =>
      tier === 'raw'
        ? t >= ceilHour(now - retention.rawDays * DAY)
        : tier !== '1m' || t >= ceilHour(now - retention.minuteDays * DAY);
    const first = out.shift()!;
    out.unshift(...refineEdges(first, kept, true, out.length === 0));
    if (out.length > 1) out.push(...refineEdges(out.pop()!, kept, false, true));
  }
  // The newest rollup bucket is still open (in the writer's memory, not on disk): the
  // stretch since it began is read raw, or a report would show the last hour as a gap.
  const last = out.at(-1);
  if (last && last.tier !== 'raw') {
    const d = last.tier === '1m' ? 60_000 : HOUR;
    const open = Math.max(last.from, Math.floor(now / d) * d);
    if (open < last.to) {
      out.push({ tier: 'raw', from: open, to: last.to });
      last.to = open;
      if (last.to <= last.from) out.splice(out.indexOf(last), 1);
    }
  }
  return out;
}

const FINER = { '1h': '1m', '1m': 'raw' } as const;

/**
 * A span with its unaligned start (`head`) and/or end (`tail`) carved off to the finer
 * tiers that keep those times, recursively.
 */
function refineEdges(
  span: TierSpan,
  kept: (tier: TierSpan['tier'], t: number) => boolean,
  head: boolean,
  tail: boolean,
): TierSpan[] {
  if (span.tier === 'raw') return [span];
  const d = span.tier === '1m' ? 60_000 : HOUR;
  const finer = FINER[span.tier];
  const out: TierSpan[] = [];
  let from = span.from;
  let to = span.to;
  const alignedFrom = Math.min(to, Math.ceil(from / d) * d);
  if (head && alignedFrom > from && kept(finer, from)) {
    out.push(...refineEdges({ tier: finer, from, to: alignedFrom }, kept, true, true));
    from = alignedFrom;
  }
  const end: TierSpan[] = [];
  const alignedTo = Math.max(from, Math.floor(to / d) * d);
  if (tail && alignedTo < to && kept(finer, alignedTo)) {
    end.push(...refineEdges({ tier: finer, from: alignedTo, to }, kept, true, true));
    to = alignedTo;
  }
  if (to > from) out.push({ tier: span.tier, from, to });
  return [...out, ...end];
}
