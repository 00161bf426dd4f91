import type { TargetAnalysis, WindowAnalysis } from '../../../shared/analysis';
import { fmtDuration, fmtMs, fmtNum, fmtPct, fmtSigned, fmtTime, humanWindow } from './format';
import type { ChangeKind, ReportData } from './report-data';
import { compareTargets, comparisonSection } from './comparison';
import { sloSection } from './slo-section';
import { anomalySection } from './anomaly-section';

/**
 * The report's content as plain sections of text, bullets and tables: Markdown and HTML
 * render the same sections, so the two formats never disagree on a figure.
 */
export interface Table {
  headers: string[];
  /** Right-aligned columns (numbers). */
  numeric: boolean[];
  rows: string[][];
}

export type SectionId =
  | 'summary'
  | 'changes'
  | 'comparison'
  | 'slo'
  | 'anomalies'
  | 'uptime'
  | 'performance'
  | 'incidents'
  | 'quality'
  | 'latency-trends'
  | 'daily-uptime'
  | 'system'
  | 'gaps'
  | 'notes';

export interface Section {
  id: SectionId;
  title: string;
  bullets: string[];
  table: Table | null;
  /** What to say when there is nothing to show. */
  empty: string | null;
}

/** The most incidents listed one by one; the rest are counted. */
export const MAX_INCIDENT_ROWS = 100;

function section(id: SectionId, title: string, part: Partial<Section>): Section {
  return { id, title, bullets: [], table: null, empty: null, ...part };
}

function table(headers: string[], numeric: boolean[], rows: string[][]): Table {
  return { headers, numeric, rows };
}

export function reportSections(r: ReportData): Section[] {
  const a = r.analysis;
  return [
    summary(r),
    changes(r),
    comparisonSection(r),
    sloSection(r),
    anomalySection(r),
    uptime(a),
    performance(a),
    incidents(a),
    quality(r),
    latencyTrends(a),
    dailyUptime(a),
    system(a),
    gaps(a),
    notes(),
  ];
}

function summary(r: ReportData): Section {
  const a = r.analysis;
  const tz = a.timeZone;
  const withData = a.targets.filter((t) => t.uptimePct !== null);
  const upMs = withData.reduce((s, t) => s + t.upMs, 0);
  const coveredMs = withData.reduce((s, t) => s + t.upMs + t.downMs, 0);
  const incidents = a.targets.reduce((s, t) => s + t.incidents.length, 0);
  const bullets = [
    `Window: ${fmtTime(a.from, tz)} to ${fmtTime(a.to, tz)} (${humanWindow(a.from, a.to)}, time zone ${tz})`,
    `Generated: ${fmtTime(r.generatedAt, tz)}`,
    `Data: ${sourceText(a)}`,
  ];
  if (a.samples === 0) {
    bullets.push(
      'No samples in this window: the monitor was not running, or the window is in the future.',
    );
  } else {
    bullets.push(
      `Coverage: ${fmtPct((100 * a.coveredMs) / (a.to - a.from), 1)} of the window; ${a.gaps.length} gap(s) totalling ${fmtDuration(a.gapMs)}`,
      `Services: ${a.targets.length}; combined uptime ${coveredMs > 0 ? fmtPct((100 * upMs) / coveredMs) : '–'}; ${incidents} incident(s)`,
    );
  }
  if (a.unknownTargets.length > 0)
    bullets.push(
      `Unknown target(s), not in the config or the data: ${a.unknownTargets.join(', ')}`,
    );
  return section('summary', 'Summary', { bullets });
}

function sourceText(a: WindowAnalysis): string {
  if (a.exact) return 'raw samples (exact figures)';
  const parts = a.tiers.map((s) => (s.tier === 'raw' ? 'raw samples' : `${s.tier} rollups`));
  return `${[...new Set(parts)].join(' and ')} (uptime, incidents and status codes exact from the transition log; quantiles within about 1 %)`;
}

const TABLED_KINDS = new Set<ChangeKind>(['uptime', 'incidents', 'latency']);

function changes(r: ReportData): Section {
  const title = `What changed (against the previous ${humanWindow(r.analysis.from, r.analysis.to)})`;
  if (!r.previous) return section('changes', title, { empty: 'No comparison was requested.' });
  if (r.previous.samples === 0)
    return section('changes', title, { empty: 'No data in the previous window to compare with.' });
  // Per-target uptime, incidents and p95 stand in the comparison table beside this list;
  // here the rest (targets new or gone, system and custom metrics).
  const tabled = compareTargets(r).length > 0 ? TABLED_KINDS : new Set<ChangeKind>();
  const bullets = r.changes
    .filter((c) => !tabled.has(c.kind))
    .map((c) => (c.worse ? `⚠ ${c.text}` : c.text));
  return section('changes', title, {
    bullets,
    empty: bullets.length
      ? null
      : tabled.size > 0
        ? 'Nothing beyond the per-service figures compared below.'
        : 'No notable changes.',
  });
}

