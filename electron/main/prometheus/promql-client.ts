import { Agent, request } from 'undici';

export interface InstantQuery {
  /** The server's base URL; a path prefix (e.g. https://host/prometheus) is kept. */
  url: string;
  query: string;
  bearerToken?: string;
  timeoutMs: number;
  /** Accept self-signed certificates. */
  insecure?: boolean;
  /** Evaluation time, Unix ms; the server's "now" when absent. */
  time?: number;
  /** Cancels the query (e.g. on shutdown). */
  signal?: AbortSignal;
}

export interface InstantValue {
  value: number;
  /** Evaluation time the server reported, Unix ms. */
  t: number;
  resultType: 'scalar' | 'vector';
}

/** A query that ran but cannot become one number, or a server that refused it. */
export class PromQLError extends Error {
  override name = 'PromQLError';
}

/**
 * One number never needs more; a query that matches a whole fleet's series does, and is an
 * error anyway, so the body is cut off rather than buffered.
 */
export const MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

const insecureAgent = new Agent({ connect: { rejectUnauthorized: false } });

export function queryUrl(base: string, query: string, time?: number): string {
  const u = new URL(base);
  u.pathname = `${u.pathname.replace(/\/+$/, '')}/api/v1/query`;
  u.search = '';
  u.searchParams.set('query', query);
  if (time !== undefined) u.searchParams.set('time', String(time / 1000));
  return u.toString();
}

/**
 * Runs a PromQL instant query and reduces it to one number: a scalar, or a vector of
 * exactly one series. Anything else is an error that says how to fix the query, since a
 * desktop alert on "the first of several series" would be silently arbitrary.
 */
export async function queryInstant(q: InstantQuery): Promise<InstantValue> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (q.bearerToken) headers.authorization = `Bearer ${q.bearerToken}`;
  const res = await request(queryUrl(q.url, q.query, q.time), {
    method: 'GET',
    headers,
    headersTimeout: q.timeoutMs,
    bodyTimeout: q.timeoutMs,
    signal: q.signal
      ? AbortSignal.any([AbortSignal.timeout(q.timeoutMs), q.signal])
      : AbortSignal.timeout(q.timeoutMs),
    ...(q.insecure ? { dispatcher: insecureAgent } : {}),
  });
  const text = await readCapped(res.body, MAX_RESPONSE_BYTES);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new PromQLError(
      `HTTP ${res.statusCode}: not a Prometheus API response (${snippet(text)})`,
    );
  }
  return parseInstantResponse(res.statusCode, body);
}

interface ApiResponse {
  status?: string;
  error?: string;
  errorType?: string;
  data?: { resultType?: string; result?: unknown };
}

/** Interprets a /api/v1/query response body; exported for tests of odd server answers. */
export function parseInstantResponse(statusCode: number, body: unknown): InstantValue {
  const r = (body ?? {}) as ApiResponse;
  if (r.status !== 'success') {
    const why = r.error ? `${r.errorType ?? 'error'}: ${r.error}` : `HTTP ${statusCode}`;
    throw new PromQLError(`query failed (${why})`);
  }
  const type = r.data?.resultType;
  const result = r.data?.result;
  if (type === 'scalar') return { ...sampleOf(result), resultType: 'scalar' };
  if (type === 'vector' && Array.isArray(result)) {
    if (result.length === 0) throw new PromQLError('query returned no series');
    if (result.length > 1)
      throw new PromQLError(
        `query returned ${result.length} series; reduce it to one (e.g. sum(...) or max(...))`,
      );
    return { ...sampleOf((result[0] as { value?: unknown }).value), resultType: 'vector' };
  }
  throw new PromQLError(
    `query returned a ${type ?? 'malformed'} result; an instant query must give one number`,
  );
}

/** Go's float spellings that Number() does not read. */
const SPECIAL: Record<string, number> = { '+Inf': Infinity, Inf: Infinity, '-Inf': -Infinity };

function sampleOf(pair: unknown): { value: number; t: number } {
  if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== 'number')
    throw new PromQLError('malformed sample in the response');
  const text = String(pair[1]);
  const value = Object.hasOwn(SPECIAL, text)
    ? SPECIAL[text]
    : text.trim() === ''
      ? NaN
      : Number(text);
  if (Number.isNaN(value) && text !== 'NaN') throw new PromQLError(`not a number: ${text}`);
  return { value, t: Math.round(pair[0] * 1000) };
}

async function readCapped(
  body: AsyncIterable<Buffer> & { destroy(): unknown },
  cap: number,
): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > cap) {
      body.destroy();
      throw new PromQLError(
        `response over ${cap / 1024 / 1024} MB; the query matches far more than one series`,
      );
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function snippet(text: string): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > 80 ? `${one.slice(0, 80)}…` : one || 'empty body';
}
