import fs from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../electron/main/server/server';
import { TOKEN_HEADER } from '../../electron/main/server/auth';
import { MAX_BODY_BYTES } from '../../electron/main/server/app';
import { makeTmpDir, removeDir } from '../helpers/tmp-dir';
import { MemoryMonitor } from './memory-monitor';
import type { Config } from '../../shared/config-schema';
import type { ReportFile } from '../../shared/api';
import type { HealthSnapshot } from '../../shared/health';
import type { QueryResult } from '../../shared/query';
import type { ProbeResult } from '../../shared/sample';

const TOKEN = 'correct-horse-battery';
type ErrorBody = { error: string; errors: { path: string; message: string }[] };

/** Response bodies typed by what the route promises; the assertions check the shape. */
async function body<T>(r: Response): Promise<T> {
  return (await r.json()) as T;
}

const json = { 'content-type': 'application/json' };

const target = { id: 'web', name: 'Web', kind: 'http', url: 'http://127.0.0.1:9/health' };

let dir: string;
beforeAll(async () => {
  dir = await makeTmpDir('opspulse-server-');
  await fs.writeFile(path.join(dir, 'index.html'), '<!doctype html><title>OpsPulse</title>');
  await fs.writeFile(path.join(dir, 'app.js'), 'console.log(1)');
});
afterAll(() => removeDir(dir));

async function withServer(
  opts: { token?: string; metrics?: () => string; maxStreams?: number },
  fn: (s: RunningServer, api: MemoryMonitor) => Promise<void>,
): Promise<void> {
  const api = new MemoryMonitor();
  const s = await startServer({ api, host: '127.0.0.1', port: 0, staticDir: dir, ...opts });
  try {
    await fn(s, api);
  } finally {
    await s.close();
  }
}

describe('start-up rules', () => {
  it('refuses a non-loopback host without a token', async () => {
    const api = new MemoryMonitor();
    await expect(startServer({ api, host: '0.0.0.0', port: 0, staticDir: dir })).rejects.toThrow(
      /non-loopback.*--token/,
    );
  });

  it('refuses a short token and a bad port', async () => {
    const api = new MemoryMonitor();
    await expect(
      startServer({ api, host: '127.0.0.1', port: 0, staticDir: dir, token: 'abc' }),
    ).rejects.toThrow(/at least 12/);
    await expect(
      startServer({ api, host: '127.0.0.1', port: 70000, staticDir: dir }),
    ).rejects.toThrow(/--port/);
  });

  it('starts on a non-loopback host with a token', async () => {
    const api = new MemoryMonitor();
    const s = await startServer({ api, host: '0.0.0.0', port: 0, staticDir: dir, token: TOKEN });
    const r = await fetch(`http://127.0.0.1:${s.port}/api/health`, {
      headers: { [TOKEN_HEADER]: TOKEN },
    });
    expect(r.status).toBe(200);
    await s.close();
  });
});