function streakText(t: TargetAnalysis): string {
  if (!t.streak) return '–';
  return `${t.streak.state} ${fmtDuration(t.streak.durationMs)}`;
}

function uptime(a: WindowAnalysis): Section {
  const rows = a.targets.map((t) => [
    t.configured ? t.name : `${t.name} (removed)`,
    fmtPct(t.uptimePct),
    fmtPct(t.uptimePctBySamples),
    String(t.samples),
    fmtDuration(t.downMs),
    t.degradedMs > 0 ? fmtDuration(t.degradedMs) : '–',
    t.noDataMs > 0 ? fmtDuration(t.noDataMs) : '–',
    String(t.incidents.length),
    fmtDuration(t.mttrMs),
    fmtDuration(t.mtbfMs),
    t.longestOutageMs > 0 ? fmtDuration(t.longestOutageMs) : '–',
    streakText(t),
  ]);
  return section('uptime', 'Uptime per service', {
    table: table(
      [
        'Service',
        'Uptime (time)',
        'By samples',
        'Samples',
        'Down',
        'Degraded',
        'Unobserved',
        'Incidents',
        'MTTR',
        'MTBF',
        'Longest',
        'Current',
      ],
      [false, true, true, true, true, true, true, true, true, true, true, false],
      rows,
    ),
    empty: rows.length ? null : 'No services configured or seen in this window.',
  });
}

function performance(a: WindowAnalysis): Section {
  const rows = a.targets
    .filter((t) => t.samples > 0)
    .map((t) => [
      t.name,
      fmtMs(t.latency.avg),
      fmtMs(t.latency.min),
      fmtMs(t.latency.p50),
      fmtMs(t.latency.p95),
      fmtMs(t.latency.p99),
      fmtMs(t.latency.max),
      Object.entries(t.statusCodes)
        .map(([code, n]) => `${code}×${n}`)
        .join(' ') || '–',
    ]);
  return section('performance', 'Performance statistics (successful probes)', {
    table: table(
      ['Service', 'Avg', 'Min', 'p50', 'p95', 'p99', 'Max', 'Status codes'],
      [false, true, true, true, true, true, true, false],
      rows,
    ),
    empty: rows.length ? null : 'No latency data in this window.',
  });
}

function incidents(a: WindowAnalysis): Section {
  const tz = a.timeZone;
  const names = new Map(a.targets.map((t) => [t.id, t.name]));
  const all = a.targets.flatMap((t) => t.incidents).sort((x, y) => x.start - y.start);
  const shown = all.slice(-MAX_INCIDENT_ROWS);
  const rows = shown.map((i) => [
    names.get(i.target) ?? i.target,
    `${fmtTime(i.start, tz)}${i.startClipped ? ' (or earlier)' : ''}`,
    i.end === null ? 'ongoing' : fmtTime(i.end, tz),
    i.unobservedMs
      ? `${fmtDuration(i.durationMs)} (${fmtDuration(i.unobservedMs)} unobserved)`
      : fmtDuration(i.durationMs),
    i.error ?? '–',
  ]);
  const bullets =
    all.length > shown.length
      ? [`Showing the latest ${shown.length} of ${all.length} incidents.`]
      : [];
  return section('incidents', 'Incidents', {
    bullets,
    table: table(
      ['Service', 'Start', 'End', 'Duration', 'First error'],
      [false, false, false, true, false],
      rows,
    ),
    empty: rows.length ? null : 'No incidents in this window.',
  });
}

function quality(r: ReportData): Section {
  const rows: string[][] = [];
  for (const t of r.analysis.targets) {
    for (const m of t.metrics) {
      const before = r.previous?.means[m.series] ?? null;
      const change =
        before !== null && m.avg !== null && before !== 0
          ? `${fmtSigned((100 * (m.avg - before)) / Math.abs(before))} %`
          : '–';
      rows.push([
        t.name,
        m.metric,
        fmtNum(m.avg),
        fmtNum(m.min),
        fmtNum(m.max),
        `${fmtNum(m.first)} → ${fmtNum(m.last)}`,
        fmtSigned(m.slopePerDay),
        change,
      ]);
    }
  }
  return section('quality', 'Quality trends (custom metrics)', {
    table: table(
      ['Service', 'Metric', 'Avg', 'Min', 'Max', 'First → last', 'Trend / day', 'vs previous'],
      [false, false, true, true, true, true, true, true],
      rows,
    ),
    empty: rows.length ? null : 'No custom metrics in this window.',
  });
}

