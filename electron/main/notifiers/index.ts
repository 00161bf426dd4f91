import type { Config } from '../../../shared/config-schema';
import type { Notification } from '../../../shared/notification';
import { LogNotifier } from './log-notifier';
import type { LineLogger, Notifier } from './notifier';
import { WebhookNotifier } from './webhook-notifier';

export { FanOutNotifier, type LineLogger, type Notifier } from './notifier';
export { LogNotifier, notificationLine } from './log-notifier';
export { WebhookNotifier, type WebhookNotifierOptions } from './webhook-notifier';
export { redactConfig, redactText, redactUrl } from './redact';

/**
 * The notifier a Monitor uses: a log line per notification, the configured webhooks, and
 * optionally the desktop's. `setConfig` follows webhook edits without losing queues.
 */
export class ConfiguredNotifier implements Notifier {
  readonly webhooks: WebhookNotifier;
  private readonly logNotifier: LogNotifier;

  constructor(
    config: Config,
    private readonly extra?: Notifier,
    private readonly log: LineLogger = console,
  ) {
    this.logNotifier = new LogNotifier(log);
    this.webhooks = new WebhookNotifier({ webhooks: config.alerts.webhooks, log });
  }

  notify(n: Notification): void {
    for (const target of [this.logNotifier, this.webhooks, this.extra]) {
      if (!target) continue;
      try {
        target.notify(n);
      } catch (err) {
        this.log.warn(`notifier failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }

  setConfig(config: Config): void {
    this.webhooks.setWebhooks(config.alerts.webhooks);
  }

  close(): Promise<void> {
    return this.webhooks.close();
  }
}

export function createNotifier(
  config: Config,
  extra?: Notifier,
  log?: LineLogger,
): ConfiguredNotifier {
  return new ConfiguredNotifier(config, extra, log);
}
