import type { WindowAnalysis } from '../../../shared/analysis';
import { fmtMs, fmtNum, fmtPct } from './format';
import type { Change, ChangeKind, PreviousSummary } from './report-data';

/** The few figures of a window that a later report compares against. */
export function summarize(a: WindowAnalysis): PreviousSummary {
  const targets: PreviousSummary['targets'] = {};
  const means: PreviousSummary['means'] = {};
  for (const t of a.targets) {
    targets[t.id] = {
      uptimePct: t.uptimePct,
      p95: t.latency.p95,
      incidents: t.incidents.filter((i) => !i.startClipped).length,
      samples: t.samples,
      downMs: t.downMs,
    };
    for (const m of t.metrics) means[m.series] = m.avg;
  }
  for (const s of a.system) means[s.series] = s.avg;
  return { from: a.from, to: a.to, samples: a.samples, targets, means };
}

// Below these a difference is noise, not news.
const MIN_UPTIME_PP = 0.01;
const MIN_LATENCY_REL = 0.1;
const MIN_LATENCY_MS = 1;
const MIN_METRIC_REL = 0.05;
const MIN_SYSTEM_PP = 5;

const ORDER: ChangeKind[] = ['target', 'uptime', 'incidents', 'latency', 'system', 'metric'];

/** "What changed" against the previous window: notable differences, worse ones first. */
export function computeChanges(cur: WindowAnalysis, prev: PreviousSummary): Change[] {
  const out: Change[] = [];
  // With nothing to compare against, every figure would read as "new".
  if (prev.samples === 0 || cur.samples === 0) return out;
  for (const t of cur.targets) {
    const p = prev.targets[t.id];
    const name = t.name;
    if ((!p || p.samples === 0) && t.samples > 0) {
      out.push({
        kind: 'target',
        subject: t.id,
        text: `${name}: new in this window`,
        worse: false,
        before: null,
        after: t.samples,
      });
      continue;
    }
    if (!p) continue;
    if (p.samples > 0 && t.samples === 0) {
      out.push({
        kind: 'target',
        subject: t.id,
        text: `${name}: no data in this window (${p.samples} samples before)`,
        worse: true,
        before: p.samples,
        after: 0,
      });
      continue;
    }
    if (t.uptimePct !== null && p.uptimePct !== null) {
      const d = t.uptimePct - p.uptimePct;
      if (Math.abs(d) >= MIN_UPTIME_PP)
        out.push({
          kind: 'uptime',
          subject: t.id,
          text: `${name} uptime ${fmtPct(p.uptimePct)} → ${fmtPct(t.uptimePct)} (${d > 0 ? '+' : '−'}${Math.abs(d).toFixed(2)} pp)`,
          worse: d < 0,
          before: p.uptimePct,
          after: t.uptimePct,
        });
    }
    const inc = t.incidents.filter((i) => !i.startClipped).length;
    if (inc !== p.incidents)
      out.push({
        kind: 'incidents',
        subject: t.id,
        text: `${name} incidents ${p.incidents} → ${inc}`,
        worse: inc > p.incidents,
        before: p.incidents,
        after: inc,
      });
    const a = t.latency.p95;
    const b = p.p95;
    if (a !== null && b !== null && b > 0) {
      const rel = (a - b) / b;
      if (Math.abs(rel) >= MIN_LATENCY_REL && Math.abs(a - b) >= MIN_LATENCY_MS)
        out.push({
          kind: 'latency',
          subject: t.id,
          text: `${name} p95 latency ${fmtMs(b)} → ${fmtMs(a)} (${pctText(rel)})`,
          worse: rel > 0,
          before: b,
          after: a,
        });
    }
    for (const m of t.metrics) {
      const before = prev.means[m.series];
      if (m.avg === null || before === null || before === undefined || before === 0) continue;
      const rel = (m.avg - before) / Math.abs(before);
      if (Math.abs(rel) >= MIN_METRIC_REL)
        out.push({
          kind: 'metric',
          subject: m.series,
          text: `${name} ${m.metric} average ${fmtNum(before)} → ${fmtNum(m.avg)} (${pctText(rel)})`,
          // Whether higher is better depends on the metric; no verdict.
          worse: false,
          before,
          after: m.avg,
        });
    }
  }
  for (const s of cur.system) {
    const before = prev.means[s.series];
    if (s.avg === null || before === null || before === undefined || s.threshold === null) continue;
    const d = s.avg - before;
    if (Math.abs(d) >= MIN_SYSTEM_PP)
      out.push({
        kind: 'system',
        subject: s.series,
        text: `${s.series} average ${fmtNum(before)} → ${fmtNum(s.avg)} (${d > 0 ? '+' : '−'}${fmtNum(Math.abs(d))})`,
        worse: d > 0,
        before,
        after: s.avg,
      });
  }
  return out.sort(
    (x, y) => Number(y.worse) - Number(x.worse) || ORDER.indexOf(x.kind) - ORDER.indexOf(y.kind),
  );
}

function pctText(rel: number): string {
  const p = Math.round(rel * 1000) / 10;
  return `${p > 0 ? '+' : '−'}${Math.abs(p)} %`;
}
