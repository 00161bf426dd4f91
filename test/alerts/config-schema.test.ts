import { describe, expect, it } from 'vitest';
import { checkConfig, ConfigSchema, formatIssues } from '../../shared/config-schema';

const t = (id: string, dependsOn?: string) => ({
  id,
  name: id,
  kind: 'tcp',
  host: 'h',
  port: 1,
  ...(dependsOn ? { dependsOn } : {}),
});

describe('alert config', () => {
  it('an empty config gets calm defaults', () => {
    const cfg = ConfigSchema.parse({});
    expect(cfg.rules).toEqual([]);
    expect(cfg.maintenance).toEqual([]);
    expect(cfg.alerts).toEqual({
      downAfter: 2,
      upAfter: 2,
      flap: { windowSec: 900, changes: 5 },
      reminders: { enabled: false, everyMin: 60 },
      staleAfterTicks: 3,
      webhooks: [],
      awayAfterHours: 8,
    });
    expect(cfg.slos).toEqual([]);
    expect(cfg.reports.schedule).toEqual({
      weekly: { enabled: true, at: '09:00', day: 'mon' },
      monthly: { enabled: true, at: '09:00', day: 1 },
      formats: ['html'],
    });
    const hook = ConfigSchema.parse({ alerts: { webhooks: [{ url: 'https://example.com/h' }] } })
      .alerts.webhooks[0];
    expect(hook).toEqual({
      url: 'https://example.com/h',
      format: 'generic',
      headers: {},
      timeoutMs: 5000,
      retries: 4,
      deadlineSec: 120,
    });
  });

  it('says what is wrong and where', () => {
    const r = ConfigSchema.safeParse({
      rules: [
        { id: 'a', series: 'sys.cpu', op: '>' },
        { id: 'a', series: 'cpu', op: '>', warn: 5, crit: 1 },
      ],
      maintenance: [{ name: 'x', from: 'nope' }, { name: 'y', days: ['mon'] }, { name: 'z' }],
      alerts: { webhooks: [{ url: 'ftp://x' }], downAfter: 0 },
    });
    expect(r.success).toBe(false);
    if (r.success) return;
    expect(formatIssues(r.error)).toEqual([
      'rules[0].warn: set warn, crit or both',
      'rules[1].series: a series name such as tg.api.ms, sys.cpu, tg.*.cert or anomaly(tg.api.ms)',
      'rules[1].crit: crit must be at least as far past the threshold as warn',
      'rules[1].id: "a" is already used',
      'alerts.downAfter: Too small: expected number to be >=1',
      'alerts.webhooks[0].url: an http:// or https:// URL',
      'maintenance[0].from: an ISO date-time',
      'maintenance[0].to: an ISO date-time',
      'maintenance[1].at: required for a weekly window',
      'maintenance[1].minutes: required for a weekly window',
      'maintenance[2]: set either from and to, or days, at and minutes',
    ]);
  });

  it('rejects dependency cycles, which would silence every target in them', () => {
    const cfg = ConfigSchema.parse({
      targets: [t('a', 'c'), t('b', 'a'), t('c', 'b'), t('d', 'a'), t('e', 'f'), t('f', 'e')],
    });
    expect(checkConfig(cfg)).toEqual([
      'targets[0].dependsOn: a cycle: a → c → b → a',
      'targets[4].dependsOn: a cycle: e → f → e',
    ]);
    expect(
      checkConfig(ConfigSchema.parse({ targets: [t('a'), t('b', 'a'), t('c', 'b')] })),
    ).toEqual([]);
  });
});
