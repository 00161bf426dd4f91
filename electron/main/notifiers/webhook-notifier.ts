import os from 'node:os';
import { Agent, request } from 'undici';
import type { WebhookConfig } from '../../../shared/config-schema';
import type { Notification } from '../../../shared/notification';
import type { LineLogger, Notifier } from './notifier';
import { genericPayload, slackPayload } from './payload';
import { redactText, redactUrl, webhookSecrets } from './redact';
import { BackoffSleep } from './backoff-sleep';

export interface WebhookNotifierOptions {
  webhooks: readonly WebhookConfig[];
  log?: LineLogger;
  /** First retry delay; each next one doubles, with jitter. */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** Notifications waiting per webhook; beyond it the oldest is dropped (and logged). */
  queueLimit?: number;
  now?: () => number;
}

export interface WebhookStats {
  delivered: number;
  failed: number;
  dropped: number;
  attempts: number;
}

interface Queued {
  n: Notification;
  at: number;
}

/** Statuses worth another try; other 4xx mean the request itself is wrong. */
function retriable(status: number): boolean {
  return status >= 500 || status === 408 || status === 429;
}

function retryAfterMs(header: string | string[] | undefined): number | undefined {
  const v = Array.isArray(header) ? header[0] : header;
  if (v === undefined) return undefined;
  const s = Number(v);
  return Number.isFinite(s) && s >= 0 ? s * 1000 : undefined;
}

/** One webhook: an ordered, bounded queue delivered by a single background loop. */
class WebhookChannel {
  private queue: Queued[] = [];
  private running: Promise<void> | null = null;
  private closed = false;
  private readonly backoff = new BackoffSleep();
  private inflight: AbortController | null = null;
  readonly label: string;
  private readonly secrets: string[];

  constructor(
    readonly config: WebhookConfig,
    private readonly agent: Agent,
    private readonly opts: Required<Omit<WebhookNotifierOptions, 'webhooks' | 'log'>> & {
      log?: LineLogger;
    },
    private readonly stats: WebhookStats,
  ) {
    this.label = `webhook ${redactUrl(config.url)}`;
    this.secrets = webhookSecrets(config.url, config.headers);
  }

  enqueue(n: Notification): void {
    if (this.closed) return;
    if (this.queue.length >= this.opts.queueLimit) {
      const dropped = this.queue.shift();
      this.stats.dropped++;
      this.warn(`queue full (${this.opts.queueLimit}); dropped "${dropped?.n.title}"`);
    }
    this.queue.push({ n, at: this.opts.now() });
    // The loop runs detached from the caller; nothing it does may become an unhandled
    // rejection (a throwing logger included), or Node would end the whole daemon.
    this.running ??= this.pump()
      .catch(() => undefined)
      .finally(() => {
        this.running = null;
      });
  }

