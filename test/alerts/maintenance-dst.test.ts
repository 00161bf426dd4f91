import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MaintenanceSchema, type MaintenanceWindow } from '../../shared/config-schema';
import { windowActive } from '../../electron/main/alerts/maintenance';

const ROOT = path.resolve(import.meta.dirname, '../..');

function weekly(days: string[], at: string, minutes: number, timeZone?: string): MaintenanceWindow {
  return MaintenanceSchema.parse({ name: 'w', days, at, minutes, timeZone });
}

const at = (iso: string) => Date.parse(iso);

describe('weekly maintenance windows across DST (calendar days, not 24 h steps)', () => {
  it('Europe/Berlin: the Sunday 23:00 + 2 h window on the spring-forward Sunday', () => {
    const w = weekly(['sun'], '23:00', 120, 'Europe/Berlin');
    // 2026-03-29: clocks went 02:00 -> 03:00 that morning; 23:00 CEST is 21:00 UTC.
    expect(windowActive(w, at('2026-03-29T20:59:00Z'))).toBe(false);
    expect(windowActive(w, at('2026-03-29T21:00:00Z'))).toBe(true);
    expect(windowActive(w, at('2026-03-29T22:59:00Z'))).toBe(true); // 00:59 Monday, local
    expect(windowActive(w, at('2026-03-29T23:01:00Z'))).toBe(false);
    // The week before (still CET): 23:00 is 22:00 UTC.
    expect(windowActive(w, at('2026-03-22T22:30:00Z'))).toBe(true);
    expect(windowActive(w, at('2026-03-22T21:30:00Z'))).toBe(false);
  });

  it('Europe/Berlin: a window over the fall-back night lasts its minutes of real time', () => {
    // Saturday 2026-10-24 23:00 CEST (21:00 UTC) + 4 h; at 03:00 CEST clocks go back to 02:00.
    const w = weekly(['sat'], '23:00', 240, 'Europe/Berlin');
    expect(windowActive(w, at('2026-10-24T21:00:00Z'))).toBe(true);
    expect(windowActive(w, at('2026-10-25T00:59:00Z'))).toBe(true);
    expect(windowActive(w, at('2026-10-25T01:01:00Z'))).toBe(false);
    // The Sunday 23:00 after it is 23:00 CET: 22:00 UTC.
    const sun = weekly(['sun'], '23:00', 60, 'Europe/Berlin');
    expect(windowActive(sun, at('2026-10-25T21:30:00Z'))).toBe(false);
    expect(windowActive(sun, at('2026-10-25T22:30:00Z'))).toBe(true);
  });

  it('America/New_York: Sunday 23:00 + 2 h on the spring-forward Sunday, and Monday 01:30 after it', () => {
    // 2026-03-08: 02:00 EST -> 03:00 EDT; 23:00 EDT is 03:00 UTC the next day.
    const w = weekly(['sun'], '23:00', 120, 'America/New_York');
    expect(windowActive(w, at('2026-03-09T02:59:00Z'))).toBe(false);
    expect(windowActive(w, at('2026-03-09T03:00:00Z'))).toBe(true);
    expect(windowActive(w, at('2026-03-09T04:59:00Z'))).toBe(true);
    expect(windowActive(w, at('2026-03-09T05:01:00Z'))).toBe(false);
    const mon = weekly(['mon'], '01:30', 30, 'America/New_York');
    expect(windowActive(mon, at('2026-03-09T05:45:00Z'))).toBe(true); // 01:45 EDT
    expect(windowActive(mon, at('2026-03-09T06:45:00Z'))).toBe(false);
    // Fall back, 2026-11-01: Sunday 23:00 EST is 04:00 UTC on Monday.
    expect(windowActive(w, at('2026-11-02T03:30:00Z'))).toBe(false);
    expect(windowActive(w, at('2026-11-02T04:30:00Z'))).toBe(true);
  });

  it('reads `at` in the machine zone (TZ) when the window names none', () => {
    const script = `
      import { windowActive } from './electron/main/alerts/maintenance.ts';
      const w = { name: 'w', days: ['sun'], at: '23:00', minutes: 120 };
      console.log(JSON.stringify([
        windowActive(w, Date.parse('2026-03-29T22:59:00Z')),
        windowActive(w, Date.parse('2026-03-29T23:01:00Z')),
        windowActive(w, Date.parse('2026-03-09T04:59:00Z')),
      ]));`;
    const run = (tz: string) =>
      JSON.parse(
        execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
          cwd: ROOT,
          env: { ...process.env, TZ: tz },
          encoding: 'utf8',
        }),
      ) as boolean[];
    expect(run('Europe/Berlin')).toEqual([true, false, false]);
    expect(run('America/New_York')).toEqual([false, false, true]);
  }, 60_000);

  it('refuses an unknown time zone', () => {
    expect(
      MaintenanceSchema.safeParse({
        name: 'w',
        days: ['sun'],
        at: '23:00',
        minutes: 5,
        timeZone: 'Mars/Olympus',
      }).success,
    ).toBe(false);
  });
});
