/**
 * Local calendar days in an IANA time zone, computed with Intl only: a day runs from one
 * local midnight to the next, so a DST change day is 23 or 25 hours long.
 */
export interface LocalDay {
  /** YYYY-MM-DD in the time zone. */
  label: string;
  start: number;
  end: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * A cached en-CA formatter for the zone (en-CA writes dates as YYYY-MM-DD, which also sorts
 * as text); with `withTime`, also 24-hour hours and minutes. Building one costs far more
 * than using it.
 */
export function zoneFormatter(timeZone: string, withTime = false): Intl.DateTimeFormat {
  const key = `${withTime ? 't' : 'd'}|${timeZone}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      ...(withTime ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } : {}),
    });
    formatters.set(key, f);
  }
  return f;
}

let systemZone: string | undefined;

/** The system's time zone, e.g. "Europe/Berlin" (resolving it costs a few ms: cached). */
export function defaultTimeZone(): string {
  systemZone ??= Intl.DateTimeFormat().resolvedOptions().timeZone;
  return systemZone;
}

/** Throws a readable error for a time zone Intl does not know. */
export function checkTimeZone(timeZone: string): void {
  try {
    zoneFormatter(timeZone);
  } catch {
    throw new Error(`unknown time zone "${timeZone}" (use an IANA name such as Europe/Berlin)`);
  }
}

export function localDate(t: number, timeZone: string): string {
  return zoneFormatter(timeZone).format(t);
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The first millisecond whose local date is after the local date of t. */
export function nextLocalMidnight(t: number, timeZone: string): number {
  const today = localDate(t, timeZone);
  // No zone shifts by more than a day, so the boundary lies within (t, t + 27 h]; the
  // search narrows to the exact millisecond, which handles midnights skipped by DST.
  let lo = t;
  let hi = t + DAY + 3 * HOUR;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (localDate(mid, timeZone) > today) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** The local days overlapping [from, to), each clipped to the window. */
export function localDays(from: number, to: number, timeZone: string): LocalDay[] {
  const out: LocalDay[] = [];
  let start = from;
  while (start < to) {
    const next = nextLocalMidnight(start, timeZone);
    out.push({ label: localDate(start, timeZone), start, end: Math.min(next, to) });
    start = next;
  }
  return out;
}

/**
 * Finds the day holding t among sorted days, moving forward from a hint: samples arrive in
 * time order, so the pointer only ever walks forward a step at a time.
 */
export function dayIndexFrom(days: readonly LocalDay[], t: number, hint: number): number {
  let i = Math.max(0, hint);
  while (i < days.length - 1 && t >= days[i].end) i++;
  return i;
}

const ZONED = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?$/;

/** The zone's offset from UTC at instant t, in ms (positive east of Greenwich). */
function zoneOffset(t: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(t);
  const p = Object.fromEntries(parts.map((x) => [x.type, Number(x.value)]));
  const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return wall - Math.floor(t / 1000) * 1000;
}

/**
 * A date or date-time as the report's --from/--to take it, one rule for all forms: with an
 * explicit offset or Z it is that instant; without one ("2026-11-24", "2026-11-24T00:00")
 * it is wall-clock time in `timeZone` (a date alone: its local midnight). A wall time that
 * a DST change skips is read with the offset before the change. Null when not a date.
 */
export function parseZonedTime(text: string, timeZone: string): number | null {
  const m = ZONED.exec(text.trim());
  if (m === null) {
    if (!/(Z|[+-]\d{2}:?\d{2})$/i.test(text.trim())) return null;
    const t = Date.parse(text);
    return Number.isFinite(t) ? t : null;
  }
  const [y, mo, d, h, mi, s, ms] = m.slice(1).map((x) => (x === undefined ? 0 : Number(x)));
  const wall = Date.UTC(y, mo - 1, d, h, mi, s, ms);
  const check = new Date(wall);
  if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return null;
  // The offset at the guess, then at the result: right on both sides of a DST change.
  const first = wall - zoneOffset(wall, timeZone);
  return wall - zoneOffset(first, timeZone);
}
