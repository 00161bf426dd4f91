import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrometheusTarget } from '../../shared/config-schema';
import { probePrometheus } from '../../electron/main/probes/prometheus';
import {
  parseInstantResponse,
  queryInstant,
  queryUrl,
} from '../../electron/main/prometheus/promql-client';
import { selfSignedCert, startHttps } from '../probes/helpers';
import { freePort } from './real-prometheus';

const ok = (data: unknown) => ({ status: 'success', data });

describe('parseInstantResponse', () => {
  it('reads scalars and single-series vectors, including special floats', () => {
    expect(
      parseInstantResponse(200, ok({ resultType: 'scalar', result: [1700000000.5, '2.5'] })),
    ).toEqual({ value: 2.5, t: 1700000000500, resultType: 'scalar' });
    const vec = (v: string) =>
      parseInstantResponse(
        200,
        ok({ resultType: 'vector', result: [{ metric: {}, value: [1, v] }] }),
      );
    expect(vec('42').value).toBe(42);
    expect(vec('+Inf').value).toBe(Infinity);
    expect(vec('-Inf').value).toBe(-Infinity);
    expect(vec('NaN').value).toBeNaN();
  });

  it('explains every answer that is not one number', () => {
    expect(() => parseInstantResponse(200, ok({ resultType: 'vector', result: [] }))).toThrow(
      'query returned no series',
    );
    expect(() => parseInstantResponse(200, ok({ resultType: 'matrix', result: [] }))).toThrow(
      /a matrix result; an instant query must give one number/,
    );
    expect(() => parseInstantResponse(200, ok({ resultType: 'string', result: [1, 'x'] }))).toThrow(
      /a string result/,
    );
    expect(() =>
      parseInstantResponse(422, {
        status: 'error',
        errorType: 'execution',
        error: 'too many samples',
      }),
    ).toThrow('query failed (execution: too many samples)');
    expect(() => parseInstantResponse(502, null)).toThrow('query failed (HTTP 502)');
    expect(() =>
      parseInstantResponse(200, ok({ resultType: 'scalar', result: [1, 'abc'] })),
    ).toThrow('not a number: abc');
    expect(() => parseInstantResponse(200, ok({ resultType: 'scalar', result: 'x' }))).toThrow(
      /malformed sample/,
    );
  });
});

describe('queryUrl', () => {
  it('keeps a path prefix and encodes the query', () => {
    expect(queryUrl('https://h/prom/', 'up{job="a b"}', 1500)).toBe(
      'https://h/prom/api/v1/query?query=up%7Bjob%3D%22a+b%22%7D&time=1.5',
    );
    expect(queryUrl('http://h:9090', 'up')).toBe('http://h:9090/api/v1/query?query=up');
  });
});

