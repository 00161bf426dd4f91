import { performance } from 'node:perf_hooks';
import type { TLSSocket } from 'node:tls';
import { Agent, buildConnector, request, type Dispatcher } from 'undici';
import type { HttpTarget } from '../../../shared/config-schema';
import type { ProbeResult } from '../../../shared/sample';
import { maskUrl } from '../../../shared/secrets';
import { checkConditions, extractMetrics } from './conditions';
import { Deadline } from './deadline';
import { describeError, jsonErrorWhere } from './errors';

const USER_AGENT = 'OpsPulse/0.1 (health probe)';
const DAY_MS = 86_400_000;

/** Certificate expiry (ms since epoch) per host:port, refreshed on every new TLS connection. */
const certExpiry = new Map<string, number>();

function originKey(hostname: string, port: string | number, protocol: string): string {
  return `${hostname}:${port || (protocol === 'https:' ? 443 : 80)}`;
}

function makeAgent(rejectUnauthorized: boolean): Agent {
  // Session resumption would hide a rotated certificate; a probe wants the real one each time.
  // undici's 10 s connect timeout stays: it bounds a connect the probe's deadline gave up on.
  const base = buildConnector({ rejectUnauthorized, maxCachedSessions: 0 });
  const connect: buildConnector.connector = (opts, callback) =>
    base(opts, (...args) => {
      const socket = args[1];
      if (socket && opts.protocol === 'https:') {
        const validTo = Date.parse((socket as TLSSocket).getPeerCertificate().valid_to ?? '');
        if (Number.isFinite(validTo))
          certExpiry.set(originKey(opts.hostname, opts.port, opts.protocol), validTo);
      }
      callback(...args);
    });
  return new Agent({ connect, keepAliveTimeout: 4_000 });
}

let verifying: Agent | undefined;
let insecure: Agent | undefined;

/** One shared keep-alive dispatcher per trust mode, made on first use. */
function dispatcherFor(target: Pick<HttpTarget, 'insecure'>): Dispatcher {
  if (target.insecure) return (insecure ??= makeAgent(false));
  return (verifying ??= makeAgent(true));
}

