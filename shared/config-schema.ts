import { z } from 'zod';
import { jsonPathProblem } from './json-path';

/**
 * The one schema for config.json. The core validates on load and on every change; the
 * dashboard shows the same messages next to the field that caused them.
 */

/** Ids appear in series names (`tg.<id>.ms`) and URLs, so they stay simple and dot-free. */
export const TargetId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'use 1-63 lowercase letters, digits, - or _ (no dots)');

export const CompareOp = z.enum(['==', '!=', '<', '<=', '>', '>=', 'exists']);
export type CompareOp = z.infer<typeof CompareOp>;

/**
 * A JSON path the probes can evaluate (shared/json-path.ts): the editor, the CLI and
 * config.json refuse the same paths, each with its field and the character at fault.
 */
const JsonPath = (example: string) =>
  z
    .string()
    .regex(/^\$(\.|\[|$)/, `a JSON path starts with $ (e.g. ${example})`)
    .superRefine((path, ctx) => {
      const problem = jsonPathProblem(path);
      if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
    });

/** A condition on a JSON response or file, e.g. `$.status == "healthy"`. */
export const JsonCondition = z.object({
  path: JsonPath('$.status'),
  op: CompareOp,
  value: z.union([z.string(), z.number(), z.boolean(), z.null()]).optional(),
});
export type JsonCondition = z.infer<typeof JsonCondition>;

/** A numeric JSON field recorded as a metric: name -> JSON path. */
export const MetricMap = z.record(
  z.string().regex(/^[A-Za-z0-9_]{1,64}$/, 'metric names use letters, digits and _'),
  JsonPath('$.confidence'),
);

const targetBase = {
  id: TargetId,
  name: z.string().min(1).max(120),
  enabled: z.boolean().default(true),
  /** Another target this one needs (e.g. the gateway needs the local LLM). */
  dependsOn: TargetId.optional(),
  /** Which of its transitions notify (default all); the rest are still recorded. */
  notifyOn: z.array(z.enum(['down', 'degraded', 'recovered', 'flapping'])).optional(),
  /**
   * A successful probe slower than this (ms) counts as degraded in the history (the
   * transition log and the reports' degraded time); none by default.
   */
  degradedMs: z.number().positive().max(600_000).optional(),
};

/**
 * Request headers as RFC 9110 allows them: a token for the name, no line break or NUL in the
 * value (which would end the header and fail every request, or smuggle another one).
 */
const HeaderMap = z
  .record(
    z.string(),
    z.string().regex(/^[^\r\n\0]*$/, 'a header value cannot contain a line break or NUL'),
  )
  .superRefine((headers, ctx) => {
    for (const name of Object.keys(headers))
      if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name))
        ctx.addIssue({
          code: 'custom',
          message: `"${name}" is not a header name: letters, digits and - only`,
          path: [name],
        });
  });

const StatusExpect = z
  .array(z.number().int().min(100).max(599))
  .min(1)
  .optional()
  .describe('accepted status codes; default any 2xx');

export const HttpTarget = z.object({
  ...targetBase,
  kind: z.literal('http'),
  url: z.url({ protocol: /^https?$/, error: 'an http:// or https:// URL' }),
  method: z.enum(['GET', 'HEAD', 'POST', 'PUT', 'OPTIONS']).default('GET'),
  headers: HeaderMap.default({}),
  body: z.string().optional(),
  expectStatus: StatusExpect,
  timeoutMs: z.number().int().min(100).max(120_000).default(10_000),
  maxRedirects: z.number().int().min(0).max(20).default(5),
  maxBodyBytes: z
    .number()
    .int()
    .min(0)
    .max(64 * 1024 * 1024)
    .default(1024 * 1024),
  /** Self-signed certificates on a LAN are common; the user opts in per target. */
  insecure: z.boolean().default(false),
  bodyContains: z.string().optional(),
  conditions: z.array(JsonCondition).default([]),
  metrics: MetricMap.default({}),
});

export const TcpTarget = z.object({
  ...targetBase,
  kind: z.literal('tcp'),
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535),
  timeoutMs: z.number().int().min(100).max(120_000).default(5_000),
});

