import type { Command } from 'commander';
import { EmailNotifier } from '../../notifiers/email-notifier';
import type { Config, EmailConfig } from '../../../../shared/config-schema';
import type { AlertEvent } from '../../../../shared/events';
import { AlertEngine } from '../../alerts/alert-engine';
import { loadAlertState } from '../../alerts/alert-state';
import { applyMute, readControl, updateControl } from '../../alerts/control-file';
import { parseDuration, parseSince } from '../../alerts/duration';
import { EventLog } from '../../alerts/event-log';
import { formatDuration } from '../../alerts/format';
import { ConfigStore } from '../../config/config-store';
import { WebhookNotifier } from '../../notifiers/webhook-notifier';
import { dataDirOf } from '../program';
import { printTable } from '../table';

function localTime(t: number): string {
  const d = new Date(t);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(
    d.getMinutes(),
  )}:${p(d.getSeconds())}`;
}

function requireTarget(config: Config, id: string): void {
  if (!config.targets.some((t) => t.id === id))
    throw new Error(`no target has id "${id}" (see \`opspulse targets list\`)`);
}

/** `opspulse alerts list`: current states of every rule, with mutes and suppression. */
async function listAlerts(dataDir: string, json: boolean): Promise<void> {
  const config = (await ConfigStore.open(dataDir)).get();
  const now = Date.now();
  const { state } = loadAlertState(dataDir, now);
  const engine = await AlertEngine.open({ dataDir, notifier: { notify: () => undefined } });
  const snap = engine.snapshot(config);
  const keys = Object.values(state.keys).sort(
    (a, b) => (a.target ?? '').localeCompare(b.target ?? '') || a.rule.localeCompare(b.rule),
  );
  if (json) {
    console.log(JSON.stringify({ snapshot: snap, rules: keys, lastT: state.lastT }, null, 2));
    return;
  }
  console.log(`Overall: ${snap.overall} — ${snap.summary}`);
  if (state.lastT !== undefined)
    console.log(
      `Last evaluated ${localTime(state.lastT)} (${formatDuration(now - state.lastT)} ago)`,
    );
  else console.log('Nothing evaluated yet: start `opspulse run`.');
  const control = readControl(dataDir);
  if (control.mutedUntil > now)
    console.log(`All notifications muted until ${localTime(control.mutedUntil)}`);
  for (const [id, until] of Object.entries(control.targets))
    if (until > now) console.log(`${id}: muted until ${localTime(until)}`);
  if (snap.targets.length > 0) {
    console.log('');
    const rows = snap.targets.map((t) => [t.state, t.id, t.figure, t.reason ?? '']);
    printTable(['STATE', 'TARGET', 'LATEST', 'NOTE'], rows);
  }
  // Configured rules with no state yet are listed too, so a new rule is visibly waiting.
  const evaluated = new Set(keys.map((k) => k.rule));
  const waiting = config.rules.filter((r) => !evaluated.has(r.id));
  if (keys.length + waiting.length > 0) {
    console.log('');
    const rows = keys.map((k) => [
      k.state,
      k.target ?? '-',
      k.series ? `${k.rule} (${k.series})` : k.rule,
      `${localTime(k.since)}`,
      [k.flapping ? 'flapping' : '', k.message].filter(Boolean).join('; '),
    ]);
    for (const r of waiting)
      rows.push([
        'unknown',
        '-',
        `${r.id} (${r.series})`,
        '-',
        r.enabled ? 'not evaluated yet' : 'disabled',
      ]);
    printTable(['STATE', 'TARGET', 'RULE', 'SINCE', 'MESSAGE'], rows);
  }
}

function eventLine(e: AlertEvent): string {
  const value = e.value !== undefined ? ` [${e.value}]` : '';
  return `${localTime(e.t)}  ${(e.target ?? '-').padEnd(12)} ${e.rule.padEnd(10)} ${e.from}→${e.to}  ${e.message}${value}`;
}

