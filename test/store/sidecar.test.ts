import fs from 'node:fs/promises';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { QueryRequest } from '../../shared/query';
import type { Sample } from '../../shared/sample';
import {
  ByteReader,
  ByteWriter,
  decodeColumns,
  encodeColumns,
} from '../../electron/main/store/column-codec';
import { DAY, HOUR, MINUTE, listSegments, segmentFile } from '../../electron/main/store/layout';
import { addSample, newLine, parseRollup, serializeRollup } from '../../electron/main/store/rollup';
import { SampleStore } from '../../electron/main/store/sample-store';
import { scanRollup } from '../../electron/main/store/segment-table';
import { sidecarFile } from '../../electron/main/store/sidecar';
import { makeTmpDir, removeDir } from '../helpers/tmp-dir';

const START = Date.UTC(2026, 5, 1);
const NOW = START + 3 * DAY + 12 * HOUR;

function sample(t: number, shift = 0): Sample {
  const k = t / 60_000;
  return {
    v: 1,
    t,
    sys: { cpu: 10 + (k % 13) / 10 + shift },
    tg: { a: { up: k % 97 === 0 ? 0 : 1, ms: 5 + (k % 7) * 0.125 }, b: { up: 1 } },
  };
}

const ALL: QueryRequest = {
  from: START,
  to: START + 3 * DAY,
  series: ['sys.cpu', 'tg.a.ms', 'tg.a.up', 'tg.none.ms'],
  maxPoints: 2000,
};

async function query(dir: string, req = ALL): Promise<{ r: unknown; corrupt: number }> {
  const store = await SampleStore.open(dir, { now: () => NOW });
  try {
    const r = await store.query(req);
    return { r, corrupt: store.queryCounters.corrupt };
  } finally {
    await store.close();
  }
}

async function derived(dir: string, tier: '1m' | 'raw', ext: string): Promise<string[]> {
  const names = await fs.readdir(path.join(dir, 'samples', '.columns', tier)).catch(() => []);
  return names.filter((n) => n.endsWith(ext)).sort();
}

const sidecars = (dir: string, tier: '1m' | 'raw') => derived(dir, tier, '.col');

let dir: string;
beforeEach(async () => {
  dir = await makeTmpDir();
  const store = await SampleStore.open(dir, { now: () => NOW });
  for (let t = START; t < START + 3 * DAY; t += 60_000) store.append(sample(t));
  await store.close();
  // A corrupt line in the first day's minutes, compressed with it.
  await fs.appendFile(segmentFile(dir, '1m', '2026-06-01'), '{"v":1,"t":oops\n');
  const s2 = await SampleStore.open(dir, { now: () => NOW });
  await s2.maintain();
  await s2.close();
});
afterEach(async () => {
  await removeDir(dir);
});