/** Closes the shared connections (at shutdown, and between tests). */
export async function closeHttpAgents(): Promise<void> {
  const agents = [verifying, insecure].filter((a): a is Agent => a !== undefined);
  verifying = insecure = undefined;
  await Promise.all(agents.map((a) => a.close()));
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * One HTTP(S) check. Never throws: every failure, including a failed condition, is a result
 * with up=false and an error in words, with the latency and metrics that were measured.
 */
export async function probeHttp(
  target: HttpTarget,
  deadlineMs: number,
  signal?: AbortSignal,
): Promise<ProbeResult> {
  const deadline = new Deadline(deadlineMs, signal);
  const start = performance.now();
  // Where the failure happened, for the message: the target's URL until it parses.
  let where = target.url;
  const result: ProbeResult = { up: false };
  try {
    let url = new URL(target.url);
    where = url.host;
    let method: string = target.method;
    let body = target.body;
    let headers = withUserAgent(target.headers);
    for (let hops = 0; ; hops++) {
      const res: Dispatcher.ResponseData = await request(url, {
        method: method as Dispatcher.HttpMethod,
        headers,
        body,
        signal: deadline.signal,
        dispatcher: dispatcherFor(target),
      });
      const location = res.headers.location;
      if (
        REDIRECTS.has(res.statusCode) &&
        target.maxRedirects > 0 &&
        typeof location === 'string'
      ) {
        await res.body.dump();
        if (hops >= target.maxRedirects) {
          result.status = res.statusCode;
          result.ms = performance.now() - start;
          result.error = `too many redirects (more than ${target.maxRedirects}); the last pointed to ${maskLocation(location, url)}`;
          return withCert(result, target.url);
        }
        const next: URL = new URL(location, url);
        // Credentials meant for one server are not handed to another it redirects to. Any
        // configured header may be one (X-Api-Key, X-Auth-Token, a custom name), so none of
        // them goes cross-origin, and neither does the URL's user:password.
        if (next.origin !== url.origin) {
          headers = withUserAgentOf(target.headers);
          next.username = '';
          next.password = '';
        }
        url = next;
        where = url.host;
        // What browsers do: 303 always, and 301/302 after a POST, continue as GET without a body.
        if (res.statusCode === 303 || (res.statusCode <= 302 && method === 'POST')) {
          method = 'GET';
          body = undefined;
        }
        continue;
      }
      const elapsed = (): number => performance.now() - start;
      result.ttfb = elapsed();
      result.status = res.statusCode;
      await judge(target, res, method, result, elapsed);
      return withCert(result, target.url);
    }
  } catch (err) {
    result.up = false;
    result.error = deadline.signal.aborted
      ? `${deadline.message()} (${where})`
      : describeError(err, where);
    return result;
  } finally {
    deadline.dispose();
  }
}

/**
 * Fills ms, up, error and metrics from the final response, reading the body only as far as
 * needed.
 */
async function judge(
  target: HttpTarget,
  res: Dispatcher.ResponseData,
  method: string,
  result: ProbeResult,
  elapsed: () => number,
): Promise<void> {
  const needJson = target.conditions.length > 0 || Object.keys(target.metrics).length > 0;
  const needText = needJson || target.bodyContains !== undefined;
  const cap = target.maxBodyBytes;
  const declared = Number(res.headers['content-length']);
  if (needText && method !== 'HEAD' && Number.isFinite(declared) && declared > cap) {
    discard(res.body);
    result.ms = elapsed();
    result.error = `body over ${cap} bytes cap (content-length ${declared})`;
    return;
  }
  const { text, over } = await readCapped(res.body, cap);
  // Latency ends with the body; parsing and checking it are this process's time, not the server's.
  result.ms = elapsed();
  const statusError = checkStatus(res.statusCode, target.expectStatus);
  if (statusError) {
    result.error = statusError;
    return;
  }
  if (needText && over) {
    result.error = `body over ${cap} bytes cap`;
    return;
  }
  if (target.bodyContains !== undefined && !text.includes(target.bodyContains)) {
    result.error = `body does not contain ${JSON.stringify(target.bodyContains)}`;
    return;
  }
  if (needJson) {
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (err) {
      result.error = `response is not valid JSON (${jsonErrorWhere(err)})`;
      return;
    }
    const metrics = extractMetrics(doc, target.metrics);
    if (Object.keys(metrics).length > 0) result.metrics = metrics;
    const failed = checkConditions(doc, target.conditions);
    if (failed) {
      result.error = failed;
      return;
    }
  }
  result.up = true;
}

/** Reads at most `cap` bytes; past that the stream is destroyed so a huge body costs nothing. */
async function readCapped(
  body: Dispatcher.ResponseData['body'],
  cap: number,
): Promise<{ text: string; over: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    if (size + chunk.length > cap) {
      chunks.push(chunk.subarray(0, cap - size));
      discard(body);
      return { text: Buffer.concat(chunks).toString('utf8'), over: true };
    }
    chunks.push(chunk);
    size += chunk.length;
  }
  return { text: Buffer.concat(chunks).toString('utf8'), over: false };
}

/** Drops the rest of a body; undici reports that as an error, which nobody needs to hear. */
function discard(body: Dispatcher.ResponseData['body']): void {
  body.on('error', () => undefined);
  body.destroy();
}

/** A Location as the server sent it (relative or absolute), its credentials masked. */
function maskLocation(location: string, base: URL): string {
  const abs = new URL(location, base);
  const masked = maskUrl(abs.href);
  return /^[a-z][a-z0-9+.-]*:/i.test(location) ? masked : masked.slice(abs.origin.length);
}

/** Only the User-Agent the target set (or ours): what may follow a redirect to another origin. */
function withUserAgentOf(headers: Readonly<Record<string, string>>): Record<string, string> {
  const own = Object.entries(headers).find(([k]) => k.toLowerCase() === 'user-agent');
  return own ? { [own[0]]: own[1] } : { 'user-agent': USER_AGENT };
}

function withUserAgent(headers: Readonly<Record<string, string>>): Record<string, string> {
  const own = Object.keys(headers).some((k) => k.toLowerCase() === 'user-agent');
  return own ? { ...headers } : { 'user-agent': USER_AGENT, ...headers };
}

function checkStatus(status: number, expect: readonly number[] | undefined): string | undefined {
  if (expect ? expect.includes(status) : status >= 200 && status < 300) return undefined;
  const wanted = expect ? expect.join(' or ') : '2xx';
  return `status ${status} (expected ${wanted})`;
}

function withCert(result: ProbeResult, targetUrl: string): ProbeResult {
  const u = new URL(targetUrl);
  if (u.protocol !== 'https:') return result;
  const validTo = certExpiry.get(originKey(u.hostname, u.port, u.protocol));
  if (validTo !== undefined) result.certDays = (validTo - Date.now()) / DAY_MS;
  return result;
}
