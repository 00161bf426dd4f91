import type { Config, Target, TargetInput } from './config-schema';
import type { FieldError } from './api';

/**
 * Secrets in the config (header values, bearer tokens, URL passwords and query tokens,
 * webhook URLs) never leave the core: every answer carries SECRET_MASK in their place. The
 * editor sends the mask back for a secret the user did not change, and the core puts the
 * stored value back (restoreSecrets), so a secret is write-only: it can be replaced, never
 * read.
 */
export const SECRET_MASK = '*****';

/** Query parameters whose values are credentials by name (`?token=`, `?api_key=`, `?sig=`). */
const SECRET_PARAM = /token|key|secret|pass|pwd|auth|sig|session|credential|code|jwt/i;

/** A URL with its password and credential-like query values masked; unparsable: all masked. */
export function maskUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return SECRET_MASK;
  }
  if (u.password) u.password = SECRET_MASK;
  if (u.search) {
    const masked = new URLSearchParams();
    let changed = false;
    for (const [name, value] of new URLSearchParams(u.search)) {
      const secret = SECRET_PARAM.test(name);
      changed ||= secret;
      masked.append(name, secret ? SECRET_MASK : value);
    }
    if (changed) u.search = masked.toString();
  }
  return u.href;
}

/** A webhook's URL carries its secret in the path (Slack, Discord, Teams): only the origin shows. */
export function maskWebhookUrl(url: string): string {
  try {
    const u = new URL(url);
    const hidden = u.pathname !== '/' || u.search !== '' || u.username !== '' || u.password !== '';
    return `${u.origin}/${hidden ? SECRET_MASK : ''}`;
  } catch {
    return SECRET_MASK;
  }
}

function maskHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.keys(headers).map((k) => [k, SECRET_MASK]));
}

/** A target as it may be shown: every secret masked. */
export function maskTarget<T extends Target>(t: T): T {
  const copy = structuredClone(t);
  if (copy.kind === 'http') {
    copy.url = maskUrl(copy.url);
    copy.headers = maskHeaders(copy.headers);
  } else if (copy.kind === 'prometheus') {
    copy.url = maskUrl(copy.url);
    if (copy.bearerToken !== undefined) copy.bearerToken = SECRET_MASK;
  }
  return copy;
}

/** The SMTP settings, typed loosely: the password is all this module needs of them. */
function smtpOf(config: Config): { pass?: string } | undefined {
  return (config.alerts as { email?: { pass?: string } }).email;
}

/** A config as it may be shown (API answers, `targets list`, exports): every secret masked. */
export function maskConfig(config: Config): Config {
  const copy = structuredClone(config);
  copy.targets = copy.targets.map(maskTarget);
  for (const w of copy.alerts.webhooks) {
    w.url = maskWebhookUrl(w.url);
    w.headers = maskHeaders(w.headers);
  }
  const email = smtpOf(copy);
  if (email?.pass) email.pass = SECRET_MASK;
  return copy;
}

/** Every secret value of a config, for checking that none reaches a text (tests, logs). */
export function configSecrets(config: Config): string[] {
  const out: string[] = [];
  const ofUrl = (url: string): void => {
    try {
      const u = new URL(url);
      if (u.password) out.push(decodeURIComponent(u.password));
      for (const [name, value] of new URLSearchParams(u.search))
        if (SECRET_PARAM.test(name) && value) out.push(value);
    } catch {
      out.push(url);
    }
  };
  for (const t of config.targets) {
    if (t.kind === 'http') {
      ofUrl(t.url);
      out.push(...Object.values(t.headers));
    } else if (t.kind === 'prometheus') {
      ofUrl(t.url);
      if (t.bearerToken) out.push(t.bearerToken);
    }
  }
  for (const w of config.alerts.webhooks) out.push(w.url, ...Object.values(w.headers));
  const pass = smtpOf(config)?.pass;
  if (pass) out.push(pass);
  return out.filter((s) => s !== '' && s !== SECRET_MASK);
}

type SecretfulInput = Extract<TargetInput, { kind: 'http' | 'prometheus' }>;

function hasSecretKind(t: TargetInput): t is SecretfulInput {
  return t.kind === 'http' || t.kind === 'prometheus';
}

/**
 * The URL the user sent, with each masked part (password, query value) taken from the stored
 * URL. Null when a mask is left but there is nothing to take it from.
 */
function restoreUrl(sent: string, stored: string | undefined): string | null {
  if (!sent.includes(SECRET_MASK)) return sent;
  let u: URL;
  let old: URL;
  try {
    u = new URL(sent);
    old = new URL(stored ?? '');
  } catch {
    return null;
  }
  if (u.password === SECRET_MASK) {
    if (!old.password || old.username !== u.username) return null;
    u.password = old.password;
  }
  if (u.search.includes(SECRET_MASK)) {
    const params = new URLSearchParams(u.search);
    const oldParams = new URLSearchParams(old.search);
    const out = new URLSearchParams();
    const seen = new Map<string, number>();
    for (const [name, value] of params) {
      const i = seen.get(name) ?? 0;
      seen.set(name, i + 1);
      if (value !== SECRET_MASK) out.append(name, value);
      else {
        const was = oldParams.getAll(name)[i];
        if (was === undefined) return null;
        out.append(name, was);
      }
    }
    u.search = out.toString();
  }
  return u.href.includes(SECRET_MASK) ? null : u.href;
}

function originOf(url: string | undefined): string | null {
  try {
    return new URL(url ?? '').origin;
  } catch {
    return null;
  }
}

/**
 * Puts the stored secrets back where the editor sent SECRET_MASK. A secret only goes back
 * to the server it was meant for: when the URL's origin changed, or nothing is stored,
 * each masked field is an error asking for the secret again.
 */
export function restoreSecrets(
  input: TargetInput,
  stored: Target | undefined,
): { target: TargetInput } | { errors: FieldError[] } {
  // A malformed input goes on unchanged, for the schema to name what is wrong with it.
  if (!hasSecretKind(input) || typeof input.url !== 'string') return { target: input };
  const prev = stored?.kind === input.kind ? stored : undefined;
  const errors: FieldError[] = [];
  const again = (path: string, what: string): void => {
    errors.push({
      path,
      message: prev
        ? `enter the ${what} again: the URL now points at another server`
        : `enter the ${what}: ${SECRET_MASK} keeps a saved secret, and none is saved here`,
    });
  };
  const sameServer = prev !== undefined && originOf(prev.url) === originOf(input.url);
  const out = structuredClone(input);
  const url = sameServer ? restoreUrl(input.url, prev.url) : input.url;
  if (url === null || (!sameServer && input.url.includes(SECRET_MASK)))
    again('url', `password or token in the URL`);
  else out.url = url;
  if (out.kind === 'http' && typeof out.headers === 'object' && out.headers !== null) {
    const old = prev?.kind === 'http' ? prev.headers : {};
    for (const [name, value] of Object.entries(out.headers)) {
      if (value !== SECRET_MASK) continue;
      const key = Object.keys(old).find((k) => k.toLowerCase() === name.toLowerCase());
      if (sameServer && key !== undefined) out.headers[name] = old[key];
      else again(`headers.${name}`, `value of header ${name}`);
    }
  }
  if (out.kind === 'prometheus' && out.bearerToken === SECRET_MASK) {
    const old = prev?.kind === 'prometheus' ? prev.bearerToken : undefined;
    if (sameServer && old !== undefined) out.bearerToken = old;
    else again('bearerToken', 'bearer token');
  }
  return errors.length > 0 ? { errors } : { target: out };
}
