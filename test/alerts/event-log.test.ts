import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BufferedEventLog } from '../../electron/main/alerts/buffered-event-log';
import { EventLog } from '../../electron/main/alerts/event-log';
import type { AlertEvent } from '../../shared/events';
import { makeTempDir, removeDir } from './helpers';

let dir: string;
beforeEach(async () => {
  dir = await makeTempDir();
});
afterEach(async () => {
  await removeDir(dir);
});

const ev = (t: number, target = 'api'): AlertEvent => ({
  t,
  target,
  rule: 'down',
  from: 'ok',
  to: 'crit',
  message: `at ${t}`,
});

describe('EventLog', () => {
  it('splits by month and reads across the boundary', async () => {
    const log = EventLog.forDataDir(dir);
    const oct = Date.UTC(2026, 9, 31, 23, 59);
    const nov = Date.UTC(2026, 10, 1, 0, 1);
    log.append([ev(Date.UTC(2026, 8, 30)), ev(oct), ev(nov)]);
    expect((await fs.readdir(path.join(dir, 'events'))).sort()).toEqual([
      '2026-09.jsonl',
      '2026-10.jsonl',
      '2026-11.jsonl',
    ]);
    expect((await log.read({ since: Date.UTC(2026, 9, 31, 23) })).map((e) => e.t)).toEqual([
      oct,
      nov,
    ]);
    expect((await log.read({ since: 0, until: nov })).map((e) => e.t)).toEqual([
      Date.UTC(2026, 8, 30),
      oct,
    ]);
  });

  it('a torn last line does not swallow the next event; junk lines are skipped', async () => {
    const log = EventLog.forDataDir(dir);
    const t = Date.UTC(2026, 10, 25);
    log.append([ev(t)]);
    const file = path.join(dir, 'events', '2026-11.jsonl');
    await fs.appendFile(file, '{"t":1795');
    log.append([ev(t + 1)]);
    await fs.appendFile(file, 'not json\n{"t":5}\n');
    log.append([ev(t + 2)]);
    expect((await log.read({ since: 0 })).map((e) => e.t)).toEqual([t, t + 1, t + 2]);
  });

  it('an empty or missing log reads as no events', async () => {
    expect(await EventLog.forDataDir(dir).read({ since: 0 })).toEqual([]);
  });
});

describe('EventLog under faults and retention', () => {
  it('never writes an event twice when the disk refuses the second month of a batch', async () => {
    const log = EventLog.forDataDir(dir);
    const buffered = new BufferedEventLog(log, undefined);
    const oct = Date.UTC(2026, 9, 31, 23, 59);
    const nov = Date.UTC(2026, 10, 1, 0, 1);
    // A directory where November's file should be: appending to it fails (EISDIR).
    await fs.mkdir(path.join(dir, 'events', '2026-11.jsonl'), { recursive: true });
    buffered.append([ev(oct), ev(nov)]);
    buffered.flush();
    await fs.rm(path.join(dir, 'events', '2026-11.jsonl'), { recursive: true });
    buffered.append([]);
    buffered.flush();
    expect((await log.read({ since: 0 })).map((e) => e.t)).toEqual([oct, nov]);
    const octText = await fs.readFile(path.join(dir, 'events', '2026-10.jsonl'), 'utf8');
    expect(octText.trim().split('\n')).toHaveLength(1);
  });

  it('prunes months that ended before the retention cut-off', async () => {
    const log = EventLog.forDataDir(dir);
    log.append([ev(Date.UTC(2020, 0, 15)), ev(Date.UTC(2026, 10, 2))]);
    const removed = await log.prune(Date.UTC(2026, 0, 1));
    expect(removed).toEqual(['2020-01.jsonl']);
    expect((await log.read({ since: 0 })).map((e) => e.t)).toEqual([Date.UTC(2026, 10, 2)]);
  });
});