describe('column sidecars', () => {
  it('are written for compressed rollup segments and give the same answer as the JSONL', async () => {
    expect(await sidecars(dir, '1m')).toEqual([
      '2026-06-01.jsonl.gz.col',
      '2026-06-02.jsonl.gz.col',
    ]);
    // With the details reports read, so a report's first look needs no scan either.
    expect(await derived(dir, '1m', '.det')).toEqual([
      '2026-06-01.jsonl.gz.det',
      '2026-06-02.jsonl.gz.det',
    ]);
    const withSidecars = await query(dir);
    await fs.rm(path.join(dir, 'samples', '.columns'), { recursive: true });
    const fromJsonl = await query(dir);
    expect(withSidecars.r).toEqual(fromJsonl.r);
    // Corrupt lines are counted whether the segment was scanned or its sidecar read.
    expect(fromJsonl.corrupt).toBe(1);
    expect(withSidecars.corrupt).toBe(1);
    // The scan wrote the sidecars again, for the open plain segment too.
    expect(await sidecars(dir, '1m')).toEqual([
      '2026-06-01.jsonl.gz.col',
      '2026-06-02.jsonl.gz.col',
      '2026-06-03.jsonl.col',
    ]);
  });

  it('falls back to the JSONL when a sidecar is corrupt, and rewrites it', async () => {
    const reference = await query(dir);
    const [seg] = await listSegments(dir, '1m');
    const file = sidecarFile(seg);
    const good = await fs.readFile(file);
    const headLen = good.readUInt32LE(8);
    const header = JSON.parse(good.toString('utf8', 16, 16 + headLen)) as {
      series: Record<string, number[]>;
    };
    // Inside the asked sys.cpu columns (blocks are checked when read), the header, the magic.
    for (const at of [16 + headLen + header.series['sys.cpu'][0] + 1, 20, 3]) {
      const bad = Buffer.from(good);
      bad[at] ^= 0xff;
      await fs.writeFile(file, bad);
      expect((await query(dir)).r).toEqual(reference.r);
      expect(await fs.readFile(file)).toEqual(good);
    }
    await fs.writeFile(file, good.subarray(0, good.length >> 1));
    expect((await query(dir)).r).toEqual(reference.r);
  });

  it('is not used once its segment changed (rewritten, or grown past it)', async () => {
    const before = await query(dir);
    const [seg] = await listSegments(dir, '1m');
    const text = gunzipSync(await fs.readFile(seg.file)).toString();
    // Same length, other values: only the inode, mtime or bytes can tell.
    await fs.writeFile(seg.file, gzipSync(text.replaceAll('"sys.cpu":[1,10.', '"sys.cpu":[1,90.')));
    const after = await query(dir);
    expect(after.r).not.toEqual(before.r);
    await fs.rm(path.join(dir, 'samples', '.columns'), { recursive: true });
    expect((await query(dir)).r).toEqual(after.r);

    // A plain segment that grew: the sidecar covers its start, the new lines come from the JSONL.
    const req = { ...ALL, from: START + 3 * DAY, to: START + 3 * DAY + 4.5 * HOUR };
    let store = await SampleStore.open(dir, { now: () => NOW });
    for (let t = req.from; t < req.from + 3 * HOUR; t += 1000) store.append(sample(t));
    await store.close();
    await query(dir, req);
    expect(await sidecars(dir, 'raw')).toEqual(['2026-06-04.jsonl.col']);
    store = await SampleStore.open(dir, { now: () => NOW });
    for (let t = req.from + 3 * HOUR; t < req.to; t += 1000) store.append(sample(t, 5));
    await store.close();
    const grown = await query(dir, req);
    await fs.rm(path.join(dir, 'samples', '.columns'), { recursive: true });
    expect(grown.r).toEqual((await query(dir, req)).r);
  });

  it('are removed with their segment', async () => {
    const store = await SampleStore.open(dir, {
      now: () => NOW + 10 * DAY,
      retention: { rawDays: 1, minuteDays: 2, hourDays: 400 },
    });
    await store.maintain();
    await store.close();
    expect(await sidecars(dir, '1m')).toEqual([]);
  });
});

describe('column codec', () => {
  it('gives back every value exactly', () => {
    const rows = 500;
    const cols = [
      Array.from({ length: rows }, (_, i) => i * 60_000 + 1.7e12),
      Array.from({ length: rows }, () => 12),
      Array.from({ length: rows }, (_, i) => (i % 5 === 0 ? NaN : Math.round(i * 37.1) / 1000)),
      Array.from({ length: rows }, (_, i) => 0.1 + 0.2 * i),
      Array.from({ length: rows }, (_, i) => (i % 2 ? -1e15 : 3e-7)),
      Array.from({ length: rows }, () => NaN),
    ];
    const w = new ByteWriter();
    encodeColumns(w, [...cols, cols[2]]);
    const out = decodeColumns(new ByteReader(w.bytes(), 0, w.length), cols.length + 1, rows);
    [...cols, cols[2]].forEach((c, i) => expect(Array.from(out[i])).toEqual(c));
    expect(() => decodeColumns(new ByteReader(w.bytes(), 0, w.length - 1), 7, rows)).toThrow();
  });
});

describe('scanRollup', () => {
  it('reads count, sum, min and max as parseRollup does, sketches and first/last included', () => {
    const line = newLine(START, MINUTE);
    addSample(line, sample(START));
    addSample(line, { v: 1, t: START + 5000, tg: { a: { up: 0, ms: 250.5 } } });
    addSample(line, { v: 1, t: START + 9000, tg: { 'we"ird': { up: 1 } } });
    for (const text of [
      serializeRollup(line).trimEnd(),
      serializeRollup({ ...line, series: new Map([...line.series].slice(0, 4)) }).trimEnd(),
    ]) {
      // Written as JSON.stringify would write it.
      expect(JSON.stringify(JSON.parse(text))).toBe(text);
      const parsed = parseRollup(text);
      const seen = new Map<string, number[]>();
      const t = scanRollup(text, (name, agg) => seen.set(name, agg));
      if (text.includes('\\')) {
        expect(t).toBeNull();
        continue;
      }
      expect(t).toBe(START);
      expect(seen).toEqual(
        new Map([...(parsed?.series ?? [])].map(([n, a]) => [n, [a.count, a.sum, a.min, a.max]])),
      );
    }
    expect(scanRollup('{"v":1,"t":5,"d":60000,"s":{"x":[1,2{"v":1}}', () => undefined)).toBeNull();
  });
});
