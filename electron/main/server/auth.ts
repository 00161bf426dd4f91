import { timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { isLoopbackHost } from './options';

export const TOKEN_HEADER = 'x-opspulse-token';

const SAFE_METHODS = new Set(['GET', 'HEAD']);

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

function hostnameOf(hostHeader: string): string {
  if (hostHeader.startsWith('[')) return hostHeader.slice(0, hostHeader.indexOf(']') + 1);
  const colon = hostHeader.lastIndexOf(':');
  return colon < 0 ? hostHeader : hostHeader.slice(0, colon);
}

/**
 * Guards the API and /metrics.
 *
 * - With a token, every request needs it. Reads may pass it as `?token=` because
 *   EventSource cannot set headers; state-changing calls must use a header, which a
 *   foreign page can only send after a CORS preflight this server never approves.
 * - State-changing calls must be JSON and, when the browser says where it comes from,
 *   same-origin: a cross-site form post is refused even on an open loopback server.
 * - Without a token the Host header must name a loopback address, so a DNS-rebinding
 *   page cannot reach a loopback-only server under its own hostname.
 */
export function guard(token: string | undefined): MiddlewareHandler {
  return async (c, next) => {
    const req = c.req;
    const safe = SAFE_METHODS.has(req.method);
    const host = req.header('host') ?? '';
    if (token === undefined && !isLoopbackHost(hostnameOf(host)))
      return c.json(
        { error: `host "${host}" is not a loopback name; use a token to serve it` },
        403,
      );

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
      const origin = req.header('origin');
      if (origin !== undefined && origin !== 'null') {
        let originHost: string;
        try {
          originHost = new URL(origin).host;
        } catch {
          originHost = '';
        }
        if (originHost !== host)
          return c.json({ error: `cross-origin request from ${origin} refused` }, 403);
      } else if (origin === 'null') {
        return c.json({ error: 'requests from an opaque origin are refused' }, 403);
      }
    }
    await next();
  };
}
