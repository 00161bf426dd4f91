import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigStore } from '../../electron/main/config/config-store';
import { TOKEN_HEADER } from '../../electron/main/server/auth';
import { SampleStore } from '../../electron/main/store/sample-store';
import { SECRET_MASK } from '../../shared/secrets';
import type { Config, TargetInput } from '../../shared/config-schema';
import type { Sample } from '../../shared/sample';
import { finished, runCli, startCli } from '../helpers/cli';
import { makeTmpDir, removeDir } from '../helpers/tmp-dir';

/**
 * `opspulse serve` as a hostile page, network and user would meet it: a real daemon on
 * 127.0.0.1 collecting every second, with a year of history and a config full of secrets.
 */

const TOKEN = 'hostile-test-token-0123';
const DAY = 86_400_000;
const YEAR = 365 * DAY;

/** Every secret the config holds; none may appear in any answer, listing, log or report. */
const SECRETS = {
  urlPassword: 'pw-Secret-1x',
  urlToken: 'qtok-Secret-2x',
  apiKey: 'hdr-Secret-3x',
  custom: 'hdr-Secret-4x',
  bearer: 'bearer-Secret-5x',
  hookPath: 'wh-Secret-6x',
  hookSig: 'wh-Secret-7x',
  hookHeader: 'wh-Secret-8x',
};

interface Reply {
  status: number;
  text: string;
  ms: number;
}

/** node:http, since fetch may not set Host, Origin or Sec-Fetch-* as a browser would. */
function request(
  url: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Reply> {
  const start = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method: opts.method ?? 'GET', headers: opts.headers },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, text, ms: performance.now() - start }),
        );
      },
    );
    req.on('error', reject);
    req.setTimeout(15_000, () => req.destroy(new Error(`${url}: no answer in 15 s`)));
    req.end(opts.body);
  });
}