describe('API mirroring MonitorApi', () => {
  it('answers reads and changes, and returns schema errors by field', async () => {
    await withServer({}, async (s, api) => {
      const cfg = await body<Config>(await fetch(`${s.url}/api/config`));
      expect(cfg.targets).toEqual([]);

      const saved = await fetch(`${s.url}/api/targets`, {
        method: 'PUT',
        headers: json,
        body: JSON.stringify(target),
      });
      expect(saved.status).toBe(200);
      expect((await body<Config>(saved)).targets[0]).toMatchObject({ id: 'web', method: 'GET' });

      const bad = await fetch(`${s.url}/api/targets`, {
        method: 'PUT',
        headers: json,
        body: JSON.stringify({ ...target, url: 'ftp://x', id: 'Bad.Id' }),
      });
      expect(bad.status).toBe(400);
      const errs = await body<ErrorBody>(bad);
      const paths = errs.errors.map((e) => e.path).sort();
      expect(paths).toEqual(['id', 'url']);
      expect(errs.errors.find((e) => e.path === 'url')?.message).toMatch(/http:\/\/ or https:\/\//);

      const off = await fetch(`${s.url}/api/targets/web/enabled`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ enabled: false }),
      });
      expect((await body<Config>(off)).targets[0].enabled).toBe(false);

      const unknownId = await fetch(`${s.url}/api/targets/nope/enabled`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ enabled: true }),
      });
      expect(unknownId.status).toBe(400);
      expect((await body<ErrorBody>(unknownId)).errors).toEqual([
        { path: 'id', message: 'no target has id "nope"' },
      ]);

      const tested = await fetch(`${s.url}/api/test`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify(target),
      });
      expect(await body<ProbeResult>(tested)).toMatchObject({ up: true, status: 200 });

      const q = await fetch(
        `${s.url}/api/query?from=1000&to=2000&maxPoints=5&series=sys.cpu&series=tg.web.ms`,
      );
      const qr = await body<QueryResult>(q);
      expect(Object.keys(qr.series).sort()).toEqual(['sys.cpu', 'tg.web.ms']);
      expect(qr.t).toHaveLength(5);
      expect(api.calls).toContain('query:sys.cpu,tg.web.ms:5');

      const ev = await fetch(`${s.url}/api/events?since=5&target=web`);
      expect(await body<unknown[]>(ev)).toEqual([]);
      expect(api.calls).toContain('events:5:web');

      const rep = await fetch(`${s.url}/api/report?from=1&to=2&format=md`);
      expect((await body<ReportFile>(rep)).content).toBe('# Report\n');
      const dl = await fetch(`${s.url}/api/report?from=1&to=2&format=md&download=1`);
      expect(dl.headers.get('content-disposition')).toBe('attachment; filename="report.md"');
      expect(await dl.text()).toBe('# Report\n');

      const paused = await fetch(`${s.url}/api/paused`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ paused: true }),
      });
      expect((await body<HealthSnapshot>(paused)).paused).toBe(true);

      const del = await fetch(`${s.url}/api/targets/web`, { method: 'DELETE', headers: json });
      expect((await body<Config>(del)).targets).toEqual([]);
      const missing = await fetch(`${s.url}/api/targets/web`, { method: 'DELETE', headers: json });
      expect(missing.status).toBe(500);
      expect((await body<ErrorBody>(missing)).error).toMatch(/no target "web"/);
    });
  });

  it('says what is wrong with bad parameters and bodies', async () => {
    await withServer({}, async (s) => {
      const q = await fetch(`${s.url}/api/query?from=2000&to=1000&maxPoints=5&series=sys.cpu`);
      expect(q.status).toBe(400);
      expect((await body<ErrorBody>(q)).error).toMatch(/to: to must be after from/);

      const noSeries = await fetch(`${s.url}/api/query?from=1&to=2&maxPoints=5`);
      expect((await body<ErrorBody>(noSeries)).error).toMatch(/series/);

      const notJson = await fetch(`${s.url}/api/paused`, {
        method: 'POST',
        headers: json,
        body: '{paused',
      });
      expect(notJson.status).toBe(400);
      expect((await body<ErrorBody>(notJson)).error).toMatch(/not valid JSON/);

      const big = await fetch(`${s.url}/api/targets`, {
        method: 'PUT',
        headers: json,
        body: JSON.stringify({ ...target, name: 'x'.repeat(MAX_BODY_BYTES + 10) }),
      });
      expect(big.status).toBe(413);

      const unknown = await fetch(`${s.url}/api/nope`);
      expect(unknown.status).toBe(404);
    });
  });
});

