import type { FieldError } from '../../../shared/api';
import {
  formatPath,
  RuleOp,
  RuleSchema,
  type Config,
  type Rule,
} from '../../../shared/config-schema';
import { errorText, fieldErrorsOf } from '../api/errors';
import { clear, h } from '../dom';
import { applyConfigChange } from './config-change';
import type { AppState } from '../state';
import { fieldRow, readValues, showFieldErrors, type FieldDef, type Input } from './form-fields';
import {
  describeRule,
  fromRule,
  RULE_FIELDS,
  seriesSuggestions,
  toRuleInput,
} from './rule-form-model';
import { fieldOf } from './target-form-model';

const FIELDS: Record<(typeof RULE_FIELDS)[number], FieldDef> = {
  id: { label: 'Id', type: 'text', placeholder: 'slow-api (lowercase, digits, - or _)' },
  name: { label: 'Name', type: 'text', placeholder: 'API is slow' },
  enabled: { label: 'Enabled', type: 'checkbox' },
  series: { label: 'Series', type: 'text', placeholder: 'tg.api.ms, sys.cpu or tg.*.cert' },
  op: { label: 'Fires when value is', type: 'select', options: [...RuleOp.options] },
  warn: { label: 'Warn at', type: 'number' },
  crit: { label: 'Critical at', type: 'number' },
  forSamples: { label: 'For samples in a row', type: 'number', placeholder: '1' },
  forSec: { label: 'And for at least (s)', type: 'number', placeholder: '0' },
  recoverSamples: { label: 'Good samples to recover', type: 'number', placeholder: '2' },
};

/**
 * The alert-rules half of the Targets & rules view: a table with enable, edit and delete,
 * and an editor checked by the shared rule schema before the core checks it again.
 */
export class RulesEditor {
  readonly el = h('section', { class: 'rules' });
  private readonly list = h('div', { class: 'rule-list' });
  private readonly form = h('form', { class: 'rule-form', novalidate: true });
  private readonly inputs = new Map<string, Input>();
  private editing: string | null = null;

  constructor(private readonly state: AppState) {
    this.el.append(
      h('h2', {}, 'Alert rules'),
      h(
        'div',
        { class: 'toolbar' },
        h(
          'button',
          { type: 'button', class: 'add-rule', onclick: () => this.edit(null) },
          'Add rule',
        ),
      ),
      this.list,
      this.form,
    );
    this.form.hidden = true;
    this.form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      void this.save();
    });
  }

  render(cfg: Config): void {
    if (cfg.rules.length === 0) {
      clear(
        this.list,
        h(
          'p',
          { class: 'muted' },
          'No threshold rules; targets alert when down. Add one to alert on latency, a metric or the machine.',
        ),
      );
      return;
    }
    clear(
      this.list,
      h(
        'table',
        { class: 'rules-table' },
        h(
          'thead',
          {},
          h('tr', {}, ...['Id', 'Name', 'Condition', 'Enabled', ''].map((l) => h('th', {}, l))),
        ),
        h('tbody', {}, ...cfg.rules.map((r) => this.row(r))),
      ),
    );
  }

  private row(r: Rule): HTMLElement {
    return h(
      'tr',
      { 'data-rule': r.id },
      h('td', {}, r.id),
      h('td', {}, r.name ?? ''),
      h('td', {}, describeRule(r)),
      h(
        'td',
        {},
        h('input', {
          type: 'checkbox',
          class: 'toggle-rule',
          'aria-label': `enable rule ${r.name ?? r.id}`,
          checked: r.enabled,
          onchange: (ev: Event) =>
            void this.setEnabled(r.id, (ev.target as HTMLInputElement).checked),
        }),
      ),
      h(
        'td',
        {},
        h('button', { type: 'button', class: 'edit-rule', onclick: () => this.edit(r) }, 'Edit'),
        ' ',
        h(
          'button',
          { type: 'button', class: 'delete-rule', onclick: () => void this.remove(r) },
          'Delete',
        ),
      ),
    );
  }

  private edit(r: Rule | null): void {
    this.editing = r?.id ?? null;
    const values = r ? fromRule(r) : { enabled: true, op: '>' };
    this.inputs.clear();
    clear(
      this.form,
      h('h2', {}, this.editing ? `Edit rule ${this.editing}` : 'New rule'),
      h('p', { class: 'field-error form-error', 'data-for': '_form' }),
      ...RULE_FIELDS.map((name) => fieldRow(name, FIELDS[name], values[name], 'r', this.inputs)),
      h(
        'div',
        { class: 'form-actions' },
        h('button', { type: 'submit', class: 'save-rule' }, 'Save'),
        ' ',
        h(
          'button',
          { type: 'button', class: 'cancel-rule', onclick: () => this.close() },
          'Cancel',
        ),
      ),
    );
    if (this.editing) this.inputs.get('id')?.setAttribute('readonly', '');
    const cfg = this.state.config;
    if (cfg) {
      const list = h(
        'datalist',
        { id: 'rule-series-options' },
        ...seriesSuggestions(cfg, this.state.seenSeries).map((name) =>
          h('option', { value: name }),
        ),
      );
      this.form.append(list);
      this.inputs.get('series')?.setAttribute('list', list.id);
    }
    this.form.hidden = false;
    this.inputs.get(r ? 'name' : 'id')?.focus();
  }

  private showErrors(errors: FieldError[]): void {
    showFieldErrors(this.form, this.inputs, errors, fieldOf);
  }

  private async save(): Promise<void> {
    const input = toRuleInput(readValues(this.inputs));
    const r = RuleSchema.safeParse(input);
    const errors: FieldError[] = r.success
      ? []
      : r.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message }));
    // Saving replaces a rule with the same id: a new rule must not overwrite one silently.
    if (this.editing === null && this.state.config?.rules.some((x) => x.id === input.id))
      errors.push({ path: 'id', message: `"${input.id}" is already used` });
    this.showErrors(errors);
    if (errors.length > 0) return;
    try {
      this.state.setConfig(await this.state.api.saveRule(input));
      this.close();
    } catch (err) {
      this.showErrors(fieldErrorsOf(err) ?? [{ path: '_form', message: errorText(err) }]);
    }
  }

  private close(): void {
    this.form.hidden = true;
    this.editing = null;
    clear(this.form);
    this.inputs.clear();
  }

  private async setEnabled(id: string, enabled: boolean): Promise<void> {
    await applyConfigChange(this.state, () => this.state.api.setRuleEnabled(id, enabled));
  }

  private async remove(r: Rule): Promise<void> {
    if (!confirm(`Delete rule ${r.name ?? r.id}? Its past alerts stay in the incident log.`))
      return;
    const done = await applyConfigChange(this.state, () => this.state.api.deleteRule(r.id));
    if (done && this.editing === r.id) this.close();
  }
}
