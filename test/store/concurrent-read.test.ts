import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newCounters } from '../../electron/main/store/lines';
import { readSamples } from '../../electron/main/store/sample-store';
import { makeTmpDir, removeDir } from '../helpers/tmp-dir';

let dir: string;
beforeEach(async () => {
  dir = await makeTmpDir();
});
afterEach(async () => {
  await removeDir(dir);
});

describe('a reader while another process appends', () => {
  it('never sees a half line as data', async () => {
    const t0 = Date.UTC(2026, 7, 1, 0, 0, 0);
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(__dirname, 'crash-child.ts'), dir, String(t0), '5'],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    try {
      await new Promise<void>((resolve, reject) => {
        child.on('error', reject);
        child.stdout.on('data', (d: Buffer) => {
          if (Number(d.toString().trim().split('\n').at(-1)) >= 500) resolve();
        });
      });
      let reads = 0;
      let lastCount = 0;
      const counters = newCounters();
      while (reads < 10) {
        let n = 0;
        let wrong = 0;
        for await (const s of readSamples(dir, { from: t0, to: t0 + 86_400_000 }, counters)) {
          if (s.t !== t0 + n * 1000 || s.tg.a.ms !== 5 + (n % 17)) wrong++;
          n++;
        }
        expect(wrong).toBe(0);
        expect(n).toBeGreaterThanOrEqual(lastCount);
        lastCount = n;
        reads++;
      }
      expect(counters.corrupt).toBe(0);
      expect(lastCount).toBeGreaterThan(500);
    } finally {
      child.kill('SIGKILL');
      await new Promise((r) => child.once('close', r));
    }
  }, 60_000);
});