describe('alert rules over HTTP', () => {
  const rule = { id: 'slow-web', series: 'tg.web.ms', op: '>', warn: 500, crit: 1000 };

  it('adds, replaces, toggles and deletes a rule, with schema errors by field', async () => {
    await withServer({}, async (s, api) => {
      const put = (body: unknown) =>
        fetch(`${s.url}/api/rules`, { method: 'PUT', headers: json, body: JSON.stringify(body) });

      const saved = await put(rule);
      expect(saved.status).toBe(200);
      expect((await body<Config>(saved)).rules).toEqual([
        expect.objectContaining({ ...rule, forSamples: 1, recoverSamples: 2, enabled: true }),
      ]);
      const replaced = await body<Config>(await put({ ...rule, warn: 700 }));
      expect(replaced.rules.map((r) => [r.id, r.warn])).toEqual([['slow-web', 700]]);

      const bad = await put({ ...rule, series: 'cpu', forSamples: 0 });
      expect(bad.status).toBe(400);
      const errs = (await body<ErrorBody>(bad)).errors;
      expect(errs.map((e) => e.path).sort()).toEqual(['forSamples', 'series']);
      expect(errs.find((e) => e.path === 'series')?.message).toMatch(/series name/);
      const crossed = await put({ ...rule, crit: 100 });
      expect((await body<ErrorBody>(crossed)).errors).toEqual([
        { path: 'crit', message: 'crit must be at least as far past the threshold as warn' },
      ]);
      // Refused by the core (which parses every payload, from HTTP and IPC alike): unchanged.
      expect((await api.getConfig()).rules.map((r) => [r.id, r.warn])).toEqual([['slow-web', 700]]);

      const off = await fetch(`${s.url}/api/rules/slow-web/enabled`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ enabled: false }),
      });
      expect((await body<Config>(off)).rules[0].enabled).toBe(false);
      const notBool = await fetch(`${s.url}/api/rules/slow-web/enabled`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ enabled: 'no' }),
      });
      expect(notBool.status).toBe(400);
      expect((await body<ErrorBody>(notBool)).errors[0].path).toBe('enabled');

      const del = await fetch(`${s.url}/api/rules/slow-web`, { method: 'DELETE', headers: json });
      expect((await body<Config>(del)).rules).toEqual([]);
      const missing = await fetch(`${s.url}/api/rules/slow-web`, {
        method: 'DELETE',
        headers: json,
      });
      expect(missing.status).toBe(400);
      expect((await body<ErrorBody>(missing)).errors).toEqual([
        { path: 'id', message: 'no rule has id "slow-web"' },
      ]);
    });
  });

  it('guards rule changes like target changes: token header, JSON only, same origin', async () => {
    await withServer({ token: TOKEN }, async (s, api) => {
      const noToken = await fetch(`${s.url}/api/rules`, {
        method: 'PUT',
        headers: json,
        body: JSON.stringify(rule),
      });
      expect(noToken.status).toBe(401);
      const inQuery = await fetch(`${s.url}/api/rules/slow-web?token=${TOKEN}`, {
        method: 'DELETE',
        headers: json,
      });
      expect(inQuery.status).toBe(401);
      const form = await fetch(`${s.url}/api/rules`, {
        method: 'PUT',
        headers: { [TOKEN_HEADER]: TOKEN, 'content-type': 'text/plain' },
        body: JSON.stringify(rule),
      });
      expect(form.status).toBe(415);
      const foreign = await fetch(`${s.url}/api/rules/slow-web/enabled`, {
        method: 'POST',
        headers: { ...json, [TOKEN_HEADER]: TOKEN, origin: 'https://evil.example' },
        body: JSON.stringify({ enabled: false }),
      });
      expect(foreign.status).toBe(403);
      const big = await fetch(`${s.url}/api/rules`, {
        method: 'PUT',
        headers: { ...json, [TOKEN_HEADER]: TOKEN },
        body: JSON.stringify({ ...rule, name: 'x'.repeat(MAX_BODY_BYTES + 10) }),
      });
      expect(big.status).toBe(413);
      expect(api.calls).toEqual([]);
    });
  });
});

describe('security', () => {
  it('checks the token on every API call and wants it in a header for changes', async () => {
    await withServer({ token: TOKEN, metrics: () => 'up 1\n' }, async (s, api) => {
      expect((await fetch(`${s.url}/api/health`)).status).toBe(401);
      expect((await fetch(`${s.url}/api/health?token=wrong-token-xx`)).status).toBe(401);
      expect((await fetch(`${s.url}/api/health?token=${TOKEN}`)).status).toBe(200);
      expect(
        (await fetch(`${s.url}/api/health`, { headers: { authorization: `Bearer ${TOKEN}` } }))
          .status,
      ).toBe(200);
      expect((await fetch(`${s.url}/metrics`)).status).toBe(401);
      expect((await fetch(`${s.url}/metrics?token=${TOKEN}`)).status).toBe(200);

      const viaQuery = await fetch(`${s.url}/api/paused?token=${TOKEN}`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ paused: true }),
      });
      expect(viaQuery.status).toBe(401);
      expect(api.paused).toBe(false);

      const viaHeader = await fetch(`${s.url}/api/paused`, {
        method: 'POST',
        headers: { ...json, [TOKEN_HEADER]: TOKEN },
        body: JSON.stringify({ paused: true }),
      });
      expect(viaHeader.status).toBe(200);
      expect(api.paused).toBe(true);

      // The page itself is public: it holds no data, and needs the token to get any.
      expect((await fetch(`${s.url}/`)).status).toBe(200);
    });
  });

  it('refuses cross-site writes, non-JSON writes and foreign Host names', async () => {
    await withServer({}, async (s, api) => {
      const form = await fetch(`${s.url}/api/paused`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body: JSON.stringify({ paused: true }),
      });
      expect(form.status).toBe(415);

      const foreign = await fetch(`${s.url}/api/paused`, {
        method: 'POST',
        headers: { ...json, origin: 'http://evil.example' },
        body: JSON.stringify({ paused: true }),
      });
      expect(foreign.status).toBe(403);
      expect(api.paused).toBe(false);

      const same = await fetch(`${s.url}/api/paused`, {
        method: 'POST',
        headers: { ...json, origin: s.url },
        body: JSON.stringify({ paused: true }),
      });
      expect(same.status).toBe(200);

      // fetch may not set Host, so a raw request plays the DNS-rebinding page.
      const rebound = await new Promise<number>((resolve, reject) => {
        http
          .get(
            {
              host: '127.0.0.1',
              port: s.port,
              path: '/api/health',
              headers: { host: `evil.example:${s.port}` },
            },
            (res) => {
              res.resume();
              resolve(res.statusCode ?? 0);
            },
          )
          .on('error', reject);
      });
      expect(rebound).toBe(403);

      const preflight = await fetch(`${s.url}/api/paused`, {
        method: 'OPTIONS',
        headers: { origin: 'http://evil.example', 'access-control-request-method': 'POST' },
      });
      expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    });
  });

  it('sends a strict CSP and serves static files and the app for unknown paths', async () => {
    await withServer({}, async (s) => {
      const page = await fetch(`${s.url}/`);
      const csp = page.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain('unsafe');
      expect(await page.text()).toContain('<title>OpsPulse</title>');
      const js = await fetch(`${s.url}/app.js`);
      expect(js.headers.get('content-type')).toMatch(/javascript/);
      const deep = await fetch(`${s.url}/some/view`);
      expect(await deep.text()).toContain('<title>OpsPulse</title>');
      const escape = await fetch(`${s.url}/..%2f..%2fetc%2fpasswd`);
      expect(await escape.text()).not.toContain('root:');
    });
  });
});