export const FileTarget = z.object({
  ...targetBase,
  kind: z.literal('file'),
  path: z.string().min(1),
  /** json: the whole file; jsonl: its last line. Default by extension. */
  format: z.enum(['json', 'jsonl']).optional(),
  /** Down (stale) when the file has not changed for this long. */
  staleAfterSec: z
    .number()
    .int()
    .min(1)
    .max(30 * 86400)
    .optional(),
  conditions: z.array(JsonCondition).default([]),
  /** Named paths; when empty, every top-level numeric field is recorded. */
  metrics: MetricMap.default({}),
});

/**
 * A PromQL instant query against a Prometheus server: up while the query answers with one
 * value, which is recorded as the metric `metric` (series tg.<id>.m.<metric>) for rules.
 */
export const PrometheusTarget = z.object({
  ...targetBase,
  kind: z.literal('prometheus'),
  /** The server's base URL, e.g. http://prometheus:9090 (a path prefix is kept). */
  url: z.url({ protocol: /^https?$/, error: 'an http:// or https:// URL' }),
  query: z.string().trim().min(1, 'a PromQL query, e.g. sum(up{job="node"})'),
  metric: z
    .string()
    .regex(/^[A-Za-z0-9_]{1,64}$/, 'metric names use letters, digits and _')
    .default('value'),
  /** Sent as `Authorization: Bearer <token>`. */
  bearerToken: z.string().min(1).optional(),
  timeoutMs: z.number().int().min(100).max(120_000).default(10_000),
  insecure: z.boolean().default(false),
});

export const TargetSchema = z.discriminatedUnion('kind', [
  HttpTarget,
  TcpTarget,
  FileTarget,
  PrometheusTarget,
]);
export type Target = z.infer<typeof TargetSchema>;
export type TargetInput = z.input<typeof TargetSchema>;
export type HttpTarget = z.infer<typeof HttpTarget>;
export type TcpTarget = z.infer<typeof TcpTarget>;
export type FileTarget = z.infer<typeof FileTarget>;
export type PrometheusTarget = z.infer<typeof PrometheusTarget>;
export type TargetKind = Target['kind'];

export const RetentionSchema = z.object({
  rawDays: z.number().min(1).max(3650).default(14),
  minuteDays: z.number().min(1).max(3650).default(90),
  hourDays: z.number().min(1).max(36500).default(1825),
  /** Optional cap on total bytes; trims the oldest raw segments first. */
  maxBytes: z.number().int().min(1_000_000).optional(),
});

export const SystemSchema = z.object({
  enabled: z.boolean().default(true),
  /** Disk and temperature are slower calls: collected every N ticks. */
  slowEvery: z.number().int().min(1).max(100).default(6),
});

/**
 * A threshold rule on any series name (see shared/series.ts). `*` in `series` matches one
 * dot-free name part (`tg.*.cert`), or everything when it ends the pattern (`sys.disk.*`);
 * each matching series gets its own alert state. `anomaly(<series>)` is the series' anomaly
 * score (0..1, 0.9 and up an anomaly; one mark per episode, so `forSamples` 1);
 * `forecast(sys.disk./)` or `forecast(sys.mem)` the days until full (1e6 while there is no
 * forecast), e.g. `<` crit 1 for "full within a day".
 */
export const RuleOp = z.enum(['>', '>=', '<', '<=', '==', '!=']);
export type RuleOp = z.infer<typeof RuleOp>;

export const RuleSchema = z
  .object({
    id: TargetId,
    name: z.string().min(1).max(120).optional(),
    series: z
      .string()
      .regex(
        /^((sys|tg)\.\S+|anomaly\((sys|tg)\.[^\s()]+\)|forecast\(sys\.[^\s()]+\))$/,
        'a series name such as tg.api.ms, sys.cpu, tg.*.cert or anomaly(tg.api.ms)',
      ),
    op: RuleOp,
    warn: z.number().optional(),
    crit: z.number().optional(),
    /** Consecutive samples past the threshold before it fires. */
    forSamples: z.number().int().min(1).max(10_000).default(1),
    /** And for at least this long (seconds) since the first of them. */
    forSec: z
      .number()
      .min(0)
      .max(7 * 86400)
      .default(0),
    /** Consecutive good samples before it recovers. */
    recoverSamples: z.number().int().min(1).max(10_000).default(2),
    enabled: z.boolean().default(true),
  })
  .refine((r) => r.warn !== undefined || r.crit !== undefined, {
    message: 'set warn, crit or both',
    path: ['warn'],
  })
  .refine(
    (r) =>
      r.warn === undefined ||
      r.crit === undefined ||
      (r.op.startsWith('>') && r.crit >= r.warn) ||
      (r.op.startsWith('<') && r.crit <= r.warn) ||
      r.op === '==' ||
      r.op === '!=',
    { message: 'crit must be at least as far past the threshold as warn', path: ['crit'] },
  );
