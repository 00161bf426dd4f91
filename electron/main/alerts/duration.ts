const UNIT_MS: Record<string, number> = {
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 7 * 86_400_000,
};

/** `90s`, `30m`, `1h30m`, `7d`, `2w` in milliseconds; throws a message naming the option. */
export function parseDuration(text: string, option = 'duration'): number {
  const s = text.trim().toLowerCase();
  if (!/^(\d+(\.\d+)?[smhdw])+$/.test(s))
    throw new Error(`${option}: "${text}" is not a duration (use e.g. 90s, 30m, 1h30m, 24h, 7d)`);
  let ms = 0;
  for (const m of s.matchAll(/(\d+(?:\.\d+)?)([smhdw])/g)) ms += Number(m[1]) * UNIT_MS[m[2]];
  if (ms <= 0) throw new Error(`${option}: "${text}" must be longer than zero`);
  return ms;
}

/** `--since`: a duration back from now (`24h`) or a date/time (`2026-11-25`, ISO). */
export function parseSince(text: string, now: number): number {
  if (/^\d{4}-\d{2}-\d{2}/.test(text.trim())) {
    const t = Date.parse(text);
    if (Number.isNaN(t)) throw new Error(`--since: "${text}" is not a valid date`);
    return t;
  }
  return now - parseDuration(text, '--since');
}
