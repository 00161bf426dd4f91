import { execFileSync, spawn } from 'node:child_process';
import { constants as fsConstants } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTmpDir, removeDir } from '../helpers/tmp-dir';

const ROOT = path.resolve(import.meta.dirname, '../..');
let dir: string;
beforeEach(async () => {
  dir = await makeTmpDir('opspulse-hung-');
});
afterEach(async () => removeDir(dir));

/**
 * A real hung read, without a hung mount: in a child with a one-thread libuv pool, opening
 * a FIFO with no writer blocks that thread, so every fs call behind it hangs as on a dead
 * NFS server. The file target must start no second read while the first is stuck, report
 * "read hung", and recover once the thread is free.
 */
describe.skipIf(process.platform === 'win32')('file probe on a hung read', () => {
  it('keeps one read per path, reports it hung, and recovers', async () => {
    const fifo = path.join(dir, 'block.fifo');
    execFileSync('mkfifo', [fifo]);
    const status = path.join(dir, 'status.json');
    await fs.writeFile(status, '{"ok":1}');
    const script = `
      import fs from 'node:fs';
      import { probeFile } from './electron/main/probes/file.ts';
      const target = { id: 'f', name: 'f', kind: 'file', path: ${JSON.stringify(status)}, metrics: {}, conditions: [], enabled: true };
      const out = [];
      fs.open(${JSON.stringify(fifo)}, 'r', () => {}); // takes the pool's only thread
      out.push(await probeFile(target, 300));
      out.push(await probeFile(target, 300));
      console.log(JSON.stringify(out));
      // A writer frees the thread; the stuck stat finishes and the path is readable again.
      await new Promise((r) => process.stdin.once('data', r));
      await new Promise((r) => setTimeout(r, 300));
      console.log(JSON.stringify([await probeFile(target, 2000)]));
      process.exit(0);`;
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      {
        cwd: ROOT,
        env: { ...process.env, UV_THREADPOOL_SIZE: '1' },
        stdio: ['pipe', 'pipe', 'inherit'],
      },
    );
    const exited = new Promise((r) => child.once('exit', r));
    const lines: string[] = [];
    let buf = '';
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      const parts = buf.split('\n');
      buf = parts.pop() ?? '';
      lines.push(...parts.filter(Boolean));
    });
    const until = Date.now() + 30_000;
    while (lines.length < 1 && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    const [first, second] = JSON.parse(lines[0]) as { up: boolean; error?: string }[];
    expect(first).toMatchObject({
      up: false,
      error: expect.stringMatching(/^read hung: no answer within 300 ms/),
    });
    expect(second).toMatchObject({
      up: false,
      error: expect.stringMatching(/^read hung: the read started \d+ s ago has not returned/),
    });
    // Open the FIFO for writing: the blocked open returns. Non-blocking, so a child that
    // died cannot leave this test waiting for a reader forever.
    const writer = await fs.open(fifo, fsConstants.O_WRONLY | fsConstants.O_NONBLOCK);
    child.stdin.write('go\n');
    while (lines.length < 2 && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    await writer.close();
    const [third] = JSON.parse(lines[1]) as { up: boolean }[];
    expect(third).toMatchObject({ up: true });
    await exited;
  }, 60_000);
});
