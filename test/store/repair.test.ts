import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Sample } from '../../shared/sample';
import { listSegments, segmentFile } from '../../electron/main/store/layout';
import { SampleStore } from '../../electron/main/store/sample-store';
import { makeTmpDir, removeDir } from '../helpers/tmp-dir';
import { bruteForce, compareWithBrute, mergedRollups } from './helpers';
import { dropLastLines } from '../helpers/crash';

const T0 = Date.UTC(2026, 4, 1, 22, 41, 7);

function sample(i: number, t = T0 + i * 10_000): Sample {
  return {
    v: 1,
    t,
    sys: { cpu: (i * 13) % 100, mem: 40 + (i % 7) },
    tg: {
      a: { up: i % 29 === 0 ? 0 : 1, ms: 3 + ((i * 31) % 50) },
      b: { up: 1, ms: 10 + (i % 9) },
    },
  };
}

async function expectConsistent(dir: string): Promise<void> {
  const store = await SampleStore.open(dir);
  try {
    for (const tier of ['1m', '1h'] as const) {
      expect(
        compareWithBrute(await mergedRollups(store, tier), await bruteForce(store, tier)),
      ).toEqual([]);
    }
  } finally {
    await store.close();
  }
}

let dir: string;
beforeEach(async () => {
  dir = await makeTmpDir();
  // 3 h 20 min of samples every 10 s across a UTC midnight.
  const store = await SampleStore.open(dir);
  for (let i = 0; i < 1200; i++) store.append(sample(i));
  await store.close();
});
afterEach(async () => {
  await removeDir(dir);
});

describe('repair after a crash', () => {
  it('starts consistent', async () => {
    await expectConsistent(dir);
  });

  it('crash after the raw append, before the minute line: rebuilt from raw', async () => {
    const last = (await listSegments(dir, '1m')).at(-1);
    await dropLastLines(last?.file as string, 7);
    const store = await SampleStore.open(dir);
    expect(store.openReport.replayedSamples).toBeGreaterThanOrEqual(6 * 7);
    await store.close();
    await expectConsistent(dir);
  });

  it('crash mid-write of a minute line (torn) and before the hour line', async () => {
    const m = (await listSegments(dir, '1m')).at(-1);
    const h = (await listSegments(dir, '1h')).at(-1);
    await dropLastLines(m?.file as string, 3, true);
    await dropLastLines(h?.file as string, 1, true);
    const store = await SampleStore.open(dir);
    expect(store.openReport.torn.map((x) => path.basename(path.dirname(x.file)))).toEqual([
      '1m',
      '1h',
    ]);
    await store.close();
    await expectConsistent(dir);
  });

  it('crash mid-write of a raw line: the torn sample is cut and the rest stays consistent', async () => {
    await fs.appendFile(
      segmentFile(dir, 'raw', '2026-05-02'),
      JSON.stringify(sample(5000)).slice(0, 30),
    );
    const store = await SampleStore.open(dir);
    expect(store.openReport.torn).toHaveLength(1);
    await store.close();
    await expectConsistent(dir);
  });

  it('a missing hour tier is rebuilt from minutes, a missing minute tier from raw, without double counting', async () => {
    await fs.rm(path.join(dir, 'samples', '1h'), { recursive: true });
    await expectConsistent(dir);
    await fs.rm(path.join(dir, 'samples', '1m'), { recursive: true });
    await expectConsistent(dir);
  });

  it('a compression interrupted before or after removing the plain file', async () => {
    const plain = segmentFile(dir, 'raw', '2026-05-01');
    await fs.writeFile(plain + '.gz.tmp', 'half a gzip');
    let store = await SampleStore.open(dir);
    expect(store.openReport.pendingGzip).toBe(1);
    await store.close();
    await expect(fs.stat(plain + '.gz.tmp')).rejects.toThrow();
    await expectConsistent(dir);

    await fs.writeFile(plain + '.gz.tmp', gzipSync(await fs.readFile(plain)));
    await fs.rm(plain);
    store = await SampleStore.open(dir);
    expect(store.openReport.pendingGzip).toBe(1);
    await store.close();
    expect((await fs.stat(plain + '.gz')).size).toBeGreaterThan(0);
    await expectConsistent(dir);
  });

  it('a writer killed with SIGKILL mid-stream leaves a store that reopens consistent', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(__dirname, 'crash-child.ts'), dir, String(T0 + 86_400_000)],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    await new Promise<void>((resolve, reject) => {
      child.on('error', reject);
      child.on('exit', (code) => reject(new Error(`writer exited by itself (${code})`)));
      child.stdout.on('data', (d: Buffer) => {
        const n = Number(d.toString().trim().split('\n').at(-1));
        if (n >= 5000) {
          child.kill('SIGKILL');
          resolve();
        }
      });
    });
    await new Promise((r) => child.once('close', r));
    await expectConsistent(dir);
  }, 60_000);
});