  /** Resolves when everything queued so far is delivered or given up. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.queue.length > 0) this.warn(`closing with ${this.queue.length} undelivered`);
    this.stats.dropped += this.queue.length;
    this.queue = [];
    this.backoff.wake();
    this.inflight?.abort();
    await this.idle();
  }

  private async pump(): Promise<void> {
    for (let item = this.queue.shift(); item && !this.closed; item = this.queue.shift())
      await this.deliver(item);
  }

  private async deliver(item: Queued): Promise<void> {
    const { config } = this;
    const deadline = item.at + config.deadlineSec * 1000;
    const body = JSON.stringify(
      config.format === 'slack'
        ? slackPayload(item.n, os.hostname())
        : genericPayload(item.n, os.hostname()),
    );
    const tries = config.retries + 1;
    let lastError = '';
    for (let attempt = 1; attempt <= tries && !this.closed; attempt++) {
      const left = deadline - this.opts.now();
      if (left <= 0) {
        lastError = `${lastError ? `${lastError}; ` : ''}deadline of ${config.deadlineSec}s passed`;
        break;
      }
      this.stats.attempts++;
      const r = await this.attempt(body, Math.min(config.timeoutMs, left));
      if (r.ok) {
        this.stats.delivered++;
        if (attempt > 1) this.info(`delivered "${item.n.title}" on attempt ${attempt}`);
        return;
      }
      lastError = r.error;
      if (!r.retry) break;
      if (attempt < tries) {
        const backoff = Math.min(
          this.opts.maxBackoffMs,
          this.opts.backoffMs * 2 ** (attempt - 1) * (0.8 + Math.random() * 0.4),
        );
        const wait = Math.min(r.retryAfterMs ?? backoff, deadline - this.opts.now());
        this.warn(
          `attempt ${attempt}/${tries} for "${item.n.title}" failed: ${r.error}; retrying in ${Math.max(0, Math.round(wait))} ms`,
        );
        if (wait > 0) await this.backoff.sleep(wait);
      }
    }
    this.stats.failed++;
    this.warn(`gave up on "${item.n.title}": ${lastError}`);
  }

  private async attempt(
    body: string,
    timeoutMs: number,
  ): Promise<{ ok: true } | { ok: false; retry: boolean; error: string; retryAfterMs?: number }> {
    const ac = new AbortController();
    this.inflight = ac;
    const timer = setTimeout(() => ac.abort(), timeoutMs);
    try {
      const res = await request(this.config.url, {
        method: 'POST',
        dispatcher: this.agent,
        signal: ac.signal,
        headers: {
          'content-type': 'application/json',
          'user-agent': 'opspulse',
          ...this.config.headers,
        },
        body,
      });
      await res.body.dump({ limit: 64 * 1024 }).catch(() => undefined);
      if (res.statusCode >= 200 && res.statusCode < 300) return { ok: true };
      return {
        ok: false,
        retry: retriable(res.statusCode),
        error: `HTTP ${res.statusCode}`,
        retryAfterMs: retryAfterMs(res.headers['retry-after']),
      };
    } catch (err) {
      const error = this.closed
        ? 'closed'
        : ac.signal.aborted
          ? `no answer within ${timeoutMs} ms`
          : err instanceof Error
            ? err.message
            : String(err);
      return { ok: false, retry: true, error };
    } finally {
      clearTimeout(timer);
      this.inflight = null;
    }
  }

  private info(msg: string): void {
    this.opts.log?.info(redactText(`${this.label}: ${msg}`, this.secrets));
  }

  private warn(msg: string): void {
    this.opts.log?.warn(redactText(`${this.label}: ${msg}`, this.secrets));
  }
}

function channelKey(w: WebhookConfig): string {
  return JSON.stringify(w);
}

/**
 * Posts notifications to webhooks (generic JSON or Slack `text`) in the background:
 * `notify` only enqueues. Each webhook retries with exponential backoff within a
 * deadline, keeps a bounded queue, and never logs its URL or headers.
 */
export class WebhookNotifier implements Notifier {
  private channels = new Map<string, WebhookChannel>();
  private readonly agent = new Agent({ keepAliveTimeout: 4_000, connections: 4 });
  private readonly opts: Required<Omit<WebhookNotifierOptions, 'webhooks' | 'log'>> & {
    log?: LineLogger;
  };
  readonly stats: WebhookStats = { delivered: 0, failed: 0, dropped: 0, attempts: 0 };

  constructor(opts: WebhookNotifierOptions) {
    this.opts = {
      backoffMs: opts.backoffMs ?? 1_000,
      maxBackoffMs: opts.maxBackoffMs ?? 30_000,
      queueLimit: opts.queueLimit ?? 100,
      now: opts.now ?? Date.now,
      log: opts.log,
    };
    this.setWebhooks(opts.webhooks);
  }

  notify(n: Notification): void {
    for (const c of this.channels.values()) c.enqueue(n);
  }

  /** Follows config changes: unchanged webhooks keep their queues, removed ones close. */
  setWebhooks(webhooks: readonly WebhookConfig[]): void {
    const next = new Map<string, WebhookChannel>();
    for (const w of webhooks) {
      const key = channelKey(w);
      next.set(
        key,
        this.channels.get(key) ?? new WebhookChannel(w, this.agent, this.opts, this.stats),
      );
    }
    for (const [key, c] of this.channels) if (!next.has(key)) void c.close();
    this.channels = next;
  }

  /** Resolves once every queued notification is delivered or given up (tests, shutdown). */
  async idle(): Promise<void> {
    await Promise.all([...this.channels.values()].map((c) => c.idle()));
  }

  async close(): Promise<void> {
    await Promise.all([...this.channels.values()].map((c) => c.close()));
    this.channels.clear();
    await this.agent.destroy().catch(() => undefined);
  }
}
