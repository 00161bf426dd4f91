import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TargetSchema, type Target } from '../../shared/config-schema';
import { closeHttpAgents, runProbe } from '../../electron/main/probes';
import { refusedPort, startHttp, tempDir } from './helpers';

afterAll(async () => {
  await closeHttpAgents();
});

describe('runProbe', () => {
  it('dispatches every kind and caps the deadline below the interval', async () => {
    const s = await startHttp(() => {
      /* never answers */
    });
    const { dir, cleanup } = await tempDir();
    try {
      const port = await refusedPort();
      const file = join(dir, 's.json');
      await writeFile(file, '{"x":1}');
      const targets = [
        { id: 'h', name: 'h', kind: 'http', url: s.url, timeoutMs: 60_000 },
        { id: 't', name: 't', kind: 'tcp', host: '127.0.0.1', port },
        { id: 'f', name: 'f', kind: 'file', path: file },
      ].map((t) => TargetSchema.parse(t));
      const started = Date.now();
      const [h, t, f] = await Promise.all(targets.map((x) => runProbe(x, { intervalSec: 1 })));
      // interval 1 s => deadline 750 ms, not the target's 60 s
      expect(h).toEqual({ up: false, error: `timed out after 750 ms (127.0.0.1:${s.port})` });
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(t).toEqual({ up: false, error: `connection refused (127.0.0.1:${port})` });
      expect(f).toEqual({ up: true, metrics: { x: 1 } });
    } finally {
      await s.close();
      await cleanup();
    }
  });

  it('never throws, even for a target that bypassed the schema', async () => {
    const badUrl = { id: 'x', name: 'x', kind: 'http', url: 'not a url' } as unknown as Target;
    const r = await runProbe(badUrl, { intervalSec: 5 });
    expect(r.up).toBe(false);
    expect(r.error).toMatch(/Invalid URL.*\(not a url\)$/);
    const badPort = {
      id: 'z',
      name: 'z',
      kind: 'tcp',
      host: '127.0.0.1',
      port: 70_000,
    } as unknown as Target;
    const t = await runProbe(badPort, { intervalSec: 5 });
    expect(t.up).toBe(false);
    expect(t.error).toMatch(/70000/);
    const noConditions = {
      id: 'w',
      name: 'w',
      kind: 'file',
      path: '/nonexistent/x.json',
    } as unknown as Target;
    expect(await runProbe(noConditions, { intervalSec: 5 })).toEqual({
      up: false,
      error: 'file not found: /nonexistent/x.json',
    });
    const alien = { id: 'y', name: 'y', kind: 'smoke-signal' } as unknown as Target;
    expect(await runProbe(alien, { intervalSec: 5 })).toEqual({
      up: false,
      error: 'unknown target kind "smoke-signal"',
    });
  });
});