export type Rule = z.infer<typeof RuleSchema>;
export type RuleInput = z.input<typeof RuleSchema>;

export const RulesSchema = z.array(RuleSchema).superRefine((rules, ctx) => {
  const seen = new Set<string>();
  rules.forEach((r, i) => {
    if (seen.has(r.id))
      ctx.addIssue({ code: 'custom', message: `"${r.id}" is already used`, path: [i, 'id'] });
    seen.add(r.id);
  });
});

export const WebhookSchema = z.object({
  url: z.url({ protocol: /^https?$/, error: 'an http:// or https:// URL' }),
  /** generic: the whole notification as JSON; slack: `{ text }` for Slack-compatible hooks. */
  format: z.enum(['generic', 'slack']).default('generic'),
  headers: HeaderMap.default({}),
  /** Per attempt. */
  timeoutMs: z.number().int().min(100).max(60_000).default(5_000),
  retries: z.number().int().min(0).max(10).default(4),
  /** No attempt starts later than this after the notification. */
  deadlineSec: z.number().min(1).max(3600).default(120),
});
export type WebhookConfig = z.infer<typeof WebhookSchema>;

const LocalTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a local time as HH:MM');

/** SMTP delivery of alerts and scheduled reports (see notifiers/email-notifier.ts). */
export const EmailSchema = z.object({
  host: z.string().trim().min(1, 'the SMTP server, e.g. smtp.example.com'),
  port: z.number().int().min(1).max(65535).default(587),
  /** starttls: upgrade after connecting (port 587); tls: TLS from the start (465); none: plain. */
  security: z.enum(['starttls', 'tls', 'none']).default('starttls'),
  user: z.string().min(1).optional(),
  pass: z.string().min(1).optional(),
  from: z.email('an email address, e.g. opspulse@example.com'),
  to: z.array(z.email('an email address')).min(1, 'at least one recipient'),
  /** Send alert notifications; scheduled reports are sent either way when `reports` is on. */
  alerts: z.boolean().default(true),
  reports: z.boolean().default(true),
  /** Per attempt. */
  timeoutMs: z.number().int().min(100).max(120_000).default(15_000),
  retries: z.number().int().min(0).max(10).default(4),
  /** No attempt starts later than this after the notification. */
  deadlineSec: z.number().min(1).max(86_400).default(600),
  /** Accept a self-signed certificate (a LAN relay); the user opts in. */
  insecure: z.boolean().default(false),
});
export type EmailConfig = z.infer<typeof EmailSchema>;
export type EmailInput = z.input<typeof EmailSchema>;

/** A daily window, local time; `from` after `to` spans midnight (22:00 to 07:00). */
export const QuietHoursSchema = z
  .object({
    from: LocalTime,
    to: LocalTime,
    /** IANA zone of from/to; the machine's own by default. */
    timeZone: z.string().min(1).optional(),
  })
  .refine((q) => q.from !== q.to, { message: 'must differ from from', path: ['to'] });
export type QuietHours = z.infer<typeof QuietHoursSchema>;

