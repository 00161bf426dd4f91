/**
 * Turns socket, DNS and TLS errors into words a user understands. The raw code stays at the
 * end in brackets when it adds something, so a search engine still finds it.
 */

interface ErrorLike {
  code?: unknown;
  message?: unknown;
  errors?: unknown;
  cause?: unknown;
}

const TLS_REASONS: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed certificate',
  SELF_SIGNED_CERT_IN_CHAIN: 'self-signed certificate in the chain',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'certificate issuer unknown',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'certificate issuer unknown',
  CERT_HAS_EXPIRED: 'certificate expired',
  CERT_NOT_YET_VALID: 'certificate not yet valid',
  ERR_TLS_CERT_ALTNAME_INVALID: 'certificate is for another host name',
};

/** `where` is host:port (or a path) to name in the message. */
export function describeError(err: unknown, where: string): string {
  const e = innermost(err);
  const code = typeof e.code === 'string' ? e.code : '';
  const tls = TLS_REASONS[code];
  if (tls) return `TLS certificate rejected: ${tls} (${where}); set insecure to accept it`;
  switch (code) {
    case 'ECONNREFUSED':
      return `connection refused (${where})`;
    case 'ENOTFOUND':
      return `host not found (${where})`;
    case 'EAI_AGAIN':
      return `DNS lookup failed, try again later (${where})`;
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      return `connection closed by the server (${where})`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `host unreachable (${where})`;
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return `connect timed out (${where})`;
    case 'EPROTO':
    case 'ERR_SSL_WRONG_VERSION_NUMBER':
      return `TLS handshake failed; is it really https? (${where})`;
    case 'UND_ERR_HEADERS_OVERFLOW':
      return `response headers too large (${where})`;
    case 'HPE_INVALID_CONSTANT':
    case 'HPE_INVALID_VERSION':
    case 'UND_ERR_INFO':
      return `not an HTTP response (${where})`;
  }
  const msg = typeof e.message === 'string' && e.message ? e.message : String(err);
  return code && !msg.includes(code) ? `${msg} [${code}] (${where})` : `${msg} (${where})`;
}

/**
 * Connecting to a name with several addresses fails with an AggregateError; the first
 * inner error is the useful one. undici may also wrap the socket error as `cause`.
 */
function innermost(err: unknown): ErrorLike {
  let e = (err ?? {}) as ErrorLike;
  for (let depth = 0; depth < 5; depth++) {
    if (typeof e.code === 'string' && e.code !== 'UND_ERR_SOCKET') return e;
    if (Array.isArray(e.errors) && e.errors.length > 0) e = e.errors[0] as ErrorLike;
    else if (e.cause && typeof e.cause === 'object') e = e.cause as ErrorLike;
    else return e;
  }
  return e;
}

/**
 * Where a JSON.parse failed, without the text itself: V8 quotes the start of the input in
 * its message ("root:$y$..." is not valid JSON), and a probed file may be a secret one.
 */
export function jsonErrorWhere(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const position = /at position (\d+)/.exec(message);
  if (position) return `syntax error at byte ${Number(position[1]) + 1}`;
  if (/end of JSON input/i.test(message)) return 'it ends too early';
  return 'syntax error near the start';
}
