import type { FieldError } from '../../../shared/api';
import { EmailSettings } from './email-settings';
import {
  formatPath,
  TargetSchema,
  type Target,
  type TargetKind,
} from '../../../shared/config-schema';
import type { ProbeResult } from '../../../shared/sample';
import { errorText, fieldErrorsOf } from '../api/errors';
import { clear, h } from '../dom';
import { applyConfigChange } from './config-change';
import { fmtMs, fmtNum } from '../format';
import type { AppState, View } from '../state';
import { fieldRow, readValues, showFieldErrors, type FieldDef, type Input } from './form-fields';
import { RulesEditor } from './rules';
import {
  COMMON_FIELDS,
  fieldOf,
  fromTarget,
  KIND_FIELDS,
  toTargetInput,
  type FormValues,
} from './target-form-model';

const FIELDS: Record<string, FieldDef> = {
  kind: { label: 'Kind', type: 'select', options: ['http', 'tcp', 'file', 'prometheus'] },
  id: { label: 'Id', type: 'text', placeholder: 'api (lowercase, digits, - or _)' },
  name: { label: 'Name', type: 'text', placeholder: 'Public API' },
  enabled: { label: 'Enabled', type: 'checkbox' },
  dependsOn: { label: 'Depends on (target id)', type: 'text' },
  // Secrets come back as ***** (shared/secrets.ts): leaving it keeps the saved value.
  url: {
    label: 'URL (***** keeps a saved password or token)',
    type: 'text',
    placeholder: 'http://127.0.0.1:8080/health',
  },
  method: { label: 'Method', type: 'select', options: ['GET', 'HEAD', 'POST', 'PUT', 'OPTIONS'] },
  expectStatus: { label: 'Expected status codes', type: 'text', placeholder: 'any 2xx' },
  timeoutMs: { label: 'Timeout (ms)', type: 'number' },
  bodyContains: { label: 'Body contains', type: 'text' },
  conditions: {
    label: 'Conditions (one per line)',
    type: 'textarea',
    placeholder: '$.status == "healthy"',
  },
  metrics: {
    label: 'Metrics (one per line)',
    type: 'textarea',
    placeholder: 'confidence = $.confidence',
  },
  headers: {
    label: 'Headers (one per line; ***** keeps a saved value)',
    type: 'textarea',
    placeholder: 'Authorization: Bearer …',
  },
  insecure: { label: 'Accept self-signed certificates', type: 'checkbox' },
  host: { label: 'Host', type: 'text', placeholder: '127.0.0.1' },
  port: { label: 'Port', type: 'number' },
  path: { label: 'File path', type: 'text' },
  format: {
    label: 'Format',
    type: 'select',
    options: ['', 'json', 'jsonl'],
    emptyOption: 'by extension',
  },
  staleAfterSec: { label: 'Stale after (s)', type: 'number' },
  query: { label: 'PromQL query', type: 'text' },
  metric: { label: 'Metric name', type: 'text', placeholder: 'value' },
  bearerToken: { label: 'Bearer token (***** keeps the saved one)', type: 'text' },
};

/** Targets list and editor; the shared schema checks the form before the core does. */
export class TargetsView implements View {
  readonly el = h('div', { class: 'view targets' });
  private readonly list = h('div', { class: 'target-list' });
  private readonly rules: RulesEditor;
  private readonly form = h('form', { class: 'target-form', novalidate: true });
  private readonly result = h('div', { class: 'test-result', 'aria-live': 'polite' });
  private readonly inputs = new Map<string, Input>();
  private editing: string | null = null;
  private offConfig: (() => void) | null = null;