export const AlertsSchema = z.object({
  /** Consecutive failed checks before a target is down. */
  downAfter: z.number().int().min(1).max(100).default(2),
  /** Consecutive good checks before it is back up. */
  upAfter: z.number().int().min(1).max(100).default(2),
  /** More than `changes` state changes within `windowSec` marks a rule as flapping. */
  flap: z
    .object({
      windowSec: z.number().int().min(10).max(86400).default(900),
      changes: z.number().int().min(2).max(100).default(5),
    })
    .prefault({}),
  /** Repeat a notification while something stays critical. */
  reminders: z
    .object({
      enabled: z.boolean().default(false),
      everyMin: z.number().int().min(1).max(10_080).default(60),
    })
    .prefault({}),
  /** A target with no sample for this many intervals shows as unknown (stale). */
  staleAfterTicks: z.number().int().min(1).max(1000).default(3),
  webhooks: z.array(WebhookSchema).default([]),
  email: EmailSchema.optional(),
  /** Notifications held in this daily window, summed up in one when it ends. */
  quietHours: QuietHoursSchema.optional(),
  /**
   * After this long without observing (app closed, machine asleep), one notification sums
   * up what happened meanwhile.
   */
  awayAfterHours: z.number().min(0.1).max(8760).default(8),
});
export type AlertsConfig = z.infer<typeof AlertsSchema>;

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/**
 * Scheduled maintenance: either one-off (`from`/`to`, ISO date-times) or weekly (`days`,
 * `at` HH:MM wall-clock time in `timeZone` or the machine's zone, `minutes` of elapsed time,
 * so a window across a DST change still lasts what it says). Targets in maintenance notify
 * nothing and do not count towards overall health.
 */
export const MaintenanceSchema = z
  .object({
    name: z.string().min(1).max(120),
    /** Omitted: every target and rule. */
    targets: z.array(TargetId).optional(),
    from: z.string().optional(),
    to: z.string().optional(),
    days: z.array(z.enum(WEEKDAYS)).min(1).optional(),
    at: z
      .string()
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a local time as HH:MM')
      .optional(),
    minutes: z
      .number()
      .int()
      .min(1)
      .max(7 * 1440)
      .optional(),
    /** IANA zone `at` is read in (e.g. Europe/Berlin); the machine's own by default. */
    timeZone: z.string().refine(isTimeZone, 'an IANA time zone such as Europe/Berlin').optional(),
  })
  .superRefine((w, ctx) => {
    const oneOff = w.from !== undefined || w.to !== undefined;
    const weekly = w.days !== undefined || w.at !== undefined || w.minutes !== undefined;
    if (oneOff === weekly) {
      ctx.addIssue({
        code: 'custom',
        message: 'set either from and to, or days, at and minutes',
        path: [],
      });
      return;
    }
    if (oneOff) {
      for (const k of ['from', 'to'] as const) {
        const v = w[k];
        if (v === undefined || Number.isNaN(Date.parse(v)))
          ctx.addIssue({ code: 'custom', message: 'an ISO date-time', path: [k] });
      }
      if (w.from && w.to && Date.parse(w.to) <= Date.parse(w.from))
        ctx.addIssue({ code: 'custom', message: 'must be after from', path: ['to'] });
    } else {
      for (const k of ['days', 'at', 'minutes'] as const)
        if (w[k] === undefined)
          ctx.addIssue({ code: 'custom', message: 'required for a weekly window', path: [k] });
    }
  });
export type MaintenanceWindow = z.infer<typeof MaintenanceSchema>;

/**
 * A service level objective for one target: the share of probes that succeed over a
 * rolling window, and optionally the share that answer within a latency threshold.
 */
export const SloSchema = z.object({
  target: TargetId,
  /** Percent of probes that must succeed, e.g. 99.5. */
  availability: z.number().gt(0).lt(100).default(99.5),
  windowDays: z.number().int().min(1).max(90).default(30),
  latency: z
    .object({
      thresholdMs: z.number().positive().max(600_000),
      /** Percent of probes that must answer within thresholdMs, e.g. 95. */
      percent: z.number().gt(0).lt(100),
    })
    .optional(),
  /** Burn-rate alerts (page / ticket) through the alert engine. */
  alerts: z.boolean().default(true),
});
export type Slo = z.infer<typeof SloSchema>;

const ReportSchedule = z.object({
  enabled: z.boolean().default(true),
  at: LocalTime.default('09:00'),
});

/** Reports the running collector writes on its own, for the period just ended. */
export const ReportsSchema = z.object({
  schedule: z
    .object({
      /** Every Monday (default) for the previous Monday-to-Monday week. */
      weekly: ReportSchedule.extend({ day: z.enum(WEEKDAYS).default('mon') }).prefault({}),
      /** On the 1st (default) for the previous calendar month. */
      monthly: ReportSchedule.extend({ day: z.number().int().min(1).max(28).default(1) }).prefault(
        {},
      ),
      formats: z
        .array(z.enum(['html', 'md', 'json']))
        .min(1)
        .default(['html']),
      /** IANA zone for calendar periods and times; the machine's own by default. */
      timeZone: z
        .string()
        .refine((tz) => {
          try {
            new Intl.DateTimeFormat('en', { timeZone: tz });
            return true;
          } catch {
            return false;
          }
        }, 'an IANA time zone such as Europe/Berlin')
        .optional(),
    })
    .prefault({}),
});
export type ReportsConfig = z.infer<typeof ReportsSchema>;

