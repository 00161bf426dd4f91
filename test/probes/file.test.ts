import { appendFile, mkdir, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileTarget, type TargetInput } from '../../shared/config-schema';
import { probeFile } from '../../electron/main/probes/file';
import { tempDir } from './helpers';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
});
afterEach(async () => {
  await cleanup();
});

function target(
  input: Partial<Extract<TargetInput, { kind: 'file' }>> & { path: string },
): FileTarget {
  return FileTarget.parse({ id: 'f', name: 'file', kind: 'file', ...input });
}

describe('file probe', () => {
  it('reads a JSON file: every top-level number is a metric by default', async () => {
    const path = join(dir, 'status.json');
    await writeFile(
      path,
      JSON.stringify({ loops: 42, confidence: 0.91, state: 'running', nested: { x: 1 } }),
    );
    expect(await probeFile(target({ path }), 2000)).toEqual({
      up: true,
      metrics: { loops: 42, confidence: 0.91 },
    });
  });

  it('records only the named metrics when some are named, and checks conditions', async () => {
    const path = join(dir, 'status.json');
    await writeFile(path, JSON.stringify({ loops: 42, q: { quality: 0.8 }, state: 'stuck' }));
    const r = await probeFile(
      target({
        path,
        metrics: { quality: '$.q.quality' },
        conditions: [{ path: '$.state', op: '==', value: 'running' }],
      }),
      2000,
    );
    expect(r).toEqual({
      up: false,
      metrics: { quality: 0.8 },
      error: '$.state is "stuck" (expected == "running")',
    });
  });

  it('reads the last line of a JSONL file, skipping a torn last line', async () => {
    const path = join(dir, 'metrics.jsonl');
    await writeFile(path, '{"n":1}\n{"n":2}\n');
    expect(await probeFile(target({ path }), 2000)).toEqual({ up: true, metrics: { n: 2 } });
    await appendFile(path, '{"n":3,"half');
    expect(await probeFile(target({ path }), 2000)).toEqual({ up: true, metrics: { n: 2 } });
    await appendFile(path, '":1}\n\n');
    expect(await probeFile(target({ path }), 2000)).toEqual({
      up: true,
      metrics: { n: 3, half: 1 },
    });
  });

  it('finds the last line of a long JSONL file past its first read window', async () => {
    const path = join(dir, 'big.log');
    const line = JSON.stringify({ pad: 'z'.repeat(200 * 1024), v: 7 });
    await writeFile(path, '{"v":1}\n'.repeat(1000) + line + '\n');
    expect(await probeFile(target({ path, format: 'jsonl', metrics: { v: '$.v' } }), 5000)).toEqual(
      {
        up: true,
        metrics: { v: 7 },
      },
    );
  });

  it('is down when stale, with the age in words', async () => {
    const path = join(dir, 'heartbeat.json');
    await writeFile(path, '{"beat":1}');
    const now = Date.now();
    await utimes(path, new Date(now - 125_000), new Date(now - 125_000));
    const r = await probeFile(target({ path, staleAfterSec: 60 }), 2000, undefined, () => now);
    expect(r).toEqual({ up: false, error: 'stale: not changed for 125 s (limit 60 s)' });
    // The clock is injectable: the same file seen "earlier" is fresh.
    const fresh = await probeFile(
      target({ path, staleAfterSec: 60 }),
      2000,
      undefined,
      () => now - 100_000,
    );
    expect(fresh).toEqual({ up: true, metrics: { beat: 1 } });
  });

  it('missing, empty, directory and malformed files are down with a reason', async () => {
    const missing = join(dir, 'nope.json');
    expect(await probeFile(target({ path: missing }), 2000)).toEqual({
      up: false,
      error: `file not found: ${missing}`,
    });
    const empty = join(dir, 'empty.json');
    await writeFile(empty, '');
    expect(await probeFile(target({ path: empty }), 2000)).toEqual({
      up: false,
      error: `file is empty: ${empty}`,
    });
    const sub = join(dir, 'sub');
    await mkdir(sub);
    expect(await probeFile(target({ path: sub }), 2000)).toEqual({
      up: false,
      error: `not a regular file: ${sub}`,
    });
    const bad = join(dir, 'bad.json');
    await writeFile(bad, '{"a": 1,');
    const r = await probeFile(target({ path: bad }), 2000);
    expect(r.up).toBe(false);
    expect(r.error).toMatch(/^not valid JSON: .* \(.*bad\.json\)$/);
    const badLine = join(dir, 'bad.jsonl');
    await writeFile(badLine, '{"a":1}\nnot json\n');
    const r2 = await probeFile(target({ path: badLine }), 2000);
    expect(r2.error).toMatch(/^last line is not valid JSON: /);
  });

  it('never quotes the file in its error (a target pointed at /etc/shadow)', async () => {
    const shadow = join(dir, 'shadow');
    await writeFile(shadow, 'root:$y$j9T$Secret-Hash-Value:19000:0:99999:7:::\n');
    const lines = join(dir, 'shadow.jsonl');
    await writeFile(lines, 'daemon:*:19000:0:99999:7:::\nroot:$y$j9T$Secret-Hash-Value:19000\n');
    for (const path of [shadow, lines]) {
      const r = await probeFile(target({ path }), 2000);
      expect(r.up).toBe(false);
      expect(r.error).toContain(path);
      expect(r.error).not.toMatch(/root|daemon|Secret-Hash|\$y\$/);
    }
  });
});