function latencyTrends(a: WindowAnalysis): Section {
  const targets = a.targets.filter((t) => t.latency.p95 !== null);
  const rows = a.days.map((d) => [
    d.label,
    ...targets.map((t) => fmtMs(d.targets[t.id]?.p95 ?? null)),
  ]);
  return section('latency-trends', 'Latency trends (daily p95)', {
    table: table(['Day', ...targets.map((t) => t.name)], [false, ...targets.map(() => true)], rows),
    empty: targets.length ? null : 'No latency data in this window.',
  });
}

function dailyUptime(a: WindowAnalysis): Section {
  const targets = a.targets.filter((t) => t.uptimePct !== null);
  const rows = a.days.map((d) => [
    d.label,
    ...targets.map((t) => fmtPct(d.targets[t.id]?.uptimePct ?? null)),
  ]);
  return section('daily-uptime', 'Daily uptime', {
    table: table(['Day', ...targets.map((t) => t.name)], [false, ...targets.map(() => true)], rows),
    empty: targets.length ? null : 'No uptime data in this window.',
  });
}

function system(a: WindowAnalysis): Section {
  const tz = a.timeZone;
  const rows = a.system.map((s) => {
    const notes: string[] = [];
    if (s.projectedFullAt !== undefined && s.projectedFullAt !== null)
      notes.push(`full by ${fmtTime(s.projectedFullAt, tz).slice(0, 10)} at this trend`);
    return [
      s.series,
      fmtNum(s.avg),
      fmtNum(s.min),
      fmtNum(s.max),
      fmtNum(s.p95),
      s.threshold === null ? '–' : `${fmtDuration(s.aboveMs)} > ${s.threshold}`,
      trendText(s.slopePerDay, s.r2),
      notes.join('; ') || '–',
    ];
  });
  return section('system', 'System resources', {
    table: table(
      ['Series', 'Avg', 'Min', 'Max', 'p95', 'Time above', 'Trend / day', 'Note'],
      [false, true, true, true, true, true, true, false],
      rows,
    ),
    empty: rows.length ? null : 'No system metrics in this window.',
  });
}

/** R² below this: the straight line explains too little of the series to call it a trend. */
export const MIN_TREND_R2 = 0.5;

/** A trend only where the fitted line means something, with its R². */
function trendText(slope: number | null, r2: number | null): string {
  if (slope === null || r2 === null || r2 < MIN_TREND_R2) return '–';
  return `${fmtSigned(slope)} (R² ${r2.toFixed(2)})`;
}

function gaps(a: WindowAnalysis): Section {
  const tz = a.timeZone;
  const rows = a.gaps.map((g) => [
    fmtTime(g.start, tz),
    fmtTime(g.end, tz),
    fmtDuration(g.durationMs),
  ]);
  return section('gaps', 'Gaps (no data: the monitor was off or the machine slept)', {
    table: table(['From', 'To', 'Length'], [false, false, true], rows),
    empty: rows.length ? null : 'No gaps.',
  });
}

/** How to read the figures, each pointing at its definition. */
function notes(): Section {
  const bullets = [
    'Definitions of every figure: docs/definitions.md in the OpsPulse source.',
    'Uptime (time) is up time / observed time; By samples is up samples / samples; Unobserved is window time without data for the service (gaps, before it was added), counted neither up nor down (definitions: "Up, down and uptime", "Gap").',
    'Incidents are runs of down time, exact to the sample at every tier; a gap of up to incidentGapIntervals intervals (config.json, default 10) inside an outage continues the incident and is shown as unobserved (definitions: "Incident").',
    'Degraded is up time with successful probes slower than the service\'s degradedMs (definitions: "Up, down and uptime").',
    'Latency figures count successful probes only, at every tier; p50/p95/p99 are exact on raw samples and within about 1 % on rollups (definitions: "Latency", "Quantiles").',
    `System trends are shown only where the fitted line explains the data (R² ≥ ${MIN_TREND_R2}) (definitions: "Trends").`,
  ];
  return section('notes', 'Notes', { bullets });
}
