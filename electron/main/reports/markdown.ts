import type { ReportData } from './report-data';
import { reportSections, type Table } from './sections';

/** Table cells must not break the row: pipes are escaped and line breaks flattened. */
function cell(s: string): string {
  return s
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/\s*[\r\n]+\s*/g, ' ');
}

function mdTable(t: Table): string[] {
  const head = `| ${t.headers.map(cell).join(' | ')} |`;
  const rule = `|${t.numeric.map((n) => (n ? ' ---: ' : ' --- ')).join('|')}|`;
  return [head, rule, ...t.rows.map((r) => `| ${r.map(cell).join(' | ')} |`)];
}

export function renderMarkdown(r: ReportData): string {
  const out: string[] = [`# ${r.title}`, ''];
  for (const s of reportSections(r)) {
    out.push(`## ${s.title}`, '');
    if (s.bullets.length) out.push(...s.bullets.map((b) => `- ${b.replace(/[\r\n]+/g, ' ')}`), '');
    if (s.table && s.table.rows.length) out.push(...mdTable(s.table), '');
    else if (s.empty) out.push(`_${s.empty}_`, '');
  }
  return out.join('\n');
}
