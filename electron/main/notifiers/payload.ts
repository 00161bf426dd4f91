import type { Notification } from '../../../shared/notification';

const SLACK_ICON: Record<Notification['level'], string> = {
  crit: ':red_circle:',
  warn: ':large_orange_circle:',
  ok: ':large_green_circle:',
};

/** The generic JSON body: the whole notification, marked with its source. */
export function genericPayload(n: Notification, host: string): Record<string, unknown> {
  return {
    source: 'opspulse',
    host,
    t: n.t,
    time: new Date(n.t).toISOString(),
    kind: n.kind,
    level: n.level,
    title: n.title,
    body: n.body,
    targets: n.targets,
    events: n.events,
  };
}

/** Slack-compatible incoming-webhook body (also accepted by Mattermost, Rocket.Chat). */
export function slackPayload(n: Notification, host: string): { text: string } {
  return { text: `${SLACK_ICON[n.level]} *${n.title}* (${host})\n${n.body}` };
}
