import { readFile, statfs } from 'node:fs/promises';

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
  const mounts = diskMounts(parseMounts(await readFile('/proc/self/mounts', 'utf8')));
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
