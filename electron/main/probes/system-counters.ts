import { readFileSync } from 'node:fs';
import { statfs } from 'node:fs/promises';

/**
 * Cheap counters for the per-tick system metrics on Linux. systeminformation reads the same
 * kernel counters but through a shell and several `cat` child processes per call
 * (counted: networkStats starts 11 processes, currentLoad 3); reading the files directly
 * costs microseconds.
 *
 * The per-tick files (/proc and /sys, which the kernel answers from memory) are read
 * synchronously: this runs in the system worker, whose thread is there to block, and an
 * async read is four or five thread-pool round trips per file, each waking two threads.
 * Disk use stays asynchronous: statfs on a stuck mount can hang, and a hung thread-pool
 * call leaves the worker able to answer (and be replaced) where a hung sync call would not.
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

/** Reads a kernel-generated file; undefined where it does not exist or cannot be read. */
function readKernelFile(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

export function readProcStat(): CpuTimes | undefined {
  const text = readKernelFile('/proc/stat');
  return text === undefined ? undefined : parseProcStat(text);
}

export interface MemInfo {
  /** Bytes. */
  total: number;
  available: number;
  swapTotal: number;
  swapFree: number;
}

/** /proc/meminfo as systeminformation's mem() reads it (kB lines, MemAvailable for "available"). */
export function parseMemInfo(text: string): MemInfo | undefined {
  // One pass over the lines: this runs every tick.
  const kbOf = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^(\w+):\s+(\d+)/.exec(line);
    if (m) kbOf.set(m[1], Number(m[2]) * 1024);
  }
  const kb = (name: string): number | undefined => kbOf.get(name);
  const total = kb('MemTotal');
  // Kernels before 3.14 have no MemAvailable; free + buffers + cache is what it estimates.
  const available =
    kb('MemAvailable') ?? (kb('MemFree') ?? 0) + (kb('Buffers') ?? 0) + (kb('Cached') ?? 0);
  if (total === undefined || total <= 0) return undefined;
  return { total, available, swapTotal: kb('SwapTotal') ?? 0, swapFree: kb('SwapFree') ?? 0 };
}

export function readMemInfo(): MemInfo | undefined {
  const text = readKernelFile('/proc/meminfo');
  return text === undefined ? undefined : parseMemInfo(text);
}

export function readIfaceBytes(iface: string): { rx: number; tx: number } | undefined {
  // The name comes from the kernel's own list, but keep it one path segment regardless.
  if (!/^[A-Za-z0-9_.:@-]+$/.test(iface) || iface === '.' || iface === '..') return undefined;
  const base = `/sys/class/net/${iface}/statistics/`;
  const rx = readKernelFile(base + 'rx_bytes');
  const tx = readKernelFile(base + 'tx_bytes');
  if (rx === undefined || tx === undefined) return undefined;
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

export function readDefaultRoute(): string | undefined {
  const text = readKernelFile('/proc/net/route');
  return text === undefined ? undefined : parseDefaultRoute(text);
}

/**
 * File systems whose "use" says nothing about free disk space (pseudo, memory, images), and
 * network ones: a dead NFS server would hang the call that asks.
 */
export const SKIP_FS = new Set([
  'proc',
  'sysfs',
  'devtmpfs',
  'devpts',
  'tmpfs',
  'ramfs',
  'squashfs',
  'cgroup',
  'cgroup2',
  'autofs',
  'efivarfs',
  'nsfs',
  'securityfs',
  'debugfs',
  'tracefs',
  'pstore',
  'bpf',
  'mqueue',
  'hugetlbfs',
  'configfs',
  'fusectl',
  'binfmt_misc',
  'rpc_pipefs',
  'nfs',
  'nfs4',
  'cifs',
  'smbfs',
  'smb3',
  'sshfs',
  'fuse.sshfs',
  'fuse.snapfuse',
  'fuse.portal',
  'fuse.gvfsd-fuse',
  '9p',
]);

export interface MountEntry {
  device: string;
  mount: string;
  type: string;
}

/** /proc/self/mounts lines; spaces and the like in paths come escaped in octal (\040). */
export function parseMounts(text: string): MountEntry[] {
  const unescape = (x: string): string =>
    x.replace(/\\([0-7]{3})/g, (_m, oct: string) => String.fromCharCode(parseInt(oct, 8)));
  const out: MountEntry[] = [];
  for (const line of text.split('\n')) {
    const f = line.split(' ');
    if (f.length < 3) continue;
    out.push({ device: unescape(f[0]), mount: unescape(f[1]), type: f[2] });
  }
  return out;
}

/** The mounts worth a disk-use figure: one per device (bind mounts repeat it), real ones only. */
export function diskMounts(mounts: readonly MountEntry[]): MountEntry[] {
  const seen = new Set<string>();
  return mounts.filter((m) => {
    if (SKIP_FS.has(m.type) || seen.has(m.device)) return false;
    seen.add(m.device);
    return true;
  });
}

/** Percent used as df computes it: space held by the root reserve does not count as free. */
export function usePercent(st: {
  blocks: number;
  bfree: number;
  bavail: number;
}): number | undefined {
  const used = st.blocks - st.bfree;
  const avail = used + st.bavail;
  return st.blocks > 0 && avail > 0 ? clampPct((used / avail) * 100) : undefined;
}

/** Disk use per mount point on Linux with statfs: no `df` child processes. */
export async function readDiskUse(): Promise<Record<string, number>> {
  const mounts = diskMounts(parseMounts(readKernelFile('/proc/self/mounts') ?? ''));
  const uses = await Promise.all(
    mounts.map((m) =>
      statfs(m.mount).then(
        (st) => usePercent(st),
        () => undefined,
      ),
    ),
  );
  const out: Record<string, number> = {};
  mounts.forEach((m, i) => {
    const u = uses[i];
    if (u !== undefined) out[m.mount] = round2(u);
  });
  return out;
}