export const ConfigSchema = z.object({
  version: z.literal(1).default(1),
  /** Seconds between collection ticks. */
  interval: z.number().int().min(1).max(3600).default(30),
  /**
   * In reports, a gap (no data) up to this many intervals between two failing samples
   * continues the incident rather than splitting it (a restart inside an outage).
   */
  incidentGapIntervals: z.number().min(0).max(10_000).default(10),
  /** How many probes run at once within a tick. */
  concurrency: z.number().int().min(1).max(100).default(10),
  system: SystemSchema.default({ enabled: true, slowEvery: 6 }),
  targets: z.array(TargetSchema).default([]),
  retention: RetentionSchema.default({ rawDays: 14, minuteDays: 90, hourDays: 1825 }),
  rules: RulesSchema.default([]),
  alerts: AlertsSchema.prefault({}),
  maintenance: z.array(MaintenanceSchema).default([]),
  slos: z.array(SloSchema).default([]),
  reports: ReportsSchema.prefault({}),
});
export type Config = z.infer<typeof ConfigSchema>;
export type ConfigInput = z.input<typeof ConfigSchema>;

/** A readable list of problems: `targets[2].url: an http:// or https:// URL`. */
export function formatIssues(error: z.ZodError): string[] {
  return error.issues.map((i) => `${formatPath(i.path)}: ${i.message}`);
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out || '(root)';
}

/** Cross-field checks a per-field schema cannot express. */
export function checkConfig(cfg: Config): string[] {
  const problems: string[] = [];
  const seen = new Map<string, number>();
  cfg.targets.forEach((t, i) => {
    const first = seen.get(t.id);
    if (first !== undefined)
      problems.push(`targets[${i}].id: "${t.id}" is already used by targets[${first}]`);
    else seen.set(t.id, i);
  });
  cfg.targets.forEach((t, i) => {
    if (t.dependsOn !== undefined) {
      if (t.dependsOn === t.id)
        problems.push(`targets[${i}].dependsOn: a target cannot depend on itself`);
      else if (!seen.has(t.dependsOn))
        problems.push(`targets[${i}].dependsOn: no target has id "${t.dependsOn}"`);
    }
  });
  problems.push(...checkDependencyCycles(cfg));
  const sloTargets = new Set<string>();
  cfg.slos.forEach((o, i) => {
    if (!seen.has(o.target)) problems.push(`slos[${i}].target: no target has id "${o.target}"`);
    else if (sloTargets.has(o.target))
      problems.push(`slos[${i}].target: "${o.target}" already has an objective`);
    sloTargets.add(o.target);
  });
  return problems;
}

/**
 * Targets that depend on each other in a ring would suppress each other's alerts while
 * all are down, so nobody would be told: `targets[1].dependsOn: a cycle: b → c → b`.
 */
export function checkDependencyCycles(cfg: Pick<Config, 'targets'>): string[] {
  const parent = new Map(cfg.targets.map((t) => [t.id, t.dependsOn]));
  const reported = new Set<string>();
  const problems: string[] = [];
  cfg.targets.forEach((t, i) => {
    const path = [t.id];
    let cur = t.dependsOn;
    while (cur !== undefined && cur !== t.id && !path.includes(cur) && parent.has(cur)) {
      path.push(cur);
      cur = parent.get(cur);
    }
    if (cur !== t.id || path.length < 2 || path.some((id) => reported.has(id))) return;
    path.forEach((id) => reported.add(id));
    problems.push(`targets[${i}].dependsOn: a cycle: ${[...path, t.id].join(' → ')}`);
  });
  return problems;
}

/** A probe's deadline: its own timeout, but always below the interval so ticks never pile up. */
export function effectiveTimeoutMs(timeoutMs: number, intervalSec: number): number {
  return Math.max(100, Math.min(timeoutMs, intervalSec * 1000 - 250));
}
