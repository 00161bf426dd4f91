import type { WindowAnalysis } from '../../../shared/analysis';
import { fmtPct } from './format';
import type { ReportData } from './report-data';
import { reportSections, type Section, type SectionId, type Table } from './sections';
import { barChart, esc, lineChart, type LineSeries } from './svg';

/** The most custom-metric charts drawn; the table still lists every metric. */
const MAX_METRIC_CHARTS = 12;

const CSS = `
:root { color-scheme: light dark; --fg: #1d2430; --muted: #5d6b7e; --bg: #ffffff; --line: #d6dce4;
  --card: #f5f7fa; --good: #1f9d55; --fair: #d89b00; --bad: #d64545; --warn: #b54708;
  --c0: #2f6fde; --c1: #d9480f; --c2: #2b8a3e; --c3: #9c36b5; --c4: #0c8599; --c5: #c2255c;
  --c6: #5c940d; --c7: #e67700; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #e3e8ef; --muted: #9aa7b8; --bg: #12161c; --line: #2e3744; --card: #1a2029;
    --good: #40c074; --fair: #f0b429; --bad: #f26d6d; --warn: #f79009;
    --c0: #6ea8fe; --c1: #ff8a50; --c2: #69db7c; --c3: #da77f2; --c4: #3bc9db; --c5: #f783ac;
    --c6: #a9e34b; --c7: #ffc078; }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
main { max-width: 1040px; margin: 0 auto; padding: 24px; }
h1 { font-size: 22px; margin: 0 0 16px; }
h2 { font-size: 17px; margin: 28px 0 10px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
ul { padding-left: 20px; }
li.worse { color: var(--warn); }
.empty { color: var(--muted); font-style: italic; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
th, td { padding: 4px 8px; border-bottom: 1px solid var(--line); text-align: left; white-space: nowrap; }
th { color: var(--muted); font-weight: 600; }
td.num, th.num { text-align: right; }
figure.chart { margin: 12px 0; padding: 8px; background: var(--card); border-radius: 6px; }
figcaption { color: var(--muted); margin-bottom: 4px; }
svg { width: 100%; height: auto; display: block; }
svg text { fill: var(--muted); font-size: 11px; }
.axis { stroke: var(--muted); stroke-width: 1; }
.grid { stroke: var(--line); stroke-width: 1; }
.line { fill: none; stroke-width: 1.6; }
.track { fill: var(--line); opacity: 0.5; }
.bar.good { fill: var(--good); } .bar.fair { fill: var(--fair); } .bar.bad { fill: var(--bad); }
.legend { display: flex; flex-wrap: wrap; gap: 4px 14px; color: var(--muted); font-size: 12px; }
.key i { display: inline-block; width: 12px; height: 3px; margin-right: 5px; vertical-align: middle; }
${[0, 1, 2, 3, 4, 5, 6, 7].map((i) => `.line.c${i} { stroke: var(--c${i}); } .key i.c${i} { background: var(--c${i}); }`).join('\n')}
footer { margin-top: 32px; color: var(--muted); font-size: 12px; }
@media print {
  :root { --fg: #000; --muted: #444; --bg: #fff; --line: #bbb; --card: #fff; }
  main { max-width: none; padding: 0; }
  body { font-size: 11px; }
  section, figure.chart, tr { break-inside: avoid; }
  h2 { break-after: avoid; }
  .scroll { overflow: visible; }
  th, td { white-space: normal; }
}
@page { margin: 14mm; }
`;

function htmlTable(t: Table): string {
  const head = t.headers
    .map((h, i) => `<th${t.numeric[i] ? ' class="num"' : ''}>${esc(h)}</th>`)
    .join('');
  const body = t.rows
    .map(
      (r) =>
        `<tr>${r.map((c, i) => `<td${t.numeric[i] ? ' class="num"' : ''}>${esc(c)}</td>`).join('')}</tr>`,
    )
    .join('\n');
  return `<div class="scroll"><table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table></div>`;
}

function seriesOf(a: WindowAnalysis, name: string): (number | null)[] | undefined {
  return a.timeline.series[name];
}

function charts(id: SectionId, a: WindowAnalysis): string {
  const base = { t: a.timeline.t, step: a.timeline.step, timeZone: a.timeZone };
  if (id === 'uptime') {
    const bars = a.targets.map((t) => ({
      name: t.name,
      value: t.uptimePct,
      label: fmtPct(t.uptimePct),
    }));
    return barChart('Uptime per service', bars);
  }
  if (id === 'latency-trends') {
    // The table's figure, day by day: each local day's p95, not a mean of the timeline.
    const days = a.days;
    const series: LineSeries[] = a.targets
      .filter((t) => t.latency.p95 !== null)
      .map((t) => ({ name: t.name, values: days.map((d) => d.targets[t.id]?.p95 ?? null) }));
    if (days.length === 0 || series.length === 0) return '';
    const last = days[days.length - 1];
    return lineChart({
      t: days.map((d) => d.start),
      step: last.end - last.start,
      timeZone: a.timeZone,
      title: 'Latency, daily p95 (successful probes)',
      unit: 'ms',
      series,
    });
  }
  if (id === 'quality') {
    const out: string[] = [];
    for (const t of a.targets)
      for (const m of t.metrics) {
        const v = seriesOf(a, m.series);
        if (v && out.length < MAX_METRIC_CHARTS)
          out.push(
            lineChart({
              ...base,
              title: `${t.name}: ${m.metric}`,
              unit: '',
              series: [{ name: m.metric, values: v }],
              height: 150,
            }),
          );
      }
    return out.join('\n');
  }
  if (id === 'system') {
    const pct = a.system.filter(
      (s) =>
        ['sys.cpu', 'sys.mem', 'sys.swap'].includes(s.series) || s.series.startsWith('sys.disk.'),
    );
    const series = pct.flatMap((s) => {
      const v = seriesOf(a, s.series);
      return v ? [{ name: s.series, values: v }] : [];
    });
    return series.length
      ? lineChart({ ...base, title: 'CPU, memory and disk', unit: '%', series, yMin: 0, yMax: 100 })
      : '';
  }
  return '';
}

function htmlSection(s: Section, a: WindowAnalysis): string {
  const parts = [`<section id="${s.id}"><h2>${esc(s.title)}</h2>`];
  if (s.bullets.length) {
    const items = s.bullets.map((b) =>
      b.startsWith('⚠ ') ? `<li class="worse">${esc(b)}</li>` : `<li>${esc(b)}</li>`,
    );
    parts.push(`<ul>${items.join('')}</ul>`);
  }
  const hasRows = s.table !== null && s.table.rows.length > 0;
  if (hasRows) parts.push(charts(s.id, a));
  if (s.table && hasRows) parts.push(htmlTable(s.table));
  else if (s.empty) parts.push(`<p class="empty">${esc(s.empty)}</p>`);
  parts.push('</section>');
  return parts.join('\n');
}

/**
 * One self-contained page: inline CSS and SVG, no script, and a Content-Security-Policy
 * that forbids every fetch, so it opens the same offline, in a mail client or as a PDF.
 */
export function renderHtml(r: ReportData): string {
  const a = r.analysis;
  const body = reportSections(r).map((s) => htmlSection(s, a));
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="generator" content="OpsPulse">
<title>${esc(r.title)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
<h1>${esc(r.title)}</h1>
${body.join('\n')}
<footer>OpsPulse report schema v${r.schemaVersion}. Uptime is time-weighted; gaps count neither as up nor as down.</footer>
</main>
</body>
</html>
`;
}
