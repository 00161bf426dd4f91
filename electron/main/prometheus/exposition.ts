/**
 * The Prometheus text exposition format, version 0.0.4: one HELP and one TYPE line per
 * family, then its samples. Only what OpsPulse needs: gauges, no timestamps (Prometheus
 * stamps a sample with its scrape time, which keeps staleness handling correct).
 */
export const EXPOSITION_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export type Labels = Readonly<Record<string, string>>;

export interface MetricSample {
  labels: Labels;
  value: number;
}

export interface MetricFamily {
  name: string;
  help: string;
  type: 'gauge' | 'counter';
  samples: MetricSample[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Renders families in order; a family with no samples is left out entirely. */
export function renderFamilies(families: readonly MetricFamily[]): string {
  const seen = new Set<string>();
  let out = '';
  for (const f of families) {
    if (!NAME.test(f.name)) throw new Error(`invalid Prometheus metric name "${f.name}"`);
    if (seen.has(f.name)) throw new Error(`metric family "${f.name}" rendered twice`);
    seen.add(f.name);
    if (f.samples.length === 0) continue;
    out += `# HELP ${f.name} ${escapeHelp(f.help)}\n# TYPE ${f.name} ${f.type}\n`;
    for (const s of f.samples)
      out += `${f.name}${renderLabels(s.labels)} ${formatValue(s.value)}\n`;
  }
  return out;
}

const validLabels = new Set<string>();

function renderLabels(labels: Labels): string {
  let out = '';
  for (const k in labels) {
    if (!validLabels.has(k)) {
      if (!LABEL.test(k) || k.startsWith('__')) throw new Error(`invalid Prometheus label "${k}"`);
      validLabels.add(k);
    }
    out += `${out ? ',' : '{'}${k}="${escapeLabelValue(labels[k])}"`;
  }
  return out ? `${out}}` : '';
}

const NEEDS_ESCAPE = /[\\"\n]/;

export function escapeLabelValue(v: string): string {
  if (!NEEDS_ESCAPE.test(v)) return v;
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

export function escapeHelp(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

/** Go's ParseFloat spellings, which is what Prometheus reads. */
export function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}
