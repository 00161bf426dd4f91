import fs from 'node:fs/promises';
import path from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EmailSchema, type EmailConfig } from '../../shared/config-schema';
import type { Notification } from '../../shared/notification';
import { ConfiguredNotifier } from '../../electron/main/notifiers';
import { EmailNotifier } from '../../electron/main/notifiers/email-notifier';
import { config } from '../alerts/helpers';
import { Monitor } from '../../electron/main/core/monitor';
import { ManualClock } from '../helpers/manual-clock';
import { makeTmpDir, removeDir } from '../helpers/tmp-dir';

const PASS = 's3cret-pass-word';

/** A real SMTP server on 127.0.0.1; `failFirst` refuses that many messages with a 451. */
async function startSmtp(opts: { failFirst?: number } = {}) {
  const received: ParsedMail[] = [];
  let fails = opts.failFirst ?? 0;
  const server = new SMTPServer({
    authOptional: false,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    onAuth(auth, _session, cb) {
      if (auth.username === 'ops' && auth.password === PASS) cb(null, { user: 'ops' });
      else cb(new Error('Invalid username or password'));
    },
    onData(stream, _session, cb) {
      simpleParser(stream).then(
        (mail) => {
          if (fails > 0) {
            fails--;
            const err = new Error('try again later') as Error & { responseCode: number };
            err.responseCode = 451;
            cb(err);
            return;
          }
          received.push(mail);
          cb();
        },
        (err: Error) => cb(err),
      );
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.server.address() as { port: number }).port;
  return { server, port, received };
}

function emailConfig(port: number, extra: Partial<EmailConfig> = {}): EmailConfig {
  return EmailSchema.parse({
    host: '127.0.0.1',
    port,
    security: 'none',
    user: 'ops',
    pass: PASS,
    from: 'opspulse@example.com',
    to: ['oncall@example.com'],
    ...extra,
  });
}

const alert: Notification = {
  t: Date.UTC(2026, 3, 6, 8),
  kind: 'down',
  level: 'crit',
  title: 'API is down',
  body: 'API is down: connection refused (127.0.0.1:1) (2 failed checks)',
  targets: ['api'],
  events: [
    {
      t: Date.UTC(2026, 3, 6, 8),
      target: 'api',
      rule: 'down',
      from: 'ok',
      to: 'crit',
      message: 'API is down: connection refused (127.0.0.1:1) (2 failed checks)',
    },
  ],
};

let smtp: Awaited<ReturnType<typeof startSmtp>>;
const lines: string[] = [];
const log = { info: (m: string) => lines.push(m), warn: (m: string) => lines.push(m) };
afterEach(async () => {
  await new Promise<void>((r) => smtp.server.close(() => r()));
  lines.length = 0;
});

describe('email through a real SMTP server', () => {
  beforeEach(async () => {
    smtp = await startSmtp();
  });

  it('mails an alert and a weekly report (HTML inline, the others attached)', async () => {
    const cfg = config({ alerts: { email: emailConfig(smtp.port) } });
    const n = new ConfiguredNotifier(cfg, undefined, log);
    n.notify(alert);
    n.emailReport({
      period: { kind: 'weekly', from: 0, to: 1 },
      title: 'Weekly report ready',
      summary: 'week of 30 Mar 2026: 1 service(s), 99.95 % uptime, 1 incident(s)',
      files: { html: '/r/opspulse-weekly-2026-03-30.html', md: '/r/opspulse-weekly-2026-03-30.md' },
      content: {
        html: '<html><body><h1>OpsPulse weekly report</h1></body></html>',
        md: '# Weekly\n',
      },
      // Only the content and file names are mailed.
      data: undefined as never,
    });
    await n.email.idle();
    await n.close();
    expect(smtp.received).toHaveLength(2);
    const [a, r] = smtp.received;
    expect(a.subject).toBe('[OpsPulse] API is down');
    expect(a.text).toContain('connection refused (127.0.0.1:1)');
    expect(a.html).toContain('<strong>API is down</strong>');
    expect(a.from?.text).toBe('opspulse@example.com');
    expect((Array.isArray(a.to) ? a.to[0] : a.to)?.text).toBe('oncall@example.com');
    expect(r.subject).toBe(
      '[OpsPulse] Weekly report ready: week of 30 Mar 2026: 1 service(s), 99.95 % uptime, 1 incident(s)',
    );
    expect(r.html).toContain('<h1>OpsPulse weekly report</h1>');
    expect(r.attachments.map((x) => [x.filename, x.content.toString()])).toEqual([
      ['opspulse-weekly-2026-03-30.md', '# Weekly\n'],
    ]);
    expect(lines.join('\n')).not.toContain(PASS);
  });

  it('does not retry a refused login, and never logs the password', async () => {
    const e = new EmailNotifier({
      email: emailConfig(smtp.port, { pass: 'wrong-pass-word' }),
      log,
    });
    await expect(e.send({ subject: 's', text: 't' })).rejects.toThrow(/Invalid username/);
    expect(e.stats.attempts).toBe(1);
    expect(smtp.received).toEqual([]);
    expect(lines.join('\n')).not.toContain('wrong-pass-word');
    await e.close();
  });
});

describe('email retries', () => {
  beforeEach(async () => {
    smtp = await startSmtp({ failFirst: 2 });
  });

  it('retries a temporary refusal with backoff until it is accepted', async () => {
    const e = new EmailNotifier({ email: emailConfig(smtp.port), log, backoffMs: 20 });
    await e.send({ subject: 'OpsPulse test', text: 'hello' });
    expect(e.stats).toMatchObject({ attempts: 3, delivered: 1, failed: 0 });
    expect(smtp.received.map((m) => m.subject)).toEqual(['OpsPulse test']);
    expect(lines.some((l) => /attempt 1\/5 .*failed.*451/.test(l))).toBe(true);
    expect(lines.join('\n')).not.toContain(PASS);
    await e.close();
  });
});

describe('a scheduled weekly report by email', () => {
  beforeEach(async () => {
    smtp = await startSmtp();
  });

  it('the running collector mails last week’s report when Monday 09:00 passes', async () => {
    const dir = await makeTmpDir('opspulse-email-');
    try {
      await fs.writeFile(
        path.join(dir, 'config.json'),
        JSON.stringify({
          interval: 3600,
          system: { enabled: false },
          targets: [{ id: 'db', name: 'DB', kind: 'tcp', host: '127.0.0.1', port: 1 }],
          reports: { schedule: { timeZone: 'Europe/Berlin', formats: ['html', 'md'] } },
          alerts: { email: { ...emailConfig(smtp.port), alerts: false } },
        }),
      );
      // Sunday 5 April 2026, 14:00 in Berlin, to Monday 10:00.
      const clock = new ManualClock(Date.UTC(2026, 3, 5, 12));
      const monitor = await Monitor.open({
        dataDir: dir,
        clock,
        systemMetrics: false,
        log: log as never,
      });
      monitor.start();
      try {
        while (clock.t < Date.UTC(2026, 3, 6, 8)) {
          clock.jump(3_600_000);
          await monitor.tick(clock.t);
          await monitor.reportSchedule.idle();
        }
      } finally {
        await monitor.close();
      }
      expect(smtp.received.map((m) => m.subject)).toEqual([
        expect.stringMatching(
          /^\[OpsPulse\] Weekly report ready: week of 30 Mar 2026: 1 service\(s\)/,
        ),
      ]);
      const [mail] = smtp.received;
      expect(mail.html).toContain('OpsPulse weekly report, week of 30 Mar 2026');
      expect(mail.attachments.map((a) => a.filename)).toEqual(['opspulse-weekly-2026-03-30.md']);
      expect(mail.attachments[0].content.toString()).toContain(
        '# OpsPulse weekly report, week of 30 Mar 2026',
      );
    } finally {
      await removeDir(dir);
    }
  }, 60_000);
});
