import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebhookSchema, type WebhookConfig } from '../../shared/config-schema';
import type { Notification } from '../../shared/notification';
import { WebhookNotifier } from '../../electron/main/notifiers/webhook-notifier';
import { redactUrl } from '../../electron/main/notifiers/redact';

interface Hit {
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A real local server; `respond` decides per request (n counts from 1). */
async function startServer(
  respond: (n: number, res: http.ServerResponse) => void,
): Promise<{ url: string; hits: Hit[]; close: () => Promise<void> }> {
  const hits: Hit[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      hits.push({ url: req.url ?? '', headers: req.headers, body });
      respond(hits.length, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

class Lines {
  lines: string[] = [];
  info = (m: string): void => void this.lines.push(`info ${m}`);
  warn = (m: string): void => void this.lines.push(`warn ${m}`);
}

function note(title: string): Notification {
  return {
    t: Date.UTC(2026, 10, 25, 12),
    kind: 'down',
    level: 'crit',
    title,
    body: `${title}: ECONNREFUSED`,
    targets: ['api'],
    events: [],
  };
}

function hook(input: Partial<WebhookConfig> & { url: string }): WebhookConfig {
  return WebhookSchema.parse(input);
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function setup(
  respond: (n: number, res: http.ServerResponse) => void,
  webhook: Partial<WebhookConfig>,
  opts: { queueLimit?: number } = {},
) {
  const server = await startServer(respond);
  const log = new Lines();
  const secretUrl = `${server.url}/hooks/T000/SECRET-TOKEN-123?sig=abcdef`;
  const notifier = new WebhookNotifier({
    webhooks: [hook({ url: secretUrl, ...webhook })],
    log,
    backoffMs: 10,
    maxBackoffMs: 50,
    ...opts,
  });
  cleanups.push(() => notifier.close(), server.close);
  return { server, log, notifier, secretUrl };
}

describe('WebhookNotifier', () => {
  it('retries a server that fails twice, then delivers the generic JSON payload', async () => {
    const { server, notifier, log } = await setup(
      (n, res) => {
        res.statusCode = n <= 2 ? 500 : 204;
        res.end();
      },
      { retries: 4, headers: { authorization: 'Bearer very-secret-token' } },
    );
    notifier.notify(note('API is down'));
    await notifier.idle();
    expect(server.hits).toHaveLength(3);
    expect(notifier.stats).toEqual({ delivered: 1, failed: 0, dropped: 0, attempts: 3 });
    const body = JSON.parse(server.hits[2].body) as Record<string, unknown>;
    expect(body).toMatchObject({
      source: 'opspulse',
      kind: 'down',
      level: 'crit',
      title: 'API is down',
      targets: ['api'],
      time: '2026-11-25T12:00:00.000Z',
    });
    expect(server.hits[0].headers['content-type']).toBe('application/json');
    expect(server.hits[0].headers.authorization).toBe('Bearer very-secret-token');
    expect(log.lines.filter((l) => l.includes('HTTP 500'))).toHaveLength(2);
    expect(log.lines.at(-1)).toMatch(/delivered "API is down" on attempt 3/);
    for (const line of log.lines) {
      expect(line).not.toContain('SECRET-TOKEN');
      expect(line).not.toContain('abcdef');
      expect(line).not.toContain('very-secret-token');
      expect(line).toContain('/[redacted]');
    }
  });

  it('gives up on a server that hangs after bounded attempts, without blocking the caller', async () => {
    const { server, notifier, log } = await setup(
      () => {
        // Never answers.
      },
      { timeoutMs: 200, retries: 2 },
    );
    notifier.notify(note('first'));
    notifier.notify(note('second'));
    // notify only enqueues: it has returned while the first attempt is still open.
    expect(notifier.stats).toMatchObject({ delivered: 0, failed: 0 });
    await notifier.idle();
    expect(server.hits).toHaveLength(6);
    expect(notifier.stats).toMatchObject({ delivered: 0, failed: 2, attempts: 6 });
    expect(log.lines.filter((l) => l.includes('gave up'))).toHaveLength(2);
    expect(log.lines[0]).toContain('no answer within 200 ms');
  });

  it('a server returning 500 forever: bounded retries, every notification attempted, no crash', async () => {
    const { server, notifier } = await setup(
      (_n, res) => {
        res.statusCode = 500;
        res.end('boom');
      },
      { retries: 3 },
    );
    for (let i = 0; i < 3; i++) notifier.notify(note(`n${i}`));
    await notifier.idle();
    expect(server.hits).toHaveLength(12);
    expect(server.hits.map((h) => (JSON.parse(h.body) as { title: string }).title)).toEqual([
      ...Array(4).fill('n0'),
      ...Array(4).fill('n1'),
      ...Array(4).fill('n2'),
    ]);
    expect(notifier.stats).toMatchObject({ delivered: 0, failed: 3, attempts: 12 });
  });

  it('does not retry a request the server rejects (4xx), and sends Slack `text`', async () => {
    const { server, notifier } = await setup(
      (_n, res) => {
        res.statusCode = 404;
        res.end();
      },
      { format: 'slack' },
    );
    notifier.notify(note('API is down'));
    await notifier.idle();
    expect(server.hits).toHaveLength(1);
    const body = JSON.parse(server.hits[0].body) as { text: string };
    expect(Object.keys(body)).toEqual(['text']);
    expect(body.text).toMatch(/^:red_circle: \*API is down\* \(.+\)\nAPI is down: ECONNREFUSED$/);
  });

  it('stops at the deadline even when retries remain', async () => {
    const { server, notifier, log } = await setup(() => undefined, {
      timeoutMs: 5_000,
      retries: 10,
      deadlineSec: 1,
    });
    notifier.notify(note('late'));
    await notifier.idle();
    expect(server.hits.length).toBeGreaterThanOrEqual(1);
    expect(server.hits.length).toBeLessThanOrEqual(2);
    expect(notifier.stats.failed).toBe(1);
    expect(log.lines.at(-1)).toMatch(/gave up on "late"/);
  });

  it('keeps a bounded queue: the oldest waiting notifications are dropped and logged', async () => {
    const { notifier, log } = await setup(
      () => undefined,
      { timeoutMs: 300, retries: 0 },
      {
        queueLimit: 2,
      },
    );
    for (let i = 0; i < 6; i++) notifier.notify(note(`n${i}`));
    await notifier.idle();
    // n0 is in flight; n1..n5 compete for 2 places: n1, n2, n3 are dropped.
    expect(notifier.stats).toMatchObject({ dropped: 3, failed: 3, attempts: 3 });
    expect(log.lines.filter((l) => l.includes('queue full'))).toHaveLength(3);
  });

  it('close() aborts a hanging delivery promptly', async () => {
    const { notifier } = await setup(() => undefined, { timeoutMs: 30_000, retries: 5 });
    notifier.notify(note('x'));
    await new Promise((r) => setTimeout(r, 100));
    const started = performance.now();
    await notifier.close();
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('honours Retry-After on 429 within the deadline', async () => {
    const { server, notifier, log } = await setup(
      (n, res) => {
        if (n === 1) {
          res.statusCode = 429;
          res.setHeader('retry-after', '0');
        }
        res.end();
      },
      { retries: 2 },
    );
    notifier.notify(note('busy'));
    await notifier.idle();
    expect(server.hits).toHaveLength(2);
    expect(notifier.stats).toMatchObject({ delivered: 1, attempts: 2 });
    expect(log.lines[0]).toMatch(/HTTP 429; retrying in 0 ms/);
  });

  it('setWebhooks keeps unchanged webhooks and closes removed ones', async () => {
    const a = await startServer((_n, res) => res.end());
    const b = await startServer((_n, res) => res.end());
    cleanups.push(a.close, b.close);
    const notifier = new WebhookNotifier({
      webhooks: [hook({ url: `${a.url}/a` })],
      backoffMs: 10,
    });
    cleanups.push(() => notifier.close());
    notifier.notify(note('one'));
    notifier.setWebhooks([hook({ url: `${a.url}/a` }), hook({ url: `${b.url}/b` })]);
    notifier.notify(note('two'));
    await notifier.idle();
    notifier.setWebhooks([hook({ url: `${b.url}/b` })]);
    notifier.notify(note('three'));
    await notifier.idle();
    const titles = (s: { hits: Hit[] }) =>
      s.hits.map((h) => (JSON.parse(h.body) as { title: string }).title);
    expect(titles(a)).toEqual(['one', 'two']);
    expect(titles(b)).toEqual(['two', 'three']);
  });

  it('redactUrl keeps only the scheme and host', () => {
    expect(redactUrl('https://hooks.slack.com/services/T0/B0/XYZ')).toBe(
      'https://hooks.slack.com/[redacted]',
    );
    expect(redactUrl('https://user:pw@example.com:8443/')).toBe(
      'https://example.com:8443/[redacted]',
    );
    expect(redactUrl('https://example.com/')).toBe('https://example.com/');
    expect(redactUrl('not a url')).toBe('[redacted url]');
  });
});
