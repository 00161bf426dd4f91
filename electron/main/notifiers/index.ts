import path from 'node:path';
import type { ReportFormat } from '../../../shared/api';
import type { Config } from '../../../shared/config-schema';
import type { Notification } from '../../../shared/notification';
import { LogNotifier } from './log-notifier';
import type { LineLogger, Notifier } from './notifier';
import { WebhookNotifier } from './webhook-notifier';
import { EmailNotifier } from './email-notifier';
import { QuietHoursGate } from './quiet-hours';
import type { PeriodReport } from '../schedule/period-report';
import { REPORT_MIME } from '../reports/filename';
import { renderReport } from '../reports/render';

export { FanOutNotifier, type LineLogger, type Notifier } from './notifier';
export { LogNotifier, notificationLine } from './log-notifier';
export { WebhookNotifier, type WebhookNotifierOptions } from './webhook-notifier';
export { EmailNotifier, type EmailNotifierOptions } from './email-notifier';
export { redactConfig, redactText, redactUrl } from './redact';

/**
 * The notifier a Monitor uses: a log line per notification, the configured webhooks and
 * email, and optionally the desktop's. `setConfig` follows edits without losing queues.
 * In quiet hours only the log line is written; the rest wait for one summary at the end.
 */
export class ConfiguredNotifier implements Notifier {
  readonly webhooks: WebhookNotifier;
  readonly email: EmailNotifier;
  private readonly logNotifier: LogNotifier;
  private readonly quiet: QuietHoursGate;

  constructor(
    config: Config,
    private readonly extra?: Notifier,
    private readonly log: LineLogger = console,
    private readonly now: () => number = Date.now,
  ) {
    this.logNotifier = new LogNotifier(log);
    this.webhooks = new WebhookNotifier({ webhooks: config.alerts.webhooks, log });
    this.email = new EmailNotifier({ email: config.alerts.email, log });
    this.quiet = new QuietHoursGate(config.alerts.quietHours);
  }

  notify(n: Notification): void {
    this.safely(this.logNotifier, n);
    const t = this.now();
    this.poll(t);
    if (this.quiet.hold(n, t)) return;
    this.deliver(n);
  }

  /** Sends the quiet-hours summary once the window is over; call now and then (each tick). */
  poll(t: number = this.now()): void {
    const summary = this.quiet.release(t);
    if (!summary) return;
    this.safely(this.logNotifier, summary);
    this.deliver(summary);
  }

  /** A scheduled report by email: the HTML inline, the other formats attached. */
  emailReport(r: PeriodReport): void {
    const attachments = Object.entries(r.files)
      .filter(([format]) => format !== 'html')
      .map(([format, file]) => ({
        filename: path.basename(file),
        content: r.content[format as ReportFormat] ?? '',
        contentType: REPORT_MIME[format as ReportFormat],
      }));
    this.email.sendReport({
      title: r.title,
      summary: r.summary,
      html: r.content.html ?? renderReport(r.data, 'html'),
      attachments,
    });
  }

  private deliver(n: Notification): void {
    for (const target of [this.webhooks, this.email, this.extra]) this.safely(target, n);
  }

  private safely(target: Notifier | undefined, n: Notification): void {
    if (!target) return;
    try {
      target.notify(n);
    } catch (err) {
      this.log.warn(`notifier failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  setConfig(config: Config): void {
    this.webhooks.setWebhooks(config.alerts.webhooks);
    this.email.setEmail(config.alerts.email);
    this.quiet.setQuietHours(config.alerts.quietHours);
  }

  async close(): Promise<void> {
    await Promise.all([this.webhooks.close(), this.email.close()]);
  }
}

export function createNotifier(
  config: Config,
  extra?: Notifier,
  log?: LineLogger,
  now?: () => number,
): ConfiguredNotifier {
  return new ConfiguredNotifier(config, extra, log, now);
}
