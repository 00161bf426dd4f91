import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { finished, runCli, startCli } from '../helpers/cli';
import { makeTmpDir, removeDir } from '../helpers/tmp-dir';

let dir: string;
let server: http.Server;
let base: string;
let healthy = true;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    if (!healthy) {
      res.statusCode = 503;
      res.end('{"status":"down"}');
      return;
    }
    res.end(JSON.stringify({ status: 'healthy', confidence: 0.82 }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
beforeEach(async () => {
  dir = await makeTmpDir();
  healthy = true;
});
afterEach(async () => removeDir(dir));

const cli = (...args: string[]) => runCli(['--data', dir, ...args]);

async function rawLines(): Promise<string[]> {
  const root = path.join(dir, 'samples');
  const files = (await fs.readdir(root, { recursive: true })).filter((f) => f.endsWith('.jsonl'));
  const raw = files.filter((f) => !/(^|[/\\])(1m|1h|rollup)/.test(f));
  const texts = await Promise.all(raw.map((f) => fs.readFile(path.join(root, f), 'utf8')));
  return texts.join('').split('\n').filter(Boolean);
}

// Each CLI call starts Node with tsx on the sources (1-3 s on a busy 2-core machine).
const SLOW = 120_000;

describe('opspulse CLI', () => {
  it(
    'has --help on every command',
    async () => {
      for (const args of [[], ['collect'], ['run'], ['targets'], ['targets', 'add'], ['status']]) {
        const r = await runCli([...args, '--help']);
        expect(r.code, `${args.join(' ')} --help`).toBe(0);
        expect(r.stdout).toMatch(/^Usage: opspulse/m);
      }
    },
    SLOW,
  );

  it(
    'adds, lists, imports and removes targets with validation',
    async () => {
      let r = await cli(
        'targets',
        'add',
        'http',
        'api',
        `${base}/health`,
        '--condition',
        '$.status == "healthy"',
        '--metric',
        'confidence=$.confidence',
      );
      expect(r.stderr).toBe('');
      expect(r.stdout).toContain('Added http target "api"');
      r = await cli('targets', 'add', 'tcp', 'db', 'nohost');
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain('expected host:port');
      r = await cli('targets', 'add', 'http', 'Bad.Id', 'http://x');
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(/id: use 1-63 lowercase/);

      const preset = path.join(dir, 'preset.json');
      await fs.writeFile(
        preset,
        JSON.stringify({
          targets: [{ id: 'redis', name: 'Redis', kind: 'tcp', host: '127.0.0.1', port: 6379 }],
          rules: [{ id: 'redis-slow', series: 'tg.redis.ms', op: '>', warn: 50 }],
        }),
      );
      r = await cli('targets', 'import', preset);
      expect(r.stdout).toContain('Imported 1 target(s)');
      expect(r.stdout).toContain('1 rule(s): redis-slow');
      r = await cli('targets', 'import', preset);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain('ids already configured: redis, rule redis-slow');
      r = await cli('alerts', 'list');
      expect(r.stdout).toContain('redis-slow');

      const broken = path.join(dir, 'broken.json');
      await fs.writeFile(broken, JSON.stringify([{ id: 'x', kind: 'tcp', host: 'h' }]));
      r = await cli('targets', 'import', broken);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain('[0].port');

      r = await cli('targets', 'list');
      expect(r.stdout).toMatch(/api\s+http\s+on\s+http:\/\/127\.0\.0\.1/);
      expect(r.stdout).toMatch(/redis\s+tcp\s+on\s+127\.0\.0\.1:6379/);
      r = await cli('targets', 'remove', 'redis');
      expect(r.code).toBe(0);
      r = await cli('targets', 'list', '--json');
      expect(JSON.parse(r.stdout).map((t: { id: string }) => t.id)).toEqual(['api']);
    },
    SLOW,
  );

  it(
    'collect --once prints a sample and appends it to the store',
    async () => {
      await cli(
        'targets',
        'add',
        'http',
        'api',
        `${base}/health`,
        '--condition',
        '$.status == "healthy"',
        '--metric',
        'confidence=$.confidence',
      );
      const r = await cli('collect', '--once', '--no-system');
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const sample = JSON.parse(r.stdout);
      expect(sample).toMatchObject({
        v: 1,
        tg: { api: { up: 1, st: 200, m: { confidence: 0.82 } } },
      });
      expect(sample.tg.api.ms).toBeGreaterThan(0);
      const lines = await rawLines();
      expect(lines).toHaveLength(1);
      expect(JSON.parse(lines[0])).toEqual(sample);
    },
    SLOW,
  );

  it(
    'refuses to start on a broken config, naming the file and the problem',
    async () => {
      await fs.writeFile(path.join(dir, 'config.json'), '{"interval": "fast"}');
      const r = await cli('collect', '--once');
      expect(r.code).toBe(3);
      expect(r.stderr).toContain('config.json is not valid');
      expect(r.stderr).toMatch(/interval: /);
      expect(await fs.readFile(path.join(dir, 'config.json'), 'utf8')).toBe('{"interval": "fast"}');
    },
    SLOW,
  );

  it(
    'status speaks the one vocabulary: No data exits 1, OK exits 0, Down exits 2',
    async () => {
      await cli('targets', 'add', 'http', 'api', `${base}/health`);
      let r = await cli('status');
      expect(r.stdout.split('\n')[0]).toMatch(/^No data: /);
      expect(r.stdout).toContain('No sample yet');
      expect(r.code).toBe(1);
      await cli('collect', '--once', '--no-system');
      await cli('collect', '--once', '--no-system');
      r = await cli('status');
      expect(r.stdout.split('\n')[0]).toBe('OK: All 1 target healthy');
      expect(r.stdout).toMatch(/^ {2}api: api — OK/m);
      expect(r.code).toBe(0);
      healthy = false;
      await cli('collect', '--once', '--no-system');
      await cli('collect', '--once', '--no-system');
      r = await cli('status');
      expect(r.stdout.split('\n')[0]).toBe('Down: 1 down: api');
      expect(r.stdout).toMatch(/^ {2}api: api — Down/m);
      // None of the internal state words (CRIT:, [crit], WARN, UNKNOWN) reach the reader.
      expect(r.stdout).not.toMatch(/\b(crit|warn|unknown)\b/i);
      expect(r.code).toBe(2);
    },
    SLOW,
  );

  it(
    'run: one daemon per data directory, --replace takes over, SIGTERM exits cleanly',
    async () => {
      await fs.writeFile(
        path.join(dir, 'config.json'),
        JSON.stringify({
          interval: 1,
          system: { enabled: false },
          targets: [
            { id: 'api', name: 'API', kind: 'http', url: `${base}/health`, timeoutMs: 500 },
          ],
        }),
      );
      const first = startCli(['--data', dir, 'run']);
      const firstDone = finished(first, 60_000);
      await waitFor(async () => (await rawLines().catch(() => [])).length >= 2, 20_000);

      const second = await cli('run');
      expect(second.code).not.toBe(0);
      expect(second.stderr).toMatch(/already running/);

      const replacer = startCli(['--data', dir, 'run', '--replace']);
      const replacerDone = finished(replacer, 60_000);
      const r1 = await firstDone;
      expect(r1.code).toBe(0);
      expect(r1.stderr).toContain('stopping');
      const before = (await rawLines()).length;
      await waitFor(async () => (await rawLines()).length >= before + 2, 20_000);
      replacer.kill('SIGTERM');
      const r2 = await replacerDone;
      expect(r2.code).toBe(0);
      for (const line of await rawLines()) expect(() => JSON.parse(line)).not.toThrow();
    },
    SLOW,
  );
});

async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
