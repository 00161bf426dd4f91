import os from 'node:os';
import si from 'systeminformation';
import type { SystemSample } from '../../../shared/sample';
import {
  clampPct,
  cpuPercent,
  RateMeter,
  readDefaultRoute,
  readIfaceBytes,
  readDiskUse,
  readMemInfo,
  readProcStat,
  round2,
  SKIP_FS,
  type CpuTimes,
  type MemInfo,
} from './system-counters';

const MIN_CPU_WINDOW_MS = 250;

type SlowPart = Pick<SystemSample, 'disk' | 'temp' | 'battery'>;

/**
 * Reads the machine's metrics. Meant to run inside the system worker: systeminformation
 * blocks its thread with execSync on some calls. On Linux CPU, memory, network and disk
 * come straight from /proc, /sys and statfs; elsewhere from systeminformation. The slow
 * part (disk, temperature, battery) is read when asked and repeated on the ticks between.
 */
export class SystemSampler {
  private readonly linux = process.platform === 'linux';
  private cpuPrev: { times: CpuTimes; at: number } | undefined;
  private iface: string | undefined;
  private readonly rx = new RateMeter();
  private readonly tx = new RateMeter();
  private slowPart: SlowPart = {};
  /** Sensors the OS reports; asked for once at start, since machines do not grow sensors. */
  private hasTemp = false;
  private hasBattery = false;
  /** When the baseline readings were taken; cleared once the first sample is out. */
  private baselineAt: number | undefined;

  private constructor(private readonly now: () => number) {}

  /** Takes the baselines (CPU counters, network interface) so the first sample is cheap. */
  static async create(now: () => number = Date.now): Promise<SystemSampler> {
    const s = new SystemSampler(now);
    await s.refreshIface();
    // systeminformation spawns several processes per temperature call; where the answer is
    // "no sensor" there is no point asking again every slow tick.
    const [temp, battery] = await Promise.all([
      si.cpuTemperature().catch(() => undefined),
      si.battery().catch(() => undefined),
    ]);
    s.hasTemp = validTemp(temp) !== undefined;
    s.hasBattery = validBattery(battery) !== undefined;
    // CPU % and network rates are differences between two readings: take the first here,
    // so the first sample (the one `collect --once` prints) has them too.
    if (s.linux) {
      const times = readProcStat();
      if (times) s.cpuPrev = { times, at: now() };
    }
    // The first currentLoad call costs about half a second; pay it here, not on a tick.
    else await si.currentLoad().catch(() => undefined);
    await s.net().catch(() => undefined);
    s.baselineAt = now();
    return s;
  }

  async sample(slow: boolean): Promise<SystemSample> {
    await this.firstWindow();
    if (slow) await this.refreshSlow();
    const [cpu, mem, net] = await Promise.all([
      this.cpu().catch(() => undefined),
      this.mem().catch(() => undefined),
      this.net().catch(() => undefined),
    ]);
    const out: SystemSample = {};
    if (cpu !== undefined) out.cpu = round2(cpu);
    if (mem && mem.total > 0) {
      out.mem = round2(clampPct(((mem.total - mem.available) / mem.total) * 100));
      if (mem.swapTotal > 0)
        out.swap = round2(clampPct(((mem.swapTotal - mem.swapFree) / mem.swapTotal) * 100));
    }
    // Windows has no load average and reports zeros; absent beats a false 0.
    if (process.platform !== 'win32') {
      const [l1, l5, l15] = os.loadavg();
      out.load1 = round2(l1);
      out.load5 = round2(l5);
      out.load15 = round2(l15);
    }
    if (net) {
      out.rx = net.rx;
      out.tx = net.tx;
    }
    return { ...out, ...this.slowPart };
  }

  /**
   * The first sample may be asked for right after create(): wait until the window since the
   * baseline is long enough to measure (the kernel counts CPU time in 10 ms ticks).
   */
  private async firstWindow(): Promise<void> {
    if (this.baselineAt === undefined) return;
    const wait = this.baselineAt + MIN_CPU_WINDOW_MS - this.now();
    this.baselineAt = undefined;
    if (wait > 0) await new Promise((r) => setTimeout(r, wait + 10));
  }

  private async cpu(): Promise<number | undefined> {
    if (!this.linux) {
      const load = await si.currentLoad();
      return Number.isFinite(load.currentLoad) ? clampPct(load.currentLoad) : undefined;
    }
    const times = readProcStat();
    if (!times) return undefined;
    const at = this.now();
    const prev = this.cpuPrev;
    // The kernel counts in 10 ms ticks: over a shorter window the figure is mostly rounding,
    // so report nothing yet and keep measuring from the same start.
    if (prev && at - prev.at < MIN_CPU_WINDOW_MS) return undefined;
    this.cpuPrev = { times, at };
    return prev ? cpuPercent(prev.times, times) : undefined;
  }

  private async mem(): Promise<MemInfo | undefined> {
    if (this.linux) return readMemInfo();
    const m = await si.mem();
    return { total: m.total, available: m.available, swapTotal: m.swaptotal, swapFree: m.swapfree };
  }

  private async net(): Promise<{ rx: number | null; tx: number | null } | undefined> {
    if (!this.iface) return undefined;
    if (!this.linux) {
      const [s] = await si.networkStats(this.iface);
      if (!s) return undefined;
      return { rx: roundRate(s.rx_sec), tx: roundRate(s.tx_sec) };
    }
    const bytes = readIfaceBytes(this.iface);
    if (!bytes) return undefined;
    const at = this.now();
    return { rx: roundRate(this.rx.next(bytes.rx, at)), tx: roundRate(this.tx.next(bytes.tx, at)) };
  }

  /** A laptop moves from wired to wireless; follow the default route, restarting the rates. */
  private async refreshIface(): Promise<void> {
    const iface = this.linux
      ? readDefaultRoute()
      : await si.networkInterfaceDefault().catch(() => undefined);
    if (iface !== this.iface) {
      this.iface = iface || undefined;
      this.rx.reset();
      this.tx.reset();
    }
  }

  private async disk(): Promise<Record<string, number>> {
    if (this.linux) return readDiskUse();
    const disk: Record<string, number> = {};
    for (const d of await si.fsSize()) {
      if (d.size > 0 && !SKIP_FS.has(d.type) && Number.isFinite(d.use) && !(d.mount in disk))
        disk[d.mount] = round2(d.use);
    }
    return disk;
  }

  private async refreshSlow(): Promise<void> {
    const [, disk, temp, battery] = await Promise.all([
      this.refreshIface(),
      this.disk().catch(() => undefined),
      this.hasTemp ? si.cpuTemperature().catch(() => undefined) : undefined,
      this.hasBattery ? si.battery().catch(() => undefined) : undefined,
    ]);
    const slow: SlowPart = {};
    if (disk && Object.keys(disk).length > 0) slow.disk = disk;
    const t = validTemp(temp);
    if (t !== undefined) slow.temp = round2(t);
    const b = validBattery(battery);
    if (b !== undefined) slow.battery = b;
    this.slowPart = slow;
  }
}

/** Where the OS has no sensor, systeminformation answers null or -1: that is "absent". */
function validTemp(t: si.Systeminformation.CpuTemperatureData | undefined): number | undefined {
  return t && typeof t.main === 'number' && t.main > 0 ? t.main : undefined;
}

function validBattery(b: si.Systeminformation.BatteryData | undefined): number | undefined {
  return b?.hasBattery && Number.isFinite(b.percent) ? b.percent : undefined;
}

function roundRate(x: number | null | undefined): number | null {
  return typeof x === 'number' && Number.isFinite(x) ? Math.round(x) : null;
}