describe('queryInstant against a server', () => {
  let server: http.Server;
  let base: string;
  const seen: { url?: string; auth?: string }[] = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      seen.push({ url: req.url, auth: req.headers.authorization });
      if (req.url?.startsWith('/html/'))
        return void res.writeHead(502).end('<html>Bad gateway</html>');
      if (req.url?.startsWith('/huge/')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        const chunk = Buffer.alloc(64 * 1024, 0x20);
        for (let i = 0; i < 80; i++) res.write(chunk);
        return void res.end('{}');
      }
      if (req.url?.startsWith('/slow/')) return void setTimeout(() => res.end('{}'), 5_000);
      if (req.headers.authorization !== 'Bearer s3cret')
        return void res
          .writeHead(401, { 'content-type': 'application/json' })
          .end(JSON.stringify({ status: 'error', errorType: 'unauthorized', error: 'bad token' }));
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(
          JSON.stringify(ok({ resultType: 'vector', result: [{ metric: {}, value: [10, '7'] }] })),
        );
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it('sends the bearer token and the prefix path', async () => {
    const r = await queryInstant({
      url: `${base}/prom`,
      query: 'sum(up)',
      bearerToken: 's3cret',
      timeoutMs: 5_000,
    });
    expect(r).toEqual({ value: 7, t: 10_000, resultType: 'vector' });
    expect(seen.at(-1)).toEqual({
      url: '/prom/api/v1/query?query=sum%28up%29',
      auth: 'Bearer s3cret',
    });
  });

  it('reports the server refusing the token', async () => {
    await expect(queryInstant({ url: base, query: 'up', timeoutMs: 5_000 })).rejects.toThrow(
      'query failed (unauthorized: bad token)',
    );
  });

  it('says so when the answer is not from a Prometheus API', async () => {
    await expect(
      queryInstant({ url: `${base}/html`, query: 'up', timeoutMs: 5_000 }),
    ).rejects.toThrow('HTTP 502: not a Prometheus API response (<html>Bad gateway</html>)');
  });

  it('cuts off a response far larger than one number needs', async () => {
    await expect(
      queryInstant({ url: `${base}/huge`, query: 'up', timeoutMs: 5_000 }),
    ).rejects.toThrow('response over 4 MB; the query matches far more than one series');
  });

  const target = (url: string, timeoutMs = 5_000) =>
    PrometheusTarget.parse({ id: 'p', name: 'P', kind: 'prometheus', url, query: 'up', timeoutMs });

  it('the probe is down, saying so, when the server is too slow', async () => {
    const r = await probePrometheus(target(`${base}/slow`, 300), { intervalSec: 30 });
    expect(r.up).toBe(false);
    expect(r.error).toMatch(/^no answer within 300 ms \(127\.0\.0\.1:\d+\)$/);
  });

  it('the probe stops at once, as cancelled, when its signal aborts', async () => {
    const ac = new AbortController();
    const pending = probePrometheus(target(`${base}/slow`, 4_000), {
      intervalSec: 30,
      signal: ac.signal,
    });
    setTimeout(() => ac.abort(), 50);
    const r = await pending;
    expect(r).toMatchObject({ up: false, error: 'cancelled' });
    expect(r.ms).toBeLessThan(3_000);
  });

  it('the probe is down with the connection error when nothing listens', async () => {
    const port = await freePort();
    const r = await probePrometheus(target(`http://127.0.0.1:${port}`), { intervalSec: 30 });
    expect(r.up).toBe(false);
    expect(r.error).toBe(`connection refused (127.0.0.1:${port})`);
  });
});

describe('a Prometheus behind a self-signed certificate', () => {
  it('is refused unless the target says insecure', async () => {
    const tls = await selfSignedCert(30);
    const srv = await startHttps(tls, (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(ok({ resultType: 'scalar', result: [1, '3'] })));
    });
    try {
      const t = PrometheusTarget.parse({
        id: 'p',
        name: 'P',
        kind: 'prometheus',
        url: srv.url,
        query: 'up',
      });
      const strict = await probePrometheus(t, { intervalSec: 30 });
      expect(strict.up).toBe(false);
      expect(strict.error).toMatch(
        /^TLS certificate rejected: self-signed certificate .*set insecure/,
      );
      const lax = await probePrometheus({ ...t, insecure: true }, { intervalSec: 30 });
      expect(lax).toMatchObject({ up: true, metrics: { value: 3 } });
    } finally {
      await srv.close();
    }
  });
});

describe('the prometheus target schema', () => {
  it('fills defaults and rejects an empty query and a bad metric name', () => {
    const t = PrometheusTarget.parse({
      id: 'fleet',
      name: 'Fleet',
      kind: 'prometheus',
      url: 'http://prom:9090',
      query: 'sum(up)',
    });
    expect(t).toMatchObject({ metric: 'value', timeoutMs: 10_000, insecure: false, enabled: true });
    const bad = PrometheusTarget.safeParse({ ...t, query: '  ', metric: 'a.b' });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => i.path.join('.')).sort()).toEqual(['metric', 'query']);
  });
});
