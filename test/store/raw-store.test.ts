import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import { createReadStream, createWriteStream } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Sample } from '../../shared/sample';
import { newCounters } from '../../electron/main/store/lines';
import { SampleStore } from '../../electron/main/store/sample-store';
import { segmentFile } from '../../electron/main/store/layout';
import { makeTmpDir, removeDir } from '../helpers/tmp-dir';

const T0 = Date.UTC(2026, 0, 10, 23, 0, 0);

function sample(t: number, ms = 10): Sample {
  return { v: 1, t, sys: { cpu: 12.5, disk: { '/': 40 } }, tg: { api: { up: 1, ms } } };
}

async function collect(store: SampleStore, from: number, to: number): Promise<Sample[]> {
  const out: Sample[] = [];
  for await (const s of store.read({ from, to })) out.push(s);
  return out;
}

let dir: string;
beforeEach(async () => {
  dir = await makeTmpDir();
});
afterEach(async () => {
  await removeDir(dir);
});

describe('raw sample store', () => {
  it('writes one line per sample into daily UTC segments and streams any range back', async () => {
    const store = await SampleStore.open(dir);
    for (let i = 0; i < 240; i++) store.append(sample(T0 + i * 30_000, i));
    await store.close();
    const day1 = await fs.readFile(segmentFile(dir, 'raw', '2026-01-10'), 'utf8');
    const day2 = await fs.readFile(segmentFile(dir, 'raw', '2026-01-11'), 'utf8');
    expect(day1.trimEnd().split('\n')).toHaveLength(120);
    expect(day2.trimEnd().split('\n')).toHaveLength(120);
    expect(JSON.parse(day1.split('\n')[0])).toEqual(sample(T0, 0));

    const again = await SampleStore.open(dir);
    expect(again.latest()?.t).toBe(T0 + 239 * 30_000);
    const mid = await collect(again, T0 + 100 * 30_000, T0 + 150 * 30_000);
    expect(mid.map((s) => s.tg.api.ms)).toEqual(Array.from({ length: 50 }, (_, i) => 100 + i));
    await again.close();
  });

  it('reads gzipped segments transparently', async () => {
    const store = await SampleStore.open(dir);
    for (let i = 0; i < 240; i++) store.append(sample(T0 + i * 30_000, i));
    await store.close();
    const plain = segmentFile(dir, 'raw', '2026-01-10');
    await pipeline(createReadStream(plain), createGzip(), createWriteStream(plain + '.gz'));
    await fs.rm(plain);
    const again = await SampleStore.open(dir);
    const all = await collect(again, 0, Number.MAX_SAFE_INTEGER);
    expect(all).toHaveLength(240);
    expect(all[0].t).toBe(T0);
    await again.close();
  });

  it('cuts a torn tail back to the last good line on open and reports the loss', async () => {
    const store = await SampleStore.open(dir);
    for (let i = 0; i < 10; i++) store.append(sample(T0 + i * 1000, i));
    await store.close();
    const file = segmentFile(dir, 'raw', '2026-01-10');
    const good = (await fs.stat(file)).size;
    const torn = '{"v":1,"t":' + (T0 + 10_000) + ',"tg":{"api":{"up"';
    await fs.appendFile(file, torn);

    const counters = newCounters();
    const again = await SampleStore.open(dir);
    expect(again.openReport.torn).toEqual([{ file, bytes: torn.length }]);
    expect((await fs.stat(file)).size).toBe(good);
    expect(again.latest()?.t).toBe(T0 + 9000);
    again.append(sample(T0 + 11_000, 11));
    const all: Sample[] = [];
    for await (const s of again.read({ from: 0, to: Number.MAX_SAFE_INTEGER }, counters))
      all.push(s);
    expect(all.map((s) => s.tg.api.ms)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11]);
    expect(counters).toEqual({ corrupt: 0, partial: 0 });
    await again.close();
  });

  it('skips and counts corrupt lines, and never yields a half-written line', async () => {
    const store = await SampleStore.open(dir);
    store.append(sample(T0, 1));
    const file = segmentFile(dir, 'raw', '2026-01-10');
    await fs.appendFile(
      file,
      'not json\n{"v":2,"t":5}\n{"v":1,"t":' + (T0 + 1) + ',"tg":{"a":{"up":1',
    );
    const counters = newCounters();
    const seen: Sample[] = [];
    for await (const s of store.read({ from: 0, to: Number.MAX_SAFE_INTEGER }, counters))
      seen.push(s);
    expect(seen).toHaveLength(1);
    expect(counters).toEqual({ corrupt: 2, partial: 1 });
    await store.close();
  });

  it('keeps samples in memory while the disk refuses writes and flushes them when it recovers', async () => {
    const store = await SampleStore.open(dir);
    const health: { ok: boolean; buffered: number }[] = [];
    store.onStorageHealth((h) => health.push({ ok: h.ok, buffered: h.buffered }));
    const file = segmentFile(dir, 'raw', '2026-01-10');
    await fs.mkdir(path.dirname(file), { recursive: true });
    // /dev/full fails every write with ENOSPC: a real disk-full error without a real full disk.
    await fs.symlink('/dev/full', file);
    for (let i = 0; i < 5; i++) store.append(sample(T0 + i * 1000, i));
    expect(store.health.ok).toBe(false);
    expect(store.health.error).toMatch(/ENOSPC|no space/i);
    expect(store.health.buffered).toBe(5);

    await fs.rm(file);
    store.append(sample(T0 + 5000, 5));
    expect(store.health).toEqual({ ok: true, error: undefined, buffered: 0, dropped: 0 });
    expect(health[0]).toEqual({ ok: false, buffered: 1 });
    expect(health.at(-1)).toEqual({ ok: true, buffered: 0 });
    const all = await collect(store, 0, Number.MAX_SAFE_INTEGER);
    expect(all.map((s) => s.tg.api.ms)).toEqual([0, 1, 2, 3, 4, 5]);
    await store.close();
  });

  it('bounds the memory buffer by dropping the oldest lines', async () => {
    const store = await SampleStore.open(dir, { maxBufferedBytes: 1000 });
    const file = segmentFile(dir, 'raw', '2026-01-10');
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.symlink('/dev/full', file);
    for (let i = 0; i < 100; i++) store.append(sample(T0 + i * 1000, i));
    const h = store.health;
    expect(h.buffered).toBeLessThan(20);
    expect(h.buffered + h.dropped).toBe(100);
    await fs.rm(file);
    await store.close();
    const again = await SampleStore.open(dir);
    const all = await collect(again, 0, Number.MAX_SAFE_INTEGER);
    expect(all.at(-1)?.tg.api.ms).toBe(99);
    expect(all).toHaveLength(h.buffered);
    await again.close();
  });

  it('refuses a second writer on the same directory', async () => {
    const store = await SampleStore.open(dir);
    await expect(SampleStore.open(dir)).rejects.toThrow(/already open/);
    await store.close();
  });

  it('takes over a lock left by a process that died, and refuses one held by a live process', async () => {
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], {
      stdio: 'ignore',
    });
    const lock = path.join(dir, 'opspulse.lock');
    await fs.mkdir(path.dirname(lock), { recursive: true });
    await fs.writeFile(lock, String(child.pid));
    await expect(SampleStore.open(dir)).rejects.toThrow(
      `in use by another OpsPulse process (pid ${child.pid})`,
    );
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const store = await SampleStore.open(dir);
    expect(JSON.parse(await fs.readFile(lock, 'utf8'))).toMatchObject({ pid: process.pid });
    await store.close();
  });
});
