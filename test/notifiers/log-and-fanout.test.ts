import { describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../shared/config-schema';
import type { Notification } from '../../shared/notification';
import {
  createNotifier,
  FanOutNotifier,
  LogNotifier,
  notificationLine,
  redactConfig,
  type Notifier,
} from '../../electron/main/notifiers';

const storm: Notification = {
  t: 0,
  kind: 'storm',
  level: 'crit',
  title: '2 changes: 1 down, 1 recovered',
  body: 'down: Gateway\nrecovered: Local LLM',
  targets: ['gateway', 'llm'],
  events: [],
};

function lines() {
  const out: string[] = [];
  return {
    out,
    log: { info: (m: string) => out.push(`I ${m}`), warn: (m: string) => out.push(`W ${m}`) },
  };
}

describe('LogNotifier and fan-out', () => {
  it('logs one line per notification', () => {
    const { out, log } = lines();
    new LogNotifier(log).notify(storm);
    new LogNotifier(log).notify({ ...storm, level: 'ok', title: 'API recovered', body: '' });
    expect(out).toEqual([
      'W notification [crit] 2 changes: 1 down, 1 recovered — down: Gateway; recovered: Local LLM',
      'I notification [ok] API recovered',
    ]);
    expect(notificationLine(storm)).not.toContain('\n');
  });

  it('a notifier that throws does not stop the others', () => {
    const { out, log } = lines();
    const got: Notification[] = [];
    const broken: Notifier = {
      notify: () => {
        throw new Error('display gone');
      },
    };
    new FanOutNotifier([broken, { notify: (n) => got.push(n) }], log).notify(storm);
    expect(got).toEqual([storm]);
    expect(out).toEqual(['W notifier failed: display gone']);
  });

  it('createNotifier wires the log, the configured webhooks and an extra (desktop) notifier', async () => {
    const { out, log } = lines();
    const got: Notification[] = [];
    const n = createNotifier(ConfigSchema.parse({}), { notify: (x) => got.push(x) }, log);
    n.notify(storm);
    expect(got).toHaveLength(1);
    expect(out).toHaveLength(1);
    n.setConfig(ConfigSchema.parse({ alerts: { webhooks: [{ url: 'http://127.0.0.1:9/x' }] } }));
    await n.close();
  });
});

describe('redactConfig', () => {
  it('hides webhook secrets and leaves the rest alone', () => {
    const cfg = ConfigSchema.parse({
      alerts: {
        webhooks: [
          {
            url: 'https://hooks.slack.com/services/T0/B0/XYZ',
            headers: { authorization: 'Bearer abc' },
          },
        ],
      },
    });
    const out = redactConfig(cfg);
    expect(out.alerts.webhooks[0]).toMatchObject({
      url: 'https://hooks.slack.com/[redacted]',
      headers: { authorization: '[redacted]' },
    });
    expect(cfg.alerts.webhooks[0].url).toBe('https://hooks.slack.com/services/T0/B0/XYZ');
    expect(JSON.stringify(out)).not.toContain('XYZ');
  });
});

describe('notificationLine', () => {
  it('does not repeat a title the body already starts with', () => {
    expect(
      notificationLine({
        ...storm,
        kind: 'down',
        title: 'API is down',
        body: 'API is down: ECONNREFUSED',
      }),
    ).toBe('[crit] API is down: ECONNREFUSED');
  });
});