describe('opspulse serve under attack', () => {
  let dir: string;
  let service: http.Server;
  const seenHeaders: http.IncomingHttpHeaders[] = [];
  let child: ReturnType<typeof startCli>;
  let exit: ReturnType<typeof finished>;
  let stderr = '';
  let base = '';
  const answers: string[] = [];
  const auth = { [TOKEN_HEADER]: TOKEN };

  const get = async (p: string, headers: Record<string, string> = {}): Promise<Reply> => {
    const r = await request(`${base}${p}`, { headers: { ...auth, ...headers } });
    answers.push(r.text);
    return r;
  };

  beforeAll(async () => {
    dir = await makeTmpDir('opspulse-hostile-');
    service = http.createServer((req, res) => {
      seenHeaders.push(req.headers);
      res.setHeader('content-type', 'application/json');
      res.end('{"status":"ok"}');
    });
    await new Promise<void>((r) => service.listen(0, '127.0.0.1', r));
    const port = (service.address() as AddressInfo).port;

    // A year of history every 10 minutes, so a year-long analysis has a year to read.
    const now = Date.now();
    const store = await SampleStore.open(dir);
    for (let t = Math.floor((now - YEAR) / 600_000) * 600_000; t < now - 60_000; t += 600_000) {
      const sample: Sample = {
        v: 1,
        t,
        sys: { cpu: 10 + (t % 7), mem: 40 },
        tg: { api: { up: 1, ms: 5 + (t % 3) } },
      };
      store.append(sample);
    }
    await store.close();

    const cfg = await ConfigStore.open(dir);
    await cfg.update((d) => {
      d.interval = 1;
      d.system.enabled = false;
      d.targets = [
        {
          id: 'api',
          name: 'API',
          kind: 'http',
          enabled: true,
          url: `http://svc:${SECRETS.urlPassword}@127.0.0.1:${port}/health?token=${SECRETS.urlToken}&mode=full`,
          method: 'GET',
          headers: { 'X-Api-Key': SECRETS.apiKey, 'X-Custom': SECRETS.custom },
          timeoutMs: 800,
          maxRedirects: 5,
          maxBodyBytes: 1024 * 1024,
          insecure: false,
          conditions: [],
          metrics: {},
        },
        {
          id: 'prom',
          name: 'Prometheus',
          kind: 'prometheus',
          enabled: true,
          url: `http://127.0.0.1:${port}/prom`,
          query: 'up',
          metric: 'value',
          bearerToken: SECRETS.bearer,
          timeoutMs: 800,
          insecure: false,
        },
      ];
      d.alerts.webhooks = [
        {
          url: `http://127.0.0.1:${port}/hooks/${SECRETS.hookPath}?sig=${SECRETS.hookSig}`,
          format: 'generic',
          headers: { Authorization: `Bearer ${SECRETS.hookHeader}` },
          timeoutMs: 500,
          retries: 0,
          deadlineSec: 5,
        },
      ];
    });

    child = startCli(['--data', dir, 'serve', '--port', '0', '--token', TOKEN], {
      OPSPULSE_LOG: 'debug',
    });
    exit = finished(child, 300_000);
    let out = '';
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const deadline = Date.now() + 60_000;
    while (!/dashboard on (http:\/\/[\d.:]+)/.test(out)) {
      if (Date.now() > deadline || child.exitCode !== null)
        throw new Error(`serve did not start:\n${out}\n${stderr}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    base = /dashboard on (http:\/\/[\d.:]+)/.exec(out)![1];
    // The collector is ticking once today's raw segment holds a live sample.
    const today = path.join(dir, 'samples/raw', `${new Date().toISOString().slice(0, 10)}.jsonl`);
    const started = Date.now();
    const live = async (): Promise<boolean> => {
      const text = await fs.readFile(today, 'utf8').catch(() => '');
      return text
        .split('\n')
        .some((l) => l !== '' && (JSON.parse(l) as Sample).t >= started - 1000);
    };
    while (!(await live())) {
      if (Date.now() > deadline) throw new Error(`serve collected nothing:\n${stderr}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    // The store's start-up maintenance expires and compresses the seeded year; analyses read
    // what is settled (a segment being compressed is a store matter, not this test's).
    const rawDir = path.join(dir, 'samples/raw');
    while ((await fs.readdir(rawDir)).filter((f) => f.endsWith('.jsonl')).length > 3) {
      if (Date.now() > deadline + 60_000) throw new Error('store maintenance did not finish');
      await new Promise((r) => setTimeout(r, 200));
    }
  }, 120_000);

  afterAll(async () => {
    if (child && child.exitCode === null) child.kill('SIGTERM');
    await exit?.catch(() => undefined);
    await new Promise((r) => service?.close(r));
    await removeDir(dir);
  }, 60_000);

  it('refuses a forged Host, another origin, a cross-site tag and a token-less change', async () => {
    const forged = await request(`${base}/api/health`, {
      headers: { ...auth, host: 'evil.example:80' },
    });
    expect(forged.status).toBe(403);
    expect(forged.text).toMatch(/evil\.example.*--allow-host/);
    const page = await request(`${base}/`, {
      headers: { host: `attacker.test:${new URL(base).port}` },
    });
    expect(page.status).toBe(403);

    const crossRead = await get('/api/config', { origin: 'http://evil.example' });
    expect(crossRead.status).toBe(403);
    expect(crossRead.text).toMatch(/cross-origin/);
    // What an <img src> on another site sends: no Origin, but Sec-Fetch-Site (and the
    // token in the URL would not help it).
    const img = await request(`${base}/api/analyze?from=0&to=${Date.now()}&token=${TOKEN}`, {
      headers: { 'sec-fetch-site': 'cross-site', 'sec-fetch-dest': 'image' },
    });
    expect(img.status).toBe(403);
    expect(img.ms).toBeLessThan(1000);
    // Our own page is let through.
    expect(
      (await get('/api/health', { 'sec-fetch-site': 'same-origin', origin: base })).status,
    ).toBe(200);

    const body = JSON.stringify({ paused: true });
    const json = { 'content-type': 'application/json' };
    for (const headers of [json, { ...json, [TOKEN_HEADER]: 'wrong-token-0123456' }]) {
      const r = await request(`${base}/api/paused`, { method: 'POST', headers, body });
      expect(r.status).toBe(401);
    }
    const inQuery = await request(`${base}/api/paused?token=${TOKEN}`, {
      method: 'POST',
      headers: json,
      body,
    });
    expect(inQuery.status).toBe(401);
    expect((await get('/api/health')).text).not.toMatch(/"paused":true/);
  });

  it('answers a year-long analysis, refuses a 1000-year one at once, and skips no tick', async () => {
    const now = Date.now();
    const testStart = now;
    const year = await get(`/api/analyze?from=${now - YEAR}&to=${now}`);
    expect(year.status).toBe(200);
    const yearBody = JSON.parse(year.text) as { samples: number };
    expect(yearBody.samples).toBeGreaterThan(50_000);

    const millennium = await get(`/api/analyze?from=0&to=${1000 * YEAR}`);
    expect(millennium.status).toBe(400);
    expect(JSON.parse(millennium.text)).toMatchObject({ errors: [{ path: 'to' }] });
    const max = await get(`/api/analyze?from=0&to=8640000000000000`);
    expect(max.status).toBe(400);
    const report = await get(`/api/report?from=0&to=${1000 * YEAR}&format=json`);
    expect(report.status).toBe(400);
    const query = await get(`/api/query?from=0&to=${1000 * YEAR}&series=sys.cpu&maxPoints=100`);
    expect(query.status).toBe(400);

    // Several year-long analyses and reports at once, while the collector ticks.
    const burst = await Promise.all([
      ...[1, 2, 3].map(() => get(`/api/analyze?from=${now - YEAR}&to=${now}`)),
      get(`/api/report?from=${now - YEAR}&to=${now}&format=html`),
    ]);
    for (const r of burst) expect(r.status).toBe(200);

    // A client that gives up: its analysis stops (the daemon stays responsive below).
    const gone = http.get(`${base}/api/analyze?from=${now - YEAR}&to=${now}&token=${TOKEN}`);
    gone.on('error', () => undefined);
    setTimeout(() => gone.destroy(), 20);

    await new Promise((r) => setTimeout(r, 2500));
    const testEnd = Date.now();
    const raw = await fs.readFile(
      path.join(dir, 'samples/raw', `${new Date(testEnd).toISOString().slice(0, 10)}.jsonl`),
      'utf8',
    );
    const ts = raw
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => (JSON.parse(l) as Sample).t)
      .filter((t) => t >= testStart - 1000 && t <= testEnd - 1000);
    const gaps = ts.slice(1).map((t, i) => t - ts[i]);
    const maxGap = Math.max(...gaps);
    console.log(
      `hostile analyze: 1 y answered in ${year.ms.toFixed(0)} ms (${yearBody.samples} samples); ` +
        `1000 y refused in ${millennium.ms.toFixed(0)} ms; 8.64e15 ms refused in ${max.ms.toFixed(0)} ms; ` +
        `burst of 4 year-long requests: slowest ${Math.max(...burst.map((r) => r.ms)).toFixed(0)} ms; ` +
        `ticks meanwhile: ${ts.length} in ${((testEnd - testStart) / 1000).toFixed(1)} s, ` +
        `largest gap ${maxGap} ms (interval 1000 ms)`,
    );
    // Timings here share two cores with the rest of the suite: the budgets are the bench's
    // (npm run bench -- api); this checks what cannot be noise. A refusal reads no data.
    expect(millennium.ms).toBeLessThan(1000);
    expect(max.ms).toBeLessThan(1000);
    // No tick skipped: one sample per interval, none missing while the analyses ran.
    expect(ts.length).toBeGreaterThanOrEqual(Math.floor((testEnd - testStart) / 1000) - 2);
    expect(maxGap).toBeLessThan(2000);
  }, 60_000);

  it('keeps every secret out of API answers, and the editor round trip keeps them', async () => {
    const cfgReply = await get('/api/config');
    const shown = JSON.parse(cfgReply.text) as Config;
    const api = shown.targets.find((t) => t.id === 'api');
    expect(api).toMatchObject({
      url: expect.stringContaining(`svc:${SECRET_MASK}@`),
      headers: { 'X-Api-Key': SECRET_MASK, 'X-Custom': SECRET_MASK },
    });
    expect(shown.alerts.webhooks[0].url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\*{5}$/);
    expect(shown.alerts.webhooks[0].headers).toEqual({ Authorization: SECRET_MASK });

    // The editor saves the target as shown, changing only its name: the secrets stay.
    const saved = await request(`${base}/api/targets`, {
      method: 'PUT',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ ...api, name: 'API (renamed)' } as TargetInput),
    });
    answers.push(saved.text);
    expect(saved.status).toBe(200);
    const onDisk = await fs.readFile(path.join(dir, 'config.json'), 'utf8');
    expect(onDisk).toContain(SECRETS.apiKey);
    expect(onDisk).toContain(SECRETS.urlToken);
    expect(onDisk).toContain('API (renamed)');
    // Pointed at another server, a kept secret would go with it: refused by field.
    const moved = await request(`${base}/api/targets`, {
      method: 'PUT',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({
        ...api,
        url: api!.kind === 'http' ? api!.url.replace('127.0.0.1', 'localhost') : '',
      }),
    });
    answers.push(moved.text);
    expect(moved.status).toBe(400);
    expect(moved.text).toMatch(/headers\.X-Api-Key/);

    const tested = await request(`${base}/api/test`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify(api),
    });
    answers.push(tested.text);
    expect(JSON.parse(tested.text)).toMatchObject({ up: true });
    expect(seenHeaders.at(-1)?.['x-api-key']).toBe(SECRETS.apiKey);

    const now = Date.now();
    for (const p of [
      '/api/health',
      `/api/analyze?from=${now - DAY}&to=${now}`,
      `/api/query?from=${now - DAY}&to=${now}&series=tg.api.ms,tg.prom.up&maxPoints=50`,
      '/api/events?since=0',
      `/api/report?from=${now - DAY}&to=${now}&format=md`,
      `/api/report?from=${now - DAY}&to=${now}&format=json`,
      `/api/report?from=${now - DAY}&to=${now}&format=html&download`,
      '/metrics',
      '/api/no-such-route',
    ])
      expect((await get(p)).status).toBeLessThan(500);

    const leaks = answers.flatMap((text) => Object.values(SECRETS).filter((s) => text.includes(s)));
    expect(leaks).toEqual([]);
  }, 60_000);

  it('answers a bad JSON path or header with a field error, never a 500 naming a file', async () => {
    const put = (t: Record<string, unknown>) =>
      request(`${base}/api/targets`, {
        method: 'PUT',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({
          id: 'extra',
          name: 'Extra',
          kind: 'http',
          url: 'http://127.0.0.1:9/',
          ...t,
        }),
      });
    const badPath = await put({
      conditions: [{ path: '$.a b', op: 'exists' }],
      metrics: { m: '$.x y' },
    });
    expect(badPath.status).toBe(400);
    const errs = (JSON.parse(badPath.text) as { errors: { path: string }[] }).errors;
    expect(errs.map((e) => e.path).sort()).toEqual(['conditions[0].path', 'metrics.m']);
    expect(badPath.text).not.toContain(dir);
    const crlf = await put({ headers: { 'X-Evil': 'a\r\nInjected: 1' } });
    expect(crlf.status).toBe(400);
    expect(crlf.text).toMatch(/headers\.X-Evil.*line break/);
    const quoted = await put({ conditions: [{ path: "$['a b']", op: '==', value: 1 }] });
    expect(quoted.status).toBe(200);
  });

  it('keeps every secret out of CLI output, reports written to disk and the log', async () => {
    const outputs: string[] = [];
    for (const args of [
      ['targets', 'list'],
      ['targets', 'list', '--json'],
      ['status'],
      ['alerts', 'list'],
      ['report', '--hours', '2', '--format', 'md', '--out', path.join(dir, 'r.md')],
    ]) {
      const r = await runCli(['--data', dir, ...args], { timeoutMs: 60_000 });
      outputs.push(r.stdout, r.stderr);
    }
    expect(outputs[0]).toContain(`svc:${SECRET_MASK}@127.0.0.1`);
    expect(outputs[0]).toContain(`token=${SECRET_MASK}`);
    outputs.push(await fs.readFile(path.join(dir, 'r.md'), 'utf8'));
    outputs.push(stderr);
    const leaks = outputs.flatMap((text) => Object.values(SECRETS).filter((s) => text.includes(s)));
    expect(leaks).toEqual([]);
    expect(stderr.length).toBeGreaterThan(0);
  }, 120_000);
});
