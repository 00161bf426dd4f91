import { timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { HostPolicy } from './hosts';

export const TOKEN_HEADER = 'x-opspulse-token';

const SAFE_METHODS = new Set(['GET', 'HEAD']);

/** Sec-Fetch-Site values of requests made by our own page, or typed/bookmarked by the user. */
const OWN_FETCH_SITES = new Set(['same-origin', 'none']);

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function headerToken(authorization: string | undefined, custom: string | undefined): string | null {
  if (custom) return custom;
  const m = authorization ? /^Bearer\s+(.+)$/i.exec(authorization) : null;
  return m ? m[1].trim() : null;
}

/**
 * Every request, pages included: the Host header must name this server (a loopback name,
 * the bound address, or an --allow-host name). A DNS-rebinding page reaches the port under
 * its own hostname, so it is refused here, with or without a token.
 */
export function hostGuard(hosts: HostPolicy): MiddlewareHandler {
  return async (c, next) => {
    const host = c.req.header('host') ?? '';
    if (!hosts.allows(host))
      return c.json(
        {
          error: host
            ? `host "${host}" is not a name this server answers to; start it with --allow-host ${hosts.hostname(host)} to use that name`
            : 'the request has no Host header',
        },
        403,
      );
    await next();
  };
}

/** Why a request comes from another site, or null when it comes from our page or the user. */
function foreignOrigin(origin: string | undefined, fetchSite: string | undefined, host: string) {
  if (fetchSite !== undefined && !OWN_FETCH_SITES.has(fetchSite.toLowerCase()))
    return `a ${fetchSite} request`;
  if (origin === undefined) return null;
  if (origin === 'null') return 'a request from an opaque origin';
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    originHost = '';
  }
  return originHost.toLowerCase() === host.toLowerCase() ? null : `a request from ${origin}`;
}

/**
 * Guards the API and /metrics.
 *
 * - Nothing is answered to another site: a browser names the page that made the request in
 *   Origin (fetch, forms) or Sec-Fetch-Site (also an `<img>` or `<script>` tag), and
 *   anything but our own origin is refused before any work starts. Clients that are not
 *   browsers (curl, Prometheus) send neither.
 * - With a token, every request needs it. Reads may pass it as `?token=` because
 *   EventSource cannot set headers; state-changing calls must use a header, which a
 *   foreign page can only send after a CORS preflight this server never approves.
 * - State-changing calls must be JSON, which a plain HTML form cannot send.
 */
export function guard(token: string | undefined): MiddlewareHandler {
  return async (c, next) => {
    const req = c.req;
    const safe = SAFE_METHODS.has(req.method);
    const foreign = foreignOrigin(
      req.header('origin'),
      req.header('sec-fetch-site'),
      req.header('host') ?? '',
    );
    if (foreign !== null) return c.json({ error: `cross-origin: ${foreign} is refused` }, 403);

    if (token !== undefined) {
      const fromHeader = headerToken(req.header('authorization'), req.header(TOKEN_HEADER));
      const given = fromHeader ?? (safe ? (req.query('token') ?? null) : null);
      if (given === null || !sameToken(given, token))
        return c.json(
          {
            error: safe
              ? `missing or wrong token (send the ${TOKEN_HEADER} header)`
              : `state-changing calls need the token in the ${TOKEN_HEADER} header`,
          },
          401,
        );
    }

    if (!safe) {
      const type = req.header('content-type') ?? '';
      if (!type.toLowerCase().startsWith('application/json'))
        return c.json({ error: 'send the request body as application/json' }, 415);
    }
    await next();
  };
}
