import type { ReportFormat } from '../../../shared/api';
import { renderHtml } from './html';
import { renderMarkdown } from './markdown';
import type { ReportData } from './report-data';

export function renderJson(r: ReportData): string {
  return `${JSON.stringify(r, null, 2)}\n`;
}

export function renderReport(r: ReportData, format: ReportFormat): string {
  switch (format) {
    case 'md':
      return renderMarkdown(r);
    case 'json':
      return renderJson(r);
    case 'html':
      return renderHtml(r);
  }
}
