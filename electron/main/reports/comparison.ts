import { fmtDuration, fmtMs, fmtPct } from './format';
import type { ReportData } from './report-data';
import type { Section } from './sections';

/** One target's figures now and in the previous period, with how much they moved. */
export interface TargetComparison {
  id: string;
  name: string;
  uptime: [number | null, number | null];
  p95: [number | null, number | null];
  incidents: [number, number];
  downMs: [number, number];
  /** For the order: the biggest move first (uptime points, p95 ratio, incidents, downtime). */
  score: number;
  worse: boolean;
  better: boolean;
}

const DAY = 86_400_000;

/** Every target in both periods, the biggest changes first. */
export function compareTargets(r: ReportData): TargetComparison[] {
  const prev = r.previous;
  if (!prev || prev.samples === 0) return [];
  const out: TargetComparison[] = [];
  for (const t of r.analysis.targets) {
    const p = prev.targets[t.id];
    if (!p || (p.samples === 0 && t.samples === 0)) continue;
    const inc = t.incidents.filter((i) => !i.startClipped).length;
    const downBefore = p.downMs ?? 0;
    const du = t.uptimePct !== null && p.uptimePct !== null ? t.uptimePct - p.uptimePct : 0;
    const dp =
      t.latency.p95 !== null && p.p95 !== null && p.p95 > 0 ? (t.latency.p95 - p.p95) / p.p95 : 0;
    const di = inc - p.incidents;
    const dd = t.downMs - downBefore;
    // Comparable units: a percentage point of uptime, a doubling of p95, one incident and
    // an hour of downtime weigh about the same.
    const score =
      Math.abs(du) * 10 + Math.abs(dp) * 10 + Math.abs(di) * 5 + (Math.abs(dd) / 3_600_000) * 5;
    const worseBy =
      (du < -0.005 ? 1 : 0) + (dp > 0.1 ? 1 : 0) + (di > 0 ? 1 : 0) + (dd > 60_000 ? 1 : 0);
    const betterBy =
      (du > 0.005 ? 1 : 0) + (dp < -0.1 ? 1 : 0) + (di < 0 ? 1 : 0) + (dd < -60_000 ? 1 : 0);
    out.push({
      id: t.id,
      name: t.name,
      uptime: [p.uptimePct, t.uptimePct],
      p95: [p.p95, t.latency.p95],
      incidents: [p.incidents, inc],
      downMs: [downBefore, t.downMs],
      score,
      worse: worseBy > betterBy,
      better: betterBy > worseBy,
    });
  }
  return out.sort((a, b) => b.score - a.score || a.name.localeCompare(b.name));
}

function pair<T>(v: [T, T], fmt: (x: T) => string): string {
  return `${fmt(v[0])} → ${fmt(v[1])}`;
}

function periodName(r: ReportData): string {
  const len = r.analysis.to - r.analysis.from;
  if (len >= 27 * DAY && len <= 32 * DAY) return 'previous month';
  if (len >= 6.9 * DAY && len <= 7.1 * DAY) return 'previous week';
  return 'previous period';
}

/** Per target: uptime, p95, incidents and downtime next to the previous period's. */
export function comparisonSection(r: ReportData): Section {
  const rows = compareTargets(r);
  const title = `Compared with the ${periodName(r)}`;
  const base: Section = { id: 'comparison', title, bullets: [], table: null, empty: null };
  if (!r.previous) return { ...base, empty: 'No comparison was requested.' };
  if (rows.length === 0)
    return { ...base, empty: 'No data in the previous period to compare with.' };
  return {
    ...base,
    bullets: ['Biggest changes first; ⚠ marks a change for the worse, ✓ one for the better.'],
    table: {
      headers: ['Service', 'Uptime', 'p95', 'Incidents', 'Downtime', 'Change'],
      numeric: [false, true, true, true, true, false],
      rows: rows.map((c) => [
        c.name,
        pair(c.uptime, (x) => fmtPct(x)),
        pair(c.p95, fmtMs),
        pair(c.incidents, String),
        pair(c.downMs, (x) => (x > 0 ? fmtDuration(x) : '0')),
        c.worse ? '⚠ worse' : c.better ? '✓ better' : '= same',
      ]),
    },
  };
}
