import type { FieldError } from '../../../shared/api';
import { h } from '../dom';
import type { FormValues } from './target-form-model';

export interface FieldDef {
  label: string;
  type: 'text' | 'number' | 'textarea' | 'select' | 'checkbox';
  options?: string[];
  /** Text shown for an option whose value is empty. */
  emptyOption?: string;
  placeholder?: string;
}

export type Input = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

/**
 * One labelled input with its error slot below it, registered in `inputs`. `prefix` keeps
 * element ids unique while the target and the rule editors are open side by side.
 */
export function fieldRow(
  name: string,
  def: FieldDef,
  value: string | boolean | undefined,
  prefix: string,
  inputs: Map<string, Input>,
): HTMLElement {
  const id = `${prefix}-${name}`;
  let input: Input;
  if (def.type === 'select') {
    input = h(
      'select',
      { id, name },
      ...(def.options ?? []).map((o) =>
        h('option', { value: o, selected: o === value }, o || (def.emptyOption ?? '')),
      ),
    );
  } else if (def.type === 'textarea') {
    input = h('textarea', { id, name, rows: 3, placeholder: def.placeholder });
    input.value = typeof value === 'string' ? value : '';
  } else if (def.type === 'checkbox') {
    input = h('input', { id, name, type: 'checkbox', checked: value === true });
  } else {
    // Numbers stay text inputs: the schema, not the browser, says what is wrong with them.
    input = h('input', {
      id,
      name,
      type: 'text',
      inputmode: def.type === 'number' ? 'decimal' : undefined,
      placeholder: def.placeholder,
    });
    input.value = typeof value === 'string' ? value : '';
  }
  inputs.set(name, input);
  return h(
    'div',
    { class: `field field-${name}`, 'data-field': name },
    h('label', { for: id }, def.label),
    input,
    h('p', { class: 'field-error', 'data-for': name, id: `${id}-error` }),
  );
}

export function readValues(inputs: Map<string, Input>): FormValues {
  const v: FormValues = {};
  for (const [name, input] of inputs)
    v[name] =
      input instanceof HTMLInputElement && input.type === 'checkbox' ? input.checked : input.value;
  return v;
}

/**
 * Puts each message in the slot of the input it belongs to (`fieldOf(path)`), or in the
 * form's `_form` slot when no input matches; clears the previous round first.
 */
export function showFieldErrors(
  form: HTMLElement,
  inputs: Map<string, Input>,
  errors: FieldError[],
  fieldOf: (path: string) => string,
): void {
  for (const el of form.querySelectorAll<HTMLElement>('.field-error')) el.textContent = '';
  for (const f of form.querySelectorAll('.field')) f.classList.remove('invalid');
  for (const input of inputs.values()) input.removeAttribute('aria-invalid');
  for (const e of errors) {
    const field = inputs.has(fieldOf(e.path)) ? fieldOf(e.path) : '_form';
    const slot = form.querySelector<HTMLElement>(`.field-error[data-for="${field}"]`);
    if (!slot) continue;
    const where = e.path === field ? '' : `${e.path}: `;
    slot.textContent = slot.textContent
      ? `${slot.textContent}; ${where}${e.message}`
      : `${where}${e.message}`;
    slot.closest('.field')?.classList.add('invalid');
    inputs.get(field)?.setAttribute('aria-invalid', 'true');
  }
}
