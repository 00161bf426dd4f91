import type { ReportFormat } from '../../../shared/api';
import { errorText } from '../api/errors';
import { clear, h } from '../dom';
import type { AppState, View } from '../state';

/** The CLI's reports for the chosen range, saved through a download link. */
export class ExportView implements View {
  readonly el = h('div', { class: 'view export' });
  private readonly format = h(
    'select',
    { id: 'report-format' },
    h('option', { value: 'md' }, 'Markdown'),
    h('option', { value: 'json' }, 'JSON'),
    h('option', { value: 'html' }, 'HTML (self-contained, with charts)'),
  );
  private readonly status = h('div', { class: 'export-status', 'aria-live': 'polite' });
  private readonly preview = h('pre', { class: 'report-preview' });

  constructor(private readonly state: AppState) {
    this.el.append(
      h(
        'p',
        {},
        'The same reports as ',
        h('code', {}, 'opspulse report'),
        ', for the range chosen above.',
      ),
      h('label', { for: 'report-format' }, 'Format '),
      this.format,
      ' ',
      h(
        'button',
        { type: 'button', class: 'export-report', onclick: () => void this.run() },
        'Export report',
      ),
      this.status,
      this.preview,
    );
  }

  async refresh(): Promise<void> {
    const r = this.state.currentRange();
    clear(
      this.status,
      `Range: ${new Date(r.from).toLocaleString()} – ${new Date(r.to).toLocaleString()}`,
    );
  }

  private async run(): Promise<void> {
    const range = this.state.currentRange();
    clear(this.status, 'Building the report…');
    try {
      const file = await this.state.api.exportReport({
        from: range.from,
        to: range.to,
        format: this.format.value as ReportFormat,
      });
      const url = URL.createObjectURL(new Blob([file.content], { type: file.mime }));
      const link = h(
        'a',
        { href: url, download: file.filename, class: 'download' },
        `Save ${file.filename}`,
      );
      clear(this.status, link);
      link.click();
      this.preview.textContent = file.mime.includes('html') ? '' : file.content.slice(0, 20_000);
      // Keep the link usable for a while, then release the memory.
      setTimeout(() => URL.revokeObjectURL(url), 10 * 60_000);
    } catch (err) {
      clear(this.status, h('span', { class: 'error' }, errorText(err)));
    }
  }

  hide(): void {}
}
