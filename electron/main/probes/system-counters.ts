import { readFile } from 'node:fs/promises';

/**
 * Cheap counters for the per-tick system metrics on Linux. systeminformation reads the same
 * kernel counters but through a shell and several `cat` child processes per call
 * (MEASUREMENTS.md: networkStats 11 processes, currentLoad 3); reading the files directly
 * costs microseconds and blocks nothing.
 */

export interface CpuTimes {
  busy: number;
  total: number;
}

/** The aggregate `cpu` line of /proc/stat. iowait counts as idle, as top and htop count it. */
export function parseProcStat(text: string): CpuTimes | undefined {
  const line = text.split('\n', 1)[0];
  if (!line.startsWith('cpu ')) return undefined;
  // user nice system idle iowait irq softirq steal (guest is already inside user)
  const f = line.trim().split(/\s+/).slice(1, 9).map(Number);
  if (f.length < 4 || f.some((x) => !Number.isFinite(x))) return undefined;
  const total = f.reduce((a, b) => a + b, 0);
  const idle = f[3] + (f[4] ?? 0);
  return { busy: total - idle, total };
}

/** CPU use between two readings, percent of all cores; undefined when no time has passed. */
export function cpuPercent(prev: CpuTimes, cur: CpuTimes): number | undefined {
  const dt = cur.total - prev.total;
  if (dt <= 0) return undefined;
  return clampPct(((cur.busy - prev.busy) / dt) * 100);
}

export async function readProcStat(): Promise<CpuTimes | undefined> {
  return parseProcStat(await readFile('/proc/stat', 'utf8'));
}

export async function readIfaceBytes(
  iface: string,
): Promise<{ rx: number; tx: number } | undefined> {
  // The name comes from the kernel's own list, but keep it one path segment regardless.
  if (!/^[A-Za-z0-9_.:@-]+$/.test(iface) || iface === '.' || iface === '..') return undefined;
  const base = `/sys/class/net/${iface}/statistics/`;
  const [rx, tx] = await Promise.all([
    readFile(base + 'rx_bytes', 'utf8'),
    readFile(base + 'tx_bytes', 'utf8'),
  ]);
  const r = Number(rx.trim());
  const t = Number(tx.trim());
  return Number.isFinite(r) && Number.isFinite(t) ? { rx: r, tx: t } : undefined;
}

/**
 * Bytes per second from a growing counter. The first reading has no rate (null, never a
 * made-up 0), and neither does one after the counter went backwards (interface reset).
 */
export class RateMeter {
  private last: { value: number; at: number } | undefined;

  next(value: number, atMs: number): number | null {
    const prev = this.last;
    this.last = { value, at: atMs };
    if (!prev || atMs <= prev.at || value < prev.value) return null;
    return ((value - prev.value) * 1000) / (atMs - prev.at);
  }

  reset(): void {
    this.last = undefined;
  }
}

export function clampPct(x: number): number {
  return Math.min(100, Math.max(0, x));
}

export function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

/** The interface of the default route in /proc/net/route (lowest metric wins). */
export function parseDefaultRoute(text: string): string | undefined {
  let best: { iface: string; metric: number } | undefined;
  for (const line of text.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 8 || f[1] !== '00000000' || f[7] !== '00000000') continue;
    const metric = Number(f[6]);
    if (!best || metric < best.metric) best = { iface: f[0], metric };
  }
  return best?.iface;
}

export async function readDefaultRoute(): Promise<string | undefined> {
  return parseDefaultRoute(await readFile('/proc/net/route', 'utf8'));
}
