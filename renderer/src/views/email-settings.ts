import type { Config, EmailInput } from '../../../shared/config-schema';
import { fieldErrorsOf, errorText } from '../api/errors';
import { clear, h } from '../dom';
import type { AppState } from '../state';
import { fieldRow, readValues, showFieldErrors, type FieldDef, type Input } from './form-fields';

const FIELDS: Record<string, FieldDef> = {
  host: { label: 'SMTP server', type: 'text', placeholder: 'smtp.example.com' },
  port: { label: 'Port', type: 'number', placeholder: '587' },
  security: { label: 'Security', type: 'select', options: ['starttls', 'tls', 'none'] },
  user: { label: 'User (optional)', type: 'text' },
  pass: { label: 'Password (optional)', type: 'text' },
  from: { label: 'From', type: 'text', placeholder: 'opspulse@example.com' },
  to: { label: 'To (comma-separated)', type: 'text', placeholder: 'me@example.com' },
  alerts: { label: 'Send alerts', type: 'checkbox' },
  reports: { label: 'Send scheduled reports', type: 'checkbox' },
};

/** The form's values as the schema's input; blanks are left out so defaults apply. */
function toInput(v: Record<string, string | boolean>): EmailInput {
  const text = (k: string) => (typeof v[k] === 'string' ? (v[k] as string).trim() : '');
  const out: Record<string, unknown> = {
    host: text('host'),
    security: text('security') || 'starttls',
    from: text('from'),
    to: text('to')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    alerts: v.alerts === true,
    reports: v.reports === true,
  };
  if (text('port')) out.port = Number(text('port'));
  if (text('user')) out.user = text('user');
  if (text('pass')) out.pass = text('pass');
  return out as EmailInput;
}

/**
 * Email settings (alerts.email): SMTP server, sender, recipients and what to send. The
 * password comes back masked and is kept unless replaced; errors show at their field.
 */
export class EmailSettings {
  readonly el = h('section', { class: 'email-settings' });
  private readonly inputs = new Map<string, Input>();
  private readonly form = h('form', { class: 'email-form', novalidate: true });
  private readonly result = h('p', { class: 'action-result', role: 'status' });

  constructor(private readonly state: AppState) {
    this.el.append(h('h2', {}, 'Email'), this.form, this.result);
    this.form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      void this.save(toInput(readValues(this.inputs)));
    });
    state.configChanged.on((cfg) => this.render(cfg));
    if (state.config) this.render(state.config);
  }

  private render(cfg: Config): void {
    // Do not wipe what the user is typing when another change arrives.
    if (this.form.contains(document.activeElement)) return;
    const e = cfg.alerts.email;
    this.inputs.clear();
    const value = (k: string): string | boolean | undefined => {
      if (!e) return k === 'alerts' || k === 'reports' ? true : k === 'security' ? 'starttls' : '';
      const x = (e as Record<string, unknown>)[k];
      if (Array.isArray(x)) return x.join(', ');
      if (typeof x === 'number') return String(x);
      return typeof x === 'string' || typeof x === 'boolean' ? x : '';
    };
    clear(
      this.form,
      h(
        'p',
        { class: 'muted' },
        e
          ? `Alerts and reports go to ${e.to.join(', ')}.`
          : 'Not set up: alerts and reports are not mailed.',
      ),
      ...Object.entries(FIELDS).map(([k, def]) => fieldRow(k, def, value(k), 'email', this.inputs)),
      h('p', { class: 'field-error', 'data-for': '_form' }),
      h(
        'div',
        { class: 'form-actions' },
        h('button', { type: 'submit' }, 'Save email settings'),
        e
          ? h(
              'button',
              { type: 'button', class: 'remove-email', onclick: () => void this.save(null) },
              'Turn email off',
            )
          : null,
      ),
    );
  }

  private async save(input: EmailInput | null): Promise<void> {
    const saveEmail = this.state.api.saveEmail?.bind(this.state.api);
    if (!saveEmail) {
      this.result.textContent = 'Email settings cannot be changed here.';
      return;
    }
    this.result.textContent = 'Saving…';
    try {
      const cfg = await saveEmail(input);
      showFieldErrors(this.form, this.inputs, [], (p) => p);
      this.result.textContent = input ? 'Email settings saved.' : 'Email turned off.';
      (document.activeElement as HTMLElement | null)?.blur();
      this.state.setConfig(cfg);
    } catch (err) {
      const fields = fieldErrorsOf(err);
      if (fields) {
        showFieldErrors(this.form, this.inputs, fields, (p) => p.split(/[.[]/)[0]);
        this.result.textContent = 'Not saved: see the marked fields.';
      } else this.result.textContent = `Not saved: ${errorText(err)}`;
    }
  }
}
