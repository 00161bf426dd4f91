/**
 * What a desktop notification says, in the dashboard's vocabulary: the title names the
 * subject and its state ("Local LLM: Down"), the body says why without naming it again
 * ("connection refused (3 failed checks)"). The alert engine's own titles ("Local LLM is
 * down") stay as they are for webhooks and logs.
 */
const TITLES: [RegExp, string][] = [
  [/^(.+) is down$/, 'Down'],
  [/^(.+) is critical$/, 'Critical'],
  [/^(.+) is degraded$/, 'Degraded'],
  [/^(.+) is flapping$/, 'Flapping'],
  [/^(.+) recovered$/, 'OK again'],
  [/^(.+) back to normal$/, 'OK again'],
];

export function desktopText(title: string, body: string): { title: string; body: string } {
  let subject: string | undefined;
  let state: string | undefined;
  const still = /^Still (down|critical): (.+)$/.exec(title);
  if (still) {
    subject = still[2];
    state = still[1] === 'down' ? 'still Down' : 'still Critical';
  } else {
    for (const [re, label] of TITLES) {
      const m = re.exec(title);
      if (m) {
        subject = m[1];
        state = label;
        break;
      }
    }
  }
  if (subject === undefined || state === undefined) return { title, body };
  return { title: `${subject}: ${state}`, body: withoutSubject(body, subject) };
}

/** "API is down: ECONNREFUSED" -> "ECONNREFUSED"; "API is back up" -> "Back up". */
function withoutSubject(body: string, subject: string): string {
  if (!body.startsWith(`${subject} `)) return body;
  let rest = body.slice(subject.length + 1);
  const stated = /^is (?:down|critical|degraded): /.exec(rest);
  if (stated) rest = rest.slice(stated[0].length);
  else if (rest.startsWith('is ')) rest = rest.slice(3);
  return rest.length > 0 ? rest[0].toUpperCase() + rest.slice(1) : body;
}
