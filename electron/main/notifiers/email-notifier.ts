import os from 'node:os';
import nodemailer from 'nodemailer';
import type { Transporter } from 'nodemailer';
import type { EmailConfig } from '../../../shared/config-schema';
import type { Notification } from '../../../shared/notification';
import type { LineLogger, Notifier } from './notifier';
import { redactText } from './redact';
import { BackoffSleep } from './backoff-sleep';

export interface EmailAttachment {
  filename: string;
  content: string;
  contentType: string;
}

export interface EmailMessage {
  subject: string;
  text: string;
  html?: string;
  attachments?: EmailAttachment[];
}

/** A written report to mail: the HTML goes inline, the other formats as attachments. */
export interface ReportMail {
  title: string;
  summary: string;
  html?: string;
  attachments: EmailAttachment[];
}

export interface EmailNotifierOptions {
  email?: EmailConfig;
  log?: LineLogger;
  /** First retry delay; each next one doubles, with jitter. */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** Messages waiting; beyond it the oldest is dropped (and logged). */
  queueLimit?: number;
  now?: () => number;
}

export interface EmailStats {
  delivered: number;
  failed: number;
  dropped: number;
  attempts: number;
}

interface Queued {
  msg: EmailMessage;
  at: number;
  done?: (error: Error | null) => void;
}

/** SMTP failures worth another try: no answer, or a temporary (4xx) refusal. */
function retriable(err: unknown): boolean {
  const e = err as { code?: string; responseCode?: number };
  if (e.code === 'EAUTH') return false;
  if (typeof e.responseCode === 'number') return e.responseCode < 500;
  return e.code !== 'EENVELOPE' && e.code !== 'EMESSAGE';
}

