import {
  VERDICT_LABEL,
  verdictOf,
  verdictRank,
  type HealthSnapshot,
  type TargetHealth,
  type Verdict,
} from '../../../shared/health';
import { fmtClock, fmtFor } from '../format';

export { VERDICT_LABEL, verdictOf, type Verdict };

/** "down 3 min · since 17:05"; empty when the state's start is not known. */
export function sinceText(th: TargetHealth, now = Date.now()): string {
  const span = forText(th, now);
  return span ? `${VERDICT_LABEL[verdictOf(th)].toLowerCase()} ${span}` : '';
}

/** "3 min · since 17:05": how long in the current state, and from when. */
export function forText(th: TargetHealth, now = Date.now()): string {
  if (th.since === undefined) return '';
  return `${fmtFor(now - th.since)} · since ${fmtClock(th.since, now)}`;
}

/** "checked 4 s ago" from the target's latest sample. */
export function checkedText(th: TargetHealth, now = Date.now()): string {
  return th.lastT === undefined ? 'not checked yet' : `checked ${fmtFor(now - th.lastT)} ago`;
}

/** Worst first, then as configured: what needs attention is at the top. */
export function bySeverity<T>(items: T[], verdict: (x: T) => Verdict): T[] {
  return items
    .map((x, i) => ({ x, i, r: verdictRank(verdict(x)) }))
    .sort((a, b) => b.r - a.r || a.i - b.i)
    .map((e) => e.x);
}

export interface VerdictCount {
  verdict: Verdict;
  count: number;
}

/** Header counts, worst first, only the verdicts present. */
export function verdictCounts(hs: HealthSnapshot): VerdictCount[] {
  const counts = new Map<Verdict, number>();
  for (const t of hs.targets) {
    const v = verdictOf(t);
    counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  return [...counts]
    .map(([verdict, count]) => ({ verdict, count }))
    .sort((a, b) => verdictRank(b.verdict) - verdictRank(a.verdict));
}

/** A CSS state for a verdict: down and critical share the red. */
export function stateAttr(v: Verdict): string {
  return v === 'down' || v === 'critical'
    ? 'crit'
    : v === 'degraded'
      ? 'warn'
      : v === 'nodata'
        ? 'unknown'
        : v;
}
