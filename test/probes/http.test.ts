import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { closeHttpAgents, probeHttp } from '../../electron/main/probes/http';
import {
  httpTarget,
  refusedPort,
  selfSignedCert,
  stalledListener,
  startHttp,
  startHttps,
  type TestServer,
} from './helpers';

const servers: TestServer[] = [];
async function serve(...args: Parameters<typeof startHttp>): Promise<TestServer> {
  const s = await startHttp(...args);
  servers.push(s);
  return s;
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
afterAll(async () => {
  await closeHttpAgents();
});

function json(res: import('node:http').ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

describe('http probe', () => {
  it('is up on 2xx, records latency, time to first byte, status and float metrics', async () => {
    const s = await serve((_req, res) =>
      json(res, 200, { status: 'healthy', confidence: 0.85, q: { n: [1, 2.5] } }),
    );
    const r = await probeHttp(
      httpTarget({
        url: `${s.url}/health`,
        conditions: [
          { path: '$.status', op: '==', value: 'healthy' },
          { path: '$.confidence', op: '>=', value: 0.7 },
        ],
        metrics: { confidence: '$.confidence', last: '$.q.n[-1]', missing: '$.nope' },
      }),
      5000,
    );
    expect(r).toMatchObject({ up: true, status: 200, metrics: { confidence: 0.85, last: 2.5 } });
    expect(r.error).toBeUndefined();
    expect(r.ms).toBeGreaterThan(0);
    expect(r.ttfb).toBeGreaterThan(0);
    expect(r.ttfb).toBeLessThanOrEqual(r.ms!);
    expect(r.certDays).toBeUndefined();
  });

  it('a failing condition is down with a readable reason, but keeps latency and metrics', async () => {
    const s = await serve((_req, res) => json(res, 200, { status: 'degraded', confidence: 0.55 }));
    const r = await probeHttp(
      httpTarget({
        url: s.url,
        conditions: [{ path: '$.status', op: '==', value: 'healthy' }],
        metrics: { confidence: '$.confidence' },
      }),
      5000,
    );
    expect(r.up).toBe(false);
    expect(r.error).toBe('$.status is "degraded" (expected == "healthy")');
    expect(r.metrics).toEqual({ confidence: 0.55 });
    expect(r.ms).toBeGreaterThan(0);
    expect(r.status).toBe(200);
  });

  it('keeps floats as floats: $.confidence >= 0.7 fails at 0.69', async () => {
    const s = await serve((_req, res) => json(res, 200, { confidence: 0.69 }));
    const r = await probeHttp(
      httpTarget({ url: s.url, conditions: [{ path: '$.confidence', op: '>=', value: 0.7 }] }),
      5000,
    );
    expect(r.error).toBe('$.confidence is 0.69 (expected >= 0.7)');
  });

  it('500 is down with the status in words', async () => {
    const s = await serve((_req, res) => json(res, 500, { error: 'boom' }));
    const r = await probeHttp(httpTarget({ url: s.url }), 5000);
    expect(r).toMatchObject({ up: false, status: 500, error: 'status 500 (expected 2xx)' });
    expect(r.ms).toBeGreaterThan(0);
  });

  it('accepts exactly the listed statuses when expectStatus is set', async () => {
    const s = await serve((_req, res) => json(res, 404, {}));
    expect((await probeHttp(httpTarget({ url: s.url, expectStatus: [404] }), 5000)).up).toBe(true);
    const r = await probeHttp(httpTarget({ url: s.url, expectStatus: [200, 204] }), 5000);
    expect(r.error).toBe('status 404 (expected 200 or 204)');
  });

  it('malformed JSON is down, not an exception', async () => {
    const s = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"status": "healthy",');
    });
    const r = await probeHttp(
      httpTarget({ url: s.url, conditions: [{ path: '$.status', op: 'exists' }] }),
      5000,
    );
    expect(r.up).toBe(false);
    expect(r.error).toMatch(/^response is not valid JSON \(/);
  });

  it('a slow server is up with its latency measured', async () => {
    const s = await serve((_req, res) => setTimeout(() => json(res, 200, { ok: true }), 300));
    const r = await probeHttp(httpTarget({ url: s.url }), 5000);
    expect(r.up).toBe(true);
    expect(r.ms).toBeGreaterThanOrEqual(290);
  });

  it('a hanging server times out at the deadline', async () => {
    const s = await serve(() => {
      /* never answers */
    });
    const started = Date.now();
    const r = await probeHttp(httpTarget({ url: s.url }), 300);
    expect(r).toEqual({ up: false, error: `timed out after 300 ms (127.0.0.1:${s.port})` });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('a connect that never completes times out at the deadline', async () => {
    const stalled = await stalledListener();
    try {
      const r = await probeHttp(httpTarget({ url: `http://127.0.0.1:${stalled.port}/` }), 300);
      expect(r).toEqual({ up: false, error: `timed out after 300 ms (127.0.0.1:${stalled.port})` });
    } finally {
      stalled.close();
    }
  });

  it('a server that stalls mid-body also times out', async () => {
    const s = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"a":');
    });
    const r = await probeHttp(httpTarget({ url: s.url, metrics: { a: '$.a' } }), 300);
    expect(r.error).toBe(`timed out after 300 ms (127.0.0.1:${s.port})`);
  });

  it('stops reading a body over the cap', async () => {
    let sentAll = false;
    const chunk = Buffer.alloc(64 * 1024, 'x');
    const s = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      let sent = 0;
      const pump = (): void => {
        while (sent < 64 * 1024 * 1024) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        sentAll = true;
        res.end();
      };
      pump();
    });
    const r = await probeHttp(httpTarget({ url: s.url, bodyContains: 'ok' }), 10_000);
    expect(r.up).toBe(false);
    expect(r.error).toBe('body over 1048576 bytes cap');
    expect(sentAll).toBe(false);
    // Without a check on the body, the cap only bounds the read.
    const plain = await probeHttp(httpTarget({ url: s.url, maxBodyBytes: 1024 }), 10_000);
    expect(plain.up).toBe(true);
    expect(sentAll).toBe(false);
  });

  it('refuses a declared content-length over the cap without reading', async () => {
    const s = await serve((_req, res) => {
      const body = JSON.stringify({ pad: 'y'.repeat(5000) });
      res.writeHead(200, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
      });
      res.end(body);
    });
    const r = await probeHttp(
      httpTarget({ url: s.url, maxBodyBytes: 1000, metrics: { a: '$.a' } }),
      5000,
    );
    expect(r.error).toBe('body over 1000 bytes cap (content-length 5010)');
  });

  it('follows redirects up to the limit and reports a loop', async () => {
    let hits = 0;
    const s = await serve((req, res) => {
      hits++;
      if (req.url === '/old') {
        res.writeHead(301, { location: '/new' });
        return void res.end();
      }
      if (req.url === '/new') return json(res, 200, { ok: true });
      res.writeHead(302, { location: req.url === '/a' ? '/b' : '/a' });
      res.end();
    });
    const ok = await probeHttp(httpTarget({ url: `${s.url}/old` }), 5000);
    expect(ok).toMatchObject({ up: true, status: 200 });

    hits = 0;
    const loop = await probeHttp(httpTarget({ url: `${s.url}/a`, maxRedirects: 3 }), 5000);
    expect(loop.up).toBe(false);
    expect(loop.error).toBe('too many redirects (more than 3); the last pointed to /a');
    expect(hits).toBe(4);

    const none = await probeHttp(httpTarget({ url: `${s.url}/old`, maxRedirects: 0 }), 5000);
    expect(none).toMatchObject({ up: false, status: 301, error: 'status 301 (expected 2xx)' });
  });

  it('does not forward credentials on a redirect to another origin', async () => {
    const seen: (string | undefined)[] = [];
    const other = await serve((req, res) => {
      seen.push(req.headers.authorization);
      json(res, 200, { ok: true });
    });
    const first = await serve((req, res) => {
      seen.push(req.headers.authorization);
      res.writeHead(302, { location: req.url === '/same' ? '/there' : `${other.url}/there` });
      res.end();
    });
    const headers = { Authorization: 'Bearer secret' };
    expect((await probeHttp(httpTarget({ url: `${first.url}/away`, headers }), 5000)).up).toBe(
      true,
    );
    expect(seen).toEqual(['Bearer secret', undefined]);
  });

  it('sends no configured header and no URL password to another origin, but keeps them on its own', async () => {
    const secrets = { 'X-Api-Key': 'k-1', 'X-Auth-Token': 't-2', 'X-Custom-Secret': 'c-3' };
    const seen: { path: string; headers: Record<string, unknown> }[] = [];
    const record = (req: import('node:http').IncomingMessage): void => {
      seen.push({ path: req.url ?? '', headers: { ...req.headers } });
    };
    const other = await serve((req, res) => {
      record(req);
      json(res, 200, { ok: true });
    });
    const first = await serve((req, res) => {
      record(req);
      res.writeHead(302, { location: req.url === '/start' ? '/same' : `${other.url}/there` });
      res.end();
    });
    const url = `${first.url.replace('http://', 'http://user:pw-9@')}/start`;
    const r = await probeHttp(
      httpTarget({ url, headers: { ...secrets, 'User-Agent': 'mine' } }),
      5000,
    );
    expect(r.up).toBe(true);
    expect(seen.map((s) => s.path)).toEqual(['/start', '/same', '/there']);
    // Same origin: every configured header still goes.
    expect(seen[1].headers).toMatchObject({ 'x-api-key': 'k-1', 'x-auth-token': 't-2' });
    const away = seen[2].headers;
    for (const name of [...Object.keys(secrets), 'Authorization'])
      expect(away[name.toLowerCase()]).toBeUndefined();
    expect(away['user-agent']).toBe('mine');
  });

  it('masks credentials in the redirect named by a too-many-redirects error', async () => {
    const s = await serve((_req, res) => {
      res.writeHead(302, { location: '/loop?token=abc123&x=1' });
      res.end();
    });
    const r = await probeHttp(httpTarget({ url: s.url, maxRedirects: 2 }), 3000);
    expect(r.error).toBe(
      'too many redirects (more than 2); the last pointed to /loop?token=*****&x=1',
    );
  });

  it('a refused port is down with "connection refused"', async () => {
    const port = await refusedPort();
    const r = await probeHttp(httpTarget({ url: `http://127.0.0.1:${port}/` }), 2000);
    expect(r).toEqual({ up: false, error: `connection refused (127.0.0.1:${port})` });
    const named = await probeHttp(httpTarget({ url: `http://localhost:${port}/` }), 2000);
    expect(named).toEqual({ up: false, error: `connection refused (localhost:${port})` });
  });

  it('checks body text', async () => {
    const s = await serve((_req, res) => res.end('all systems go'));
    expect((await probeHttp(httpTarget({ url: s.url, bodyContains: 'systems go' }), 5000)).up).toBe(
      true,
    );
    const r = await probeHttp(httpTarget({ url: s.url, bodyContains: 'READY' }), 5000);
    expect(r.error).toBe('body does not contain "READY"');
  });

  it('sends method, headers and body', async () => {
    const s = await serve((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () =>
        json(res, 200, {
          method: req.method,
          auth: req.headers.authorization,
          ua: req.headers['user-agent'],
          body,
        }),
      );
    });
    const r = await probeHttp(
      httpTarget({
        url: s.url,
        method: 'POST',
        headers: { authorization: 'Bearer abc' },
        body: '{"ping":1}',
        conditions: [
          { path: '$.method', op: '==', value: 'POST' },
          { path: '$.auth', op: '==', value: 'Bearer abc' },
          { path: '$.body', op: '==', value: '{"ping":1}' },
          { path: '$.ua', op: '==', value: 'OpsPulse/0.1 (health probe)' },
        ],
      }),
      5000,
    );
    expect(r.error).toBeUndefined();
    expect(r.up).toBe(true);
  });

  it('stops when the caller cancels', async () => {
    const s = await serve(() => {
      /* never answers */
    });
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 100);
    const r = await probeHttp(httpTarget({ url: s.url }), 10_000, ac.signal);
    expect(r).toEqual({ up: false, error: `cancelled (127.0.0.1:${s.port})` });
  });
});

describe('https probe with a self-signed certificate', () => {
  it('is refused unless insecure, and reports certificate days when accepted', async () => {
    const tls = await selfSignedCert(30);
    const s = await startHttps(tls, (_req, res) => json(res, 200, { ok: true }));
    servers.push(s);
    const strict = await probeHttp(httpTarget({ url: s.url }), 5000);
    expect(strict.up).toBe(false);
    expect(strict.error).toBe(
      `TLS certificate rejected: self-signed certificate (127.0.0.1:${s.port}); set insecure to accept it`,
    );
    const lax = await probeHttp(httpTarget({ url: s.url, insecure: true }), 5000);
    expect(lax).toMatchObject({ up: true, status: 200 });
    expect(lax.certDays).toBeGreaterThan(29);
    expect(lax.certDays).toBeLessThanOrEqual(30.01);
  });
});