export function registerAlertCommands(program: Command): void {
  const alerts = program.command('alerts').description('current alert states');
  alerts
    .command('list')
    .description('show the state of every target and rule, with mutes and reasons')
    .option('--json', 'print as JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      await listAlerts(dataDirOf(cmd), opts.json === true);
    });

  alerts
    .command('test')
    .description('send a test notification to every configured webhook and report the outcome')
    .option('--email', 'send a test email through alerts.email instead')
    .action(async (opts: { email?: boolean }, cmd: Command) => {
      const config = (await ConfigStore.open(dataDirOf(cmd))).get();
      if (opts.email) {
        await testEmail(config.alerts.email);
        return;
      }
      const hooks = config.alerts.webhooks;
      if (hooks.length === 0) {
        console.log('No webhooks configured (alerts.webhooks in config.json).');
        return;
      }
      const failures: string[] = [];
      const notifier = new WebhookNotifier({
        webhooks: hooks,
        log: { info: () => undefined, warn: (m) => failures.push(m) },
      });
      const t = Date.now();
      notifier.notify({
        t,
        kind: 'recovered',
        level: 'ok',
        title: 'OpsPulse test notification',
        body: 'If you can read this, OpsPulse can reach this webhook.',
        targets: [],
        events: [],
      });
      await notifier.idle();
      await notifier.close();
      for (const f of failures) console.log(f);
      const { delivered, failed } = notifier.stats;
      console.log(`${delivered} of ${hooks.length} webhooks accepted the test notification.`);
      if (failed > 0) throw new Error(`${failed} webhook(s) failed; see above`);
    });

  program
    .command('events')
    .description('show the incident log: every state transition')
    .option('--since <when>', 'a duration back from now (30m, 24h, 7d) or a date', '24h')
    .option('--target <id>', 'only this target')
    .option('--json', 'print as JSON lines')
    .action(async (opts: { since: string; target?: string; json?: boolean }, cmd: Command) => {
      const since = parseSince(opts.since, Date.now());
      const events = await EventLog.forDataDir(dataDirOf(cmd)).read({
        since,
        target: opts.target,
      });
      if (opts.json) {
        for (const e of events) console.log(JSON.stringify(e));
        return;
      }
      if (events.length === 0) {
        console.log(`No events since ${localTime(since)}.`);
        return;
      }
      for (const e of events) console.log(eventLine(e));
    });

  program
    .command('mute')
    .description('mute notifications, for every target or one, for a while')
    .argument('[target]', 'a target id (default: everything)')
    .option('--for <duration>', 'how long, e.g. 30m, 1h, 2d', '1h')
    .action(async (target: string | undefined, opts: { for: string }, cmd: Command) => {
      const ms = parseDuration(opts.for, '--for');
      const dataDir = dataDirOf(cmd);
      if (target !== undefined) requireTarget((await ConfigStore.open(dataDir)).get(), target);
      const now = Date.now();
      updateControl(dataDir, now, (c) => applyMute(c, now + ms, target));
      console.log(
        `Muted ${target ?? 'all notifications'} until ${localTime(now + ms)} (${formatDuration(ms)}).`,
      );
    });

  program
    .command('unmute')
    .description('end a mute: for one target, or all mutes')
    .argument('[target]', 'a target id (default: every mute)')
    .action((target: string | undefined, _opts: unknown, cmd: Command) => {
      const dataDir = dataDirOf(cmd);
      const before = readControl(dataDir);
      updateControl(dataDir, Date.now(), (c) => applyMute(c, 0, target));
      const had =
        target === undefined
          ? before.mutedUntil > 0 || Object.keys(before.targets).length > 0
          : target in before.targets;
      if (had) console.log(`Unmuted ${target ?? 'everything'}.`);
      else console.log(target ? `${target} was not muted.` : 'Nothing was muted.');
    });
}

/** One test mail through the configured server; says where it went or why it did not. */
async function testEmail(email: EmailConfig | undefined): Promise<void> {
  if (!email) {
    console.log('No email configured (alerts.email in config.json).');
    return;
  }
  const lines: string[] = [];
  const mailer = new EmailNotifier({
    email: { ...email, retries: Math.min(email.retries, 1) },
    log: { info: (m) => lines.push(m), warn: (m) => lines.push(m) },
    backoffMs: 1_000,
  });
  try {
    await mailer.send({
      subject: '[OpsPulse] Test email',
      text: 'If you can read this, OpsPulse can send you alerts and reports by email.\n',
    });
    console.log(`Sent a test email to ${email.to.join(', ')} via ${email.host}:${email.port}.`);
  } catch (err) {
    for (const l of lines) console.log(l);
    throw new Error(`the test email was not sent: ${(err as Error).message}`);
  } finally {
    await mailer.close();
  }
}
