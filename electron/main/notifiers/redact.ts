/**
 * Webhook URLs carry their secret in the path or query (Slack, Discord, Teams), and
 * headers carry tokens. Logs and reports show only the scheme and host.
 */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    const hidden = u.pathname !== '/' || u.search !== '' || u.username !== '' || u.password !== '';
    return `${u.protocol}//${u.host}${hidden ? '/[redacted]' : '/'}`;
  } catch {
    return '[redacted url]';
  }
}

/** Replaces every secret (URL, its path and query, header values) found in a text. */
export function redactText(text: string, secrets: readonly string[]): string {
  let out = text;
  const sorted = [...new Set(secrets.filter((s) => s.length >= 4))].sort(
    (a, b) => b.length - a.length,
  );
  for (const s of sorted) out = out.split(s).join('[redacted]');
  return out;
}

/** The secret parts of a webhook: what must never reach a log line. */
export function webhookSecrets(url: string, headers: Record<string, string>): string[] {
  const out = [url, ...Object.values(headers)];
  try {
    const u = new URL(url);
    if (u.pathname !== '/') out.push(u.pathname);
    if (u.search) out.push(u.search.slice(1));
    if (u.username) out.push(u.username);
    if (u.password) out.push(u.password);
  } catch {
    // An unparsable URL is already covered by the whole-string entry.
  }
  return out;
}

/**
 * A copy of a config fit to show or export: webhook URLs keep only scheme and host,
 * their header values are hidden. Everything else is unchanged.
 */
export function redactConfig<
  C extends { alerts: { webhooks: { url: string; headers: Record<string, string> }[] } },
>(config: C): C {
  const copy = structuredClone(config);
  for (const w of copy.alerts.webhooks) {
    w.url = redactUrl(w.url);
    for (const k of Object.keys(w.headers)) w.headers[k] = '[redacted]';
  }
  return copy;
}
