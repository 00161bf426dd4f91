import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AlertEngine } from '../../electron/main/alerts/alert-engine';
import { createNotifier } from '../../electron/main/notifiers';
import { config, makeTempDir, removeDir, sample, target } from '../alerts/helpers';

let dir: string;
let server: http.Server;
let url: string;
const bodies: { title: string; targets: string[]; kind: string }[] = [];

beforeEach(async () => {
  dir = await makeTempDir();
  bodies.length = 0;
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      bodies.push(JSON.parse(body) as (typeof bodies)[number]);
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook/secret`;
});

afterEach(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
  await removeDir(dir);
});

describe('alert engine → webhook', () => {
  it('100 targets going down at once reach the webhook as one POST', async () => {
    const ids = Array.from({ length: 100 }, (_, i) => `s${i}`);
    const cfg = config({
      targets: ids.map((id) => target(id)),
      alerts: { webhooks: [{ url }] },
    });
    const lines: string[] = [];
    const notifier = createNotifier(cfg, undefined, {
      info: (m) => lines.push(m),
      warn: (m) => lines.push(m),
    });
    let t = Date.UTC(2026, 10, 25, 12);
    const engine = await AlertEngine.open({ dataDir: dir, notifier, now: () => t });
    const tick = (up: 0 | 1) => {
      t += 10_000;
      engine.ingest(sample(t, Object.fromEntries(ids.map((id) => [id, up]))), cfg);
    };
    tick(1);
    tick(0);
    tick(0);
    tick(0);
    await notifier.webhooks.idle();
    expect(bodies).toHaveLength(1);
    expect(bodies[0]).toMatchObject({ kind: 'storm', title: '100 targets down' });
    expect(bodies[0].targets).toHaveLength(100);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^notification \[crit\] 100 targets down — down: S0, S1/);
    await engine.close();
    await notifier.close();
  });
});