  constructor(private readonly state: AppState) {
    this.rules = new RulesEditor(state);
    this.el.append(
      h(
        'div',
        { class: 'toolbar' },
        h(
          'button',
          { type: 'button', class: 'add-target', onclick: () => this.edit(null) },
          'Add target',
        ),
      ),
      this.list,
      this.form,
      this.result,
      this.rules.el,
      new EmailSettings(state).el,
    );
    this.form.hidden = true;
    this.form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      void this.save();
    });
  }

  async refresh(): Promise<void> {
    this.offConfig ??= this.state.configChanged.on(() => this.renderList());
    this.renderList();
    // `#targets&edit=<id>`: the Edit action of a target's own page.
    const id = new URLSearchParams(location.hash.slice(1)).get('edit');
    const t = id === null ? undefined : this.state.config?.targets.find((x) => x.id === id);
    if (t) this.edit(t);
  }

  private renderList(): void {
    const cfg = this.state.config;
    if (!cfg) return;
    if (cfg.targets.length === 0) {
      clear(
        this.list,
        h('p', { class: 'muted' }, 'No targets yet. Add one to start watching a service.'),
      );
    } else {
      const rows = cfg.targets.map((t) =>
        h(
          'tr',
          { 'data-target': t.id },
          h('td', {}, t.id),
          h('td', {}, t.name),
          h('td', {}, t.kind),
          h('td', {}, describe(t)),
          h(
            'td',
            {},
            h('input', {
              type: 'checkbox',
              class: 'toggle-enabled',
              'aria-label': `enable ${t.name}`,
              checked: t.enabled,
              onchange: (ev: Event) =>
                void this.setEnabled(t.id, (ev.target as HTMLInputElement).checked),
            }),
          ),
          h(
            'td',
            {},
            h('button', { type: 'button', class: 'edit', onclick: () => this.edit(t) }, 'Edit'),
            ' ',
            h(
              'button',
              { type: 'button', class: 'delete', onclick: () => void this.remove(t) },
              'Delete',
            ),
          ),
        ),
      );
      clear(
        this.list,
        h(
          'table',
          { class: 'targets-table' },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              ...['Id', 'Name', 'Kind', 'Checks', 'Enabled', ''].map((l) => h('th', {}, l)),
            ),
          ),
          h('tbody', {}, ...rows),
        ),
      );
    }
    this.rules.render(cfg);
  }

  private edit(t: Target | null): void {
    this.editing = t?.id ?? null;
    const values: FormValues = t ? fromTarget(t) : { kind: 'http', enabled: true, method: 'GET' };
    this.buildForm(values);
    this.form.hidden = false;
    clear(this.result);
    this.inputs.get(t ? 'name' : 'id')?.focus();
  }

  private buildForm(values: FormValues): void {
    const kind = (values.kind as TargetKind) ?? 'http';
    this.inputs.clear();
    const fields = [...COMMON_FIELDS, ...KIND_FIELDS[kind]];
    const rows = fields.map((name) => this.field(name, values[name]));
    clear(
      this.form,
      h('h2', {}, this.editing ? `Edit ${this.editing}` : 'New target'),
      h('p', { class: 'field-error form-error', 'data-for': '_form' }),
      ...rows,
      h(
        'div',
        { class: 'form-actions' },
        h('button', { type: 'submit', class: 'save' }, 'Save'),
        ' ',
        h(
          'button',
          { type: 'button', class: 'test-now', onclick: () => void this.testNow() },
          'Test now',
        ),
        ' ',
        h('button', { type: 'button', class: 'cancel', onclick: () => this.close() }, 'Cancel'),
      ),
    );
    const id = this.inputs.get('id');
    if (id && this.editing) id.setAttribute('readonly', '');
    this.inputs.get('kind')?.addEventListener('change', () => {
      const current = this.values();
      this.buildForm(current);
    });
  }

  private field(name: string, value: string | boolean | undefined): HTMLElement {
    return fieldRow(name, FIELDS[name], value, 'f', this.inputs);
  }

  private values(): FormValues {
    return readValues(this.inputs);
  }

  private showErrors(errors: FieldError[]): void {
    showFieldErrors(this.form, this.inputs, errors, fieldOf);
  }

  /** Parses and schema-checks the form; shows the messages and returns null when it fails. */
  private checked() {
    const { input, issues } = toTargetInput(this.values());
    const r = TargetSchema.safeParse(input);
    const errors: FieldError[] = [
      ...issues,
      ...(r.success
        ? []
        : r.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message }))),
    ];
    this.showErrors(errors);
    return errors.length === 0 ? input : null;
  }

  private async save(): Promise<void> {
    const input = this.checked();
    if (!input) return;
    try {
      this.state.setConfig(await this.state.api.saveTarget(input));
      this.close();
    } catch (err) {
      this.showErrors(fieldErrorsOf(err) ?? [{ path: '_form', message: errorText(err) }]);
    }
  }

  private async testNow(): Promise<void> {
    const input = this.checked();
    if (!input) return;
    clear(this.result, h('p', { class: 'muted' }, 'Testing…'));
    try {
      this.renderResult(await this.state.api.testTarget(input));
    } catch (err) {
      const fields = fieldErrorsOf(err);
      if (fields) this.showErrors(fields);
      clear(this.result, h('p', { class: 'error' }, errorText(err)));
    }
  }

  private renderResult(r: ProbeResult): void {
    this.result.dataset.up = String(r.up);
    const metrics = Object.entries(r.metrics ?? {});
    clear(
      this.result,
      h('h3', {}, r.up ? 'Up' : 'Down'),
      h(
        'dl',
        {},
        r.status !== undefined ? h('dt', {}, 'Status') : null,
        r.status !== undefined ? h('dd', {}, String(r.status)) : null,
        h('dt', {}, 'Latency'),
        h('dd', {}, fmtMs(r.ms)),
        r.certDays !== undefined ? h('dt', {}, 'Certificate') : null,
        r.certDays !== undefined ? h('dd', {}, `${Math.floor(r.certDays)} days left`) : null,
        r.error ? h('dt', {}, 'Failed') : null,
        r.error ? h('dd', { class: 'error' }, r.error) : null,
        ...metrics.flatMap(([k, v]) => [h('dt', {}, k), h('dd', { 'data-metric': k }, fmtNum(v))]),
      ),
    );
  }

  private close(): void {
    this.form.hidden = true;
    this.editing = null;
    clear(this.form);
    this.inputs.clear();
  }

  private async setEnabled(id: string, enabled: boolean): Promise<void> {
    await applyConfigChange(this.state, () => this.state.api.setTargetEnabled(id, enabled));
  }

  private async remove(t: Target): Promise<void> {
    if (!confirm(`Delete ${t.name}? Its history stays on disk.`)) return;
    await applyConfigChange(this.state, () => this.state.api.deleteTarget(t.id));
  }

  hide(): void {
    this.offConfig?.();
    this.offConfig = null;
  }
}

function describe(t: Target): string {
  switch (t.kind) {
    case 'http':
      return `${t.method} ${t.url}`;
    case 'tcp':
      return `${t.host}:${t.port}`;
    case 'file':
      return t.path;
    case 'prometheus':
      return `${t.query} @ ${t.url}`;
  }
}
