import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ConfigInput } from '../../shared/config-schema';
import type { Notification } from '../../shared/notification';
import { Monitor } from '../../electron/main/core/monitor';
import { ManualClock } from '../helpers/manual-clock';
import { makeTmpDir, removeDir } from '../helpers/tmp-dir';

const HOUR = 3_600_000;
let dir = '';
let server: net.Server;
let port = 0;

beforeAll(async () => {
  server = net.createServer((s) => s.end());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as net.AddressInfo).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
beforeEach(async () => {
  dir = await makeTmpDir('opspulse-schedule-');
});
afterEach(async () => {
  await removeDir(dir);
});

async function writeConfig(extra: Partial<ConfigInput> = {}): Promise<void> {
  const cfg: ConfigInput = {
    interval: 3600,
    system: { enabled: false },
    targets: [{ id: 'db', name: 'DB', kind: 'tcp', host: '127.0.0.1', port }],
    reports: { schedule: { timeZone: 'Europe/Berlin', formats: ['json', 'html'] } },
    ...extra,
  };
  await fs.writeFile(path.join(dir, 'config.json'), JSON.stringify(cfg));
}

/** A monitor on a hand-moved clock; `run` ticks the real collector once an hour. */
async function open(clock: ManualClock) {
  const sent: Notification[] = [];
  const monitor = await Monitor.open({
    dataDir: dir,
    clock,
    systemMetrics: false,
    notifier: { notify: (n) => sent.push(n) },
  });
  monitor.start();
  await monitor.reportSchedule.idle();
  const run = async (until: number) => {
    while (clock.t + HOUR <= until) {
      clock.jump(HOUR);
      await monitor.tick(clock.t);
      await monitor.reportSchedule.idle();
    }
  };
  return { monitor, sent, run, reports: () => sent.filter((n) => n.kind === 'report') };
}

async function jsonReports(): Promise<{ name: string; from: number; to: number; title: string }[]> {
  const files = (await fs.readdir(path.join(dir, 'reports'))).filter((f) => f.endsWith('.json'));
  const out = [];
  for (const name of files.sort()) {
    const r = JSON.parse(await fs.readFile(path.join(dir, 'reports', name), 'utf8'));
    out.push({ name, from: r.analysis.from, to: r.analysis.to, title: r.title });
  }
  return out;
}

describe('scheduled reports on a fake clock', () => {
  it('writes each week and month once, with calendar windows across a DST change', async () => {
    await writeConfig();
    // Sunday 22 March 2026, 13:00 in Berlin; DST starts there on Sunday 29 March.
    const clock = new ManualClock(Date.UTC(2026, 2, 22, 12));
    const { monitor, run, reports } = await open(clock);
    try {
      await run(Date.UTC(2026, 3, 2, 12));
    } finally {
      await monitor.close();
    }
    expect(await jsonReports()).toEqual([
      {
        name: 'opspulse-monthly-2026-03.json',
        // 1 March 00:00 CET to 1 April 00:00 CEST: 31 days less the hour DST took.
        from: Date.UTC(2026, 1, 28, 23),
        to: Date.UTC(2026, 2, 31, 22),
        title: 'OpsPulse monthly report, March 2026',
      },
      {
        name: 'opspulse-weekly-2026-03-16.json',
        from: Date.UTC(2026, 2, 15, 23),
        to: Date.UTC(2026, 2, 22, 23),
        title: 'OpsPulse weekly report, week of 16 Mar 2026',
      },
      {
        // The DST week: Monday 00:00 CET to Monday 00:00 CEST, 167 hours.
        name: 'opspulse-weekly-2026-03-23.json',
        from: Date.UTC(2026, 2, 22, 23),
        to: Date.UTC(2026, 2, 29, 22),
        title: 'OpsPulse weekly report, week of 23 Mar 2026',
      },
    ]);
    const notes = reports();
    expect(notes.map((n) => [n.title, new Date(n.t).toISOString()])).toEqual([
      ['Weekly report ready', '2026-03-23T08:00:00.000Z'],
      ['Weekly report ready', '2026-03-30T07:00:00.000Z'],
      ['Monthly report ready', '2026-04-01T07:00:00.000Z'],
    ]);
    expect(notes[1].open).toBe(path.join(dir, 'reports', 'opspulse-weekly-2026-03-23.html'));
    expect(notes[1].body).toMatch(
      /^week of 23 Mar 2026: 1 service\(s\), \d+\.\d\d % uptime, \d+ incident/,
    );
    const html = await fs.readFile(notes[1].open!, 'utf8');
    expect(html).toContain('OpsPulse weekly report, week of 23 Mar 2026');
  }, 60_000);

  it('catches a missed week up once at the next start, never twice', async () => {
    await writeConfig();
    // Saturday 4 April 2026: runs a day, then the app is off until Tuesday 14 April.
    const clock = new ManualClock(Date.UTC(2026, 3, 4, 12));
    let m = await open(clock);
    await m.run(Date.UTC(2026, 3, 5, 12));
    await m.monitor.close();
    expect(m.reports()).toEqual([]);

    clock.t = Date.UTC(2026, 3, 14, 10);
    m = await open(clock);
    await m.run(Date.UTC(2026, 3, 14, 14));
    await m.monitor.close();
    // Mondays 6 and 13 April were both missed: only the latest week is written.
    expect(m.reports().map((n) => n.title)).toEqual(['Weekly report ready']);
    expect(await jsonReports()).toEqual([
      expect.objectContaining({
        name: 'opspulse-weekly-2026-04-06.json',
        from: Date.UTC(2026, 3, 5, 22),
        to: Date.UTC(2026, 3, 12, 22),
      }),
    ]);

    clock.t = Date.UTC(2026, 3, 14, 16);
    m = await open(clock);
    await m.run(Date.UTC(2026, 3, 15, 16));
    await m.monitor.close();
    expect(m.reports()).toEqual([]);
    expect(await jsonReports()).toHaveLength(1);
  }, 60_000);

  it('writes nothing when the schedules are off', async () => {
    await writeConfig({
      reports: {
        schedule: {
          timeZone: 'Europe/Berlin',
          weekly: { enabled: false },
          monthly: { enabled: false },
        },
      },
    });
    const clock = new ManualClock(Date.UTC(2026, 2, 29, 12));
    const m = await open(clock);
    await m.run(Date.UTC(2026, 3, 1, 12));
    await m.monitor.close();
    expect(m.reports()).toEqual([]);
  }, 60_000);
});
