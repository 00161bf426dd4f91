import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProgram } from '../../electron/main/cli/program';
import { parseTime, registerStoreCommands } from '../../electron/main/cli/commands/store';
import { DAY } from '../../electron/main/store/layout';
import { SampleStore } from '../../electron/main/store/sample-store';
import { generateHistory } from '../../scripts/gen';
import { duSamples } from './du';
import { makeTmpDir, removeDir } from '../helpers/tmp-dir';

const END = Date.UTC(2026, 9, 10, 6, 0, 0);
let dir: string;
beforeAll(async () => {
  dir = await makeTmpDir();
  await generateHistory({ out: dir, days: 3, interval: 60, targets: 3, end: END });
});
afterAll(async () => {
  await removeDir(dir);
});

async function run(...args: string[]): Promise<string[]> {
  const out: string[] = [];
  const program = createProgram().exitOverride();
  registerStoreCommands(program, (l) => out.push(l));
  await program.parseAsync(['node', 'opspulse', '--data', dir, 'store', ...args]);
  return out;
}

describe('opspulse store', () => {
  it('stats prints every tier with bytes per sample and its time span, then sidecars and the total', async () => {
    // A query over the closed days leaves their column sidecars on disk.
    const store = await SampleStore.open(dir);
    await store.query({ from: END - 3 * DAY, to: END, series: ['sys.cpu'], maxPoints: 5000 });
    await store.close();
    const [text] = await run('stats');
    const lines = text.split('\n');
    expect(lines[0]).toMatch(
      /^tier\s+files\s+bytes\s+lines\s+samples\s+bytes\/line\s+bytes\/sample\s+oldest\s+newest$/,
    );
    const cells = lines.slice(1).map((l) => l.split(/\s+/));
    expect(cells.map((c) => c[0])).toEqual(['raw', '1m', '1h', 'sidecars', 'total']);
    const bytes = cells.map((c) => Number(c[2]));
    const files = cells.map((c) => Number(c[1]));
    const columns = path.join(dir, 'samples', '.columns');
    expect(await fs.readdir(path.join(columns, 'raw'))).not.toEqual([]);
    const entries = await fs.readdir(columns, { recursive: true, withFileTypes: true });
    expect(files[3]).toBe(entries.filter((e) => e.isFile()).length);
    expect(bytes[4]).toBe(bytes[0] + bytes[1] + bytes[2] + bytes[3]);
    expect(files[4]).toBe(files[0] + files[1] + files[2] + files[3]);
    expect(bytes[4]).toBe(await duSamples(dir));

    const [json] = await run('stats', '--json');
    const {
      tiers: stats,
      sidecars,
      total,
    } = JSON.parse(json) as {
      tiers: { tier: string; lines: number; samples: number; newest: number }[];
      sidecars: { files: number; bytes: number };
      total: { files: number; bytes: number };
    };
    expect(sidecars).toEqual({ files: files[3], bytes: bytes[3] });
    expect(total).toEqual({ files: files[4], bytes: bytes[4] });
    expect(stats[0].lines).toBe(3 * 1440);
    expect(stats[1].samples).toBe(3 * 1440);
    expect(stats[2].samples).toBe(3 * 1440);
    expect(stats[0].newest).toBe(END - 60_000);
  });

  it('rebuild redoes whole days from raw and says so', async () => {
    const [line] = await run('rebuild', '--from', '2026-10-09', '--to', '2026-10-10');
    expect(line).toBe(
      'rebuilt 1440 minute and 24 hour lines from 1 day(s) of raw (2026-10-09 to 2026-10-09)',
    );
    const [json] = await run('stats', '--json');
    expect((JSON.parse(json) as { tiers: { samples: number }[] }).tiers[1].samples).toBe(3 * 1440);
    await expect(run('rebuild', '--from', 'yesterday')).rejects.toThrow(
      /--from: "yesterday" is not a time/,
    );
  });

  it('parses dates, date-times and unix ms', () => {
    expect(parseTime('--from', '2026-01-31')).toBe(Date.UTC(2026, 0, 31));
    expect(parseTime('--from', '2026-01-31T12:00Z')).toBe(Date.UTC(2026, 0, 31, 12));
    expect(parseTime('--to', '1769860800000')).toBe(1769860800000);
  });
});