function escapeHtml(s: string): string {
  return s.replace(
    /[&<>"]/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c,
  );
}

/** The mail for one notification: plain text and a small HTML twin. */
export function alertMessage(n: Notification, host = os.hostname()): EmailMessage {
  const when = new Date(n.t).toISOString();
  const lines = [
    n.body,
    '',
    ...n.events.map((e) => `- ${new Date(e.t).toISOString()} ${e.message}`),
  ];
  const text = `${lines.join('\n').trim()}\n\n${n.level} · ${when} · OpsPulse on ${host}\n`;
  const html = `<p><strong>${escapeHtml(n.title)}</strong></p><p>${escapeHtml(n.body).replace(/\n/g, '<br>')}</p>${
    n.events.length > 0
      ? `<ul>${n.events.map((e) => `<li>${escapeHtml(new Date(e.t).toISOString())} ${escapeHtml(e.message)}</li>`).join('')}</ul>`
      : ''
  }<p style="color:#666">${escapeHtml(n.level)} · ${escapeHtml(when)} · OpsPulse on ${escapeHtml(host)}</p>`;
  return { subject: `[OpsPulse] ${n.title}`, text, html };
}

export function reportMessage(r: ReportMail): EmailMessage {
  const names = r.attachments.map((a) => a.filename).join(', ');
  return {
    subject: `[OpsPulse] ${r.title}: ${r.summary}`,
    text: `${r.summary}${names ? `\n\nAttached: ${names}` : ''}\n`,
    ...(r.html ? { html: r.html } : {}),
    attachments: r.attachments,
  };
}

/**
 * Mails alerts and scheduled reports over SMTP (nodemailer) in the background: `notify`
 * only enqueues. One ordered, bounded queue; each message retries with exponential backoff
 * within a deadline, like the webhooks. The password and user never reach a log line.
 */
export class EmailNotifier implements Notifier {
  private email: EmailConfig | undefined;
  private transport: Transporter | null = null;
  private queue: Queued[] = [];
  private running: Promise<void> | null = null;
  private closed = false;
  private readonly backoff = new BackoffSleep();
  private readonly opts: Required<Omit<EmailNotifierOptions, 'email' | 'log'>>;
  readonly stats: EmailStats = { delivered: 0, failed: 0, dropped: 0, attempts: 0 };

  constructor(private readonly options: EmailNotifierOptions = {}) {
    this.opts = {
      backoffMs: options.backoffMs ?? 2_000,
      maxBackoffMs: options.maxBackoffMs ?? 60_000,
      queueLimit: options.queueLimit ?? 50,
      now: options.now ?? Date.now,
    };
    this.setEmail(options.email);
  }

  get configured(): boolean {
    return this.email !== undefined;
  }

  /** Follows config edits; a changed server gets a new connection. */
  setEmail(email: EmailConfig | undefined): void {
    if (JSON.stringify(email) === JSON.stringify(this.email)) return;
    this.transport?.close();
    this.transport = null;
    this.email = email;
  }

  notify(n: Notification): void {
    if (this.email?.alerts) this.enqueue({ msg: alertMessage(n), at: this.opts.now() });
  }

  /** A scheduled report, when reports by email are on. */
  sendReport(r: ReportMail): void {
    if (this.email?.reports) this.enqueue({ msg: reportMessage(r), at: this.opts.now() });
  }

  /** Sends one message now (with the retries) and says how it went: `alerts test --email`. */
  send(msg: EmailMessage): Promise<void> {
    if (!this.email)
      return Promise.reject(new Error('no email settings (alerts.email in config.json)'));
    return new Promise<void>((resolve, reject) =>
      this.enqueue({
        msg,
        at: this.opts.now(),
        done: (err) => (err ? reject(err) : resolve()),
      }),
    );
  }

  /** Resolves when everything queued so far is delivered or given up. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.queue.length > 0) this.warn(`closing with ${this.queue.length} unsent`);
    this.stats.dropped += this.queue.length;
    for (const q of this.queue) q.done?.(new Error('closed before it was sent'));
    this.queue = [];
    this.backoff.wake();
    await this.idle();
    this.transport?.close();
    this.transport = null;
  }

  private enqueue(item: Queued): void {
    if (this.closed) {
      item.done?.(new Error('closed'));
      return;
    }
    if (this.queue.length >= this.opts.queueLimit) {
      const dropped = this.queue.shift();
      this.stats.dropped++;
      dropped?.done?.(new Error('dropped: queue full'));
      this.warn(`queue full (${this.opts.queueLimit}); dropped "${dropped?.msg.subject}"`);
    }
    this.queue.push(item);
    // Detached from the caller: nothing here may become an unhandled rejection.
    this.running ??= this.pump()
      .catch(() => undefined)
      .finally(() => {
        this.running = null;
      });
  }

  private async pump(): Promise<void> {
    for (let item = this.queue.shift(); item && !this.closed; item = this.queue.shift()) {
      const err = await this.deliver(item);
      item.done?.(err);
    }
  }

  private async deliver(item: Queued): Promise<Error | null> {
    const email = this.email;
    if (!email) return new Error('email settings were removed');
    const deadline = item.at + email.deadlineSec * 1000;
    const tries = email.retries + 1;
    let last = '';
    for (let attempt = 1; attempt <= tries && !this.closed; attempt++) {
      if (this.opts.now() >= deadline) {
        last = `${last ? `${last}; ` : ''}deadline of ${email.deadlineSec}s passed`;
        break;
      }
      this.stats.attempts++;
      try {
        await this.transportFor(email).sendMail({
          from: email.from,
          to: email.to,
          subject: item.msg.subject,
          text: item.msg.text,
          ...(item.msg.html ? { html: item.msg.html } : {}),
          ...(item.msg.attachments ? { attachments: item.msg.attachments } : {}),
        });
        this.stats.delivered++;
        if (attempt > 1) this.info(`sent "${item.msg.subject}" on attempt ${attempt}`);
        return null;
      } catch (err) {
        last = this.redact(err instanceof Error ? err.message : String(err));
        // A broken connection is not reused.
        this.transport?.close();
        this.transport = null;
        if (!retriable(err)) break;
        if (attempt < tries) {
          const backoff = Math.min(
            this.opts.maxBackoffMs,
            this.opts.backoffMs * 2 ** (attempt - 1) * (0.8 + Math.random() * 0.4),
          );
          const wait = Math.min(backoff, deadline - this.opts.now());
          this.warn(
            `attempt ${attempt}/${tries} for "${item.msg.subject}" failed: ${last}; retrying in ${Math.max(0, Math.round(wait))} ms`,
          );
          if (wait > 0) await this.backoff.sleep(wait);
        }
      }
    }
    this.stats.failed++;
    this.warn(`gave up on "${item.msg.subject}": ${last}`);
    return new Error(last || 'not sent');
  }

  private transportFor(email: EmailConfig): Transporter {
    this.transport ??= nodemailer.createTransport({
      host: email.host,
      port: email.port,
      secure: email.security === 'tls',
      requireTLS: email.security === 'starttls',
      ignoreTLS: email.security === 'none',
      ...(email.user !== undefined ? { auth: { user: email.user, pass: email.pass ?? '' } } : {}),
      connectionTimeout: email.timeoutMs,
      greetingTimeout: email.timeoutMs,
      socketTimeout: email.timeoutMs,
      tls: { rejectUnauthorized: !email.insecure },
      logger: false,
    });
    return this.transport;
  }

  private redact(text: string): string {
    const e = this.email;
    return redactText(
      text,
      [e?.pass ?? '', e?.user ?? ''].filter((s) => s.length > 0),
    );
  }

  private label(): string {
    return `email ${this.email ? `${this.email.host}:${this.email.port}` : '(off)'}`;
  }

  private info(msg: string): void {
    this.options.log?.info(this.redact(`${this.label()}: ${msg}`));
  }

  private warn(msg: string): void {
    this.options.log?.warn(this.redact(`${this.label()}: ${msg}`));
  }
}