describe('live stream', () => {
  async function readEvents(
    res: Response,
    want: number,
  ): Promise<{ event: string; data: unknown }[]> {
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let buf = '';
    const out: { event: string; data: unknown }[] = [];
    while (out.length < want) {
      const { value, done } = await reader.read();
      if (done) break;
      buf += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buf.indexOf('\n\n')) >= 0) {
        const block = buf.slice(0, end);
        buf = buf.slice(end + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (event && data) out.push({ event, data: JSON.parse(data) });
      }
    }
    await reader.cancel();
    return out;
  }

  it('sends the current health, then samples and health changes in order', async () => {
    await withServer({}, async (s, api) => {
      const ctrl = new AbortController();
      const res = await fetch(`${s.url}/api/stream`, { signal: ctrl.signal });
      expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
      const pending = readEvents(res, 3);
      // Subscriptions exist once the first event has been written.
      const deadline = Date.now() + 5000;
      while (api.subscriberCount < 2 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 10));
      api.emitSample({ v: 1, t: 42, tg: { web: { up: 1, ms: 3 } } });
      api.emitHealth({ t: 43, overall: 'crit', summary: 'web down', targets: [], paused: false });
      const events = await pending;
      expect(events.map((e) => e.event)).toEqual(['health', 'sample', 'health']);
      expect(events[1].data).toMatchObject({ t: 42 });
      expect(events[2].data).toMatchObject({ overall: 'crit' });
      ctrl.abort();
      const until = Date.now() + 5000;
      while (api.subscriberCount > 0 && Date.now() < until)
        await new Promise((r) => setTimeout(r, 10));
      expect(api.subscriberCount).toBe(0);
    });
  });

  it('caps the number of open streams and closes them on shutdown', async () => {
    const api = new MemoryMonitor();
    const s = await startServer({ api, host: '127.0.0.1', port: 0, staticDir: dir, maxStreams: 1 });
    const first = await fetch(`${s.url}/api/stream`);
    expect(first.status).toBe(200);
    const second = await fetch(`${s.url}/api/stream`);
    expect(second.status).toBe(503);
    await s.close();
    expect(api.subscriberCount).toBe(0);
  });

  it('disconnects a client that stops reading instead of queueing for it without end', async () => {
    const api = new MemoryMonitor();
    const s = await startServer({
      api,
      host: '127.0.0.1',
      port: 0,
      staticDir: dir,
      maxQueuedEvents: 16,
    });
    try {
      const socket = net.connect(s.port, '127.0.0.1');
      await new Promise<void>((r) => socket.once('connect', () => r()));
      socket.write(`GET /api/stream HTTP/1.1\r\nHost: 127.0.0.1:${s.port}\r\n\r\n`);
      // It reads nothing from here on: the kernel's buffers fill, then the server's queue.
      socket.pause();
      const closed = new Promise<void>((r) => socket.once('close', () => r()));
      socket.on('error', () => undefined);
      await until(() => api.subscriberCount > 0);
      const big = { v: 1, t: 0, tg: { api: { up: 1, err: 'x'.repeat(128 * 1024) } } } as const;
      // Enough to fill the loopback socket's buffers (a few MB) and then the queue.
      for (let i = 0; i < 1000 && api.subscriberCount > 0; i++) {
        api.emitSample({ ...big, t: i });
        await new Promise((r) => setImmediate(r));
      }
      // Cut off: its subscriptions are gone and the server ended the stream.
      await until(() => api.subscriberCount === 0);
      socket.resume();
      await closed;
    } finally {
      await s.close();
    }
  }, 60_000);
});

async function until(ok: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
