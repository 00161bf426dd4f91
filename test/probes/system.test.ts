import { afterEach, describe, expect, it } from 'vitest';
import { SystemProbe } from '../../electron/main/probes/system';
import {
  cpuPercent,
  diskMounts,
  parseDefaultRoute,
  parseMemInfo,
  parseMounts,
  parseProcStat,
  RateMeter,
  usePercent,
} from '../../electron/main/probes/system-counters';
import { resolveWorkerScript } from '../../electron/main/workers/spawn-worker';

let probe: SystemProbe | undefined;
afterEach(async () => {
  await probe?.close();
  probe = undefined;
});

describe('system counters', () => {
  it('computes CPU use from /proc/stat, iowait counted as idle', () => {
    const a = parseProcStat('cpu  100 0 100 700 100 0 0 0 0 0\ncpu0 1 2 3 4\n')!;
    const b = parseProcStat('cpu  200 0 200 1200 200 0 0 0 0 0\ncpu0 1 2 3 4\n')!;
    expect(a).toEqual({ busy: 200, total: 1000 });
    expect(cpuPercent(a, b)).toBe(25);
    expect(cpuPercent(b, b)).toBeUndefined();
    expect(parseProcStat('intr 1 2 3')).toBeUndefined();
  });

  it('reads memory and swap from /proc/meminfo in bytes, MemAvailable as available', () => {
    const meminfo = [
      'MemTotal:        8000000 kB',
      'MemFree:          500000 kB',
      'MemAvailable:    2000000 kB',
      'Buffers:          100000 kB',
      'Cached:          1000000 kB',
      'SwapCached:            0 kB',
      'SwapTotal:       1000000 kB',
      'SwapFree:         750000 kB',
    ].join('\n');
    expect(parseMemInfo(meminfo)).toEqual({
      total: 8_192_000_000,
      available: 2_048_000_000,
      swapTotal: 1_024_000_000,
      swapFree: 768_000_000,
    });
    const oldKernel = meminfo.replace(/^MemAvailable:.*\n/m, '');
    expect(parseMemInfo(oldKernel)?.available).toBe(1_600_000 * 1024);
    expect(parseMemInfo('SwapTotal: 0 kB')).toBeUndefined();
  });

  it('gives no network rate on the first reading or after a counter reset', () => {
    const m = new RateMeter();
    expect(m.next(1000, 0)).toBeNull();
    expect(m.next(3000, 2000)).toBe(1000);
    expect(m.next(500, 3000)).toBeNull();
    expect(m.next(1500, 4000)).toBe(1000);
  });

  it('finds the default route with the lowest metric', () => {
    const route = [
      'Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT',
      'wlan0\t00000000\t0101A8C0\t0003\t0\t0\t600\t00000000\t0\t0\t0',
      'eth0\t00000000\t0100A8C0\t0003\t0\t0\t100\t00000000\t0\t0\t0',
      'eth0\t0000A8C0\t00000000\t0001\t0\t0\t100\t00FFFFFF\t0\t0\t0',
    ].join('\n');
    expect(parseDefaultRoute(route)).toBe('eth0');
    expect(parseDefaultRoute('Iface\tDestination\n')).toBeUndefined();
  });
});

describe('disk use from mounts and statfs', () => {
  it('keeps one entry per real device, skipping pseudo and network file systems', () => {
    const mounts = parseMounts(
      [
        'proc /proc proc rw 0 0',
        '/dev/vda1 / ext4 rw 0 0',
        'tmpfs /run tmpfs rw 0 0',
        '/dev/vda1 /var/lib/bind ext4 rw 0 0',
        '/dev/sdb1 /media/My\\040Disk vfat rw 0 0',
        'server:/export /mnt/nfs nfs4 rw 0 0',
        'overlay /var/lib/docker/x overlay rw 0 0',
        '',
      ].join('\n'),
    );
    expect(mounts[4]).toEqual({ device: '/dev/sdb1', mount: '/media/My Disk', type: 'vfat' });
    expect(diskMounts(mounts).map((m) => m.mount)).toEqual([
      '/',
      '/media/My Disk',
      '/var/lib/docker/x',
    ]);
  });

  it('computes use as df does, the root reserve not counted as free', () => {
    // 100 blocks, 40 free of which 30 are available to users: 60 / (60 + 30)
    expect(usePercent({ blocks: 100, bfree: 40, bavail: 30 })).toBeCloseTo(66.667, 3);
    expect(usePercent({ blocks: 0, bfree: 0, bavail: 0 })).toBeUndefined();
  });
});

describe('worker script resolution', () => {
  it('runs the .ts worker through tsx from sources and the sibling .js from a bundle', () => {
    const caller = new URL('../../electron/main/probes/system.ts', import.meta.url).href;
    const fromTs = resolveWorkerScript(caller, 'system-worker');
    expect('bootstrap' in fromTs && fromTs.bootstrap).toContain(
      caller.replace('system.ts', 'system-worker.ts'),
    );
    expect(() => resolveWorkerScript('file:///nowhere/out/main/cli.js', 'system-worker')).toThrow(
      'worker script system-worker.js not found (looked in /nowhere/out/main/system-worker.js, /nowhere/out/system-worker.js)',
    );
  });
});

describe('SystemProbe (real systeminformation in a worker thread)', () => {
  it('collects metrics, with CPU and network rates on the first tick (measured over its baseline window) and slow values repeated', async () => {
    probe = await SystemProbe.start();
    const first = await probe.collect({ slow: true });
    expect(first.mem).toBeGreaterThan(0);
    expect(first.mem).toBeLessThanOrEqual(100);
    if (process.platform !== 'win32') expect(first.load1).toBeGreaterThanOrEqual(0);
    expect(first.cpu).toBeGreaterThanOrEqual(0);
    if ('rx' in first) {
      expect(first.rx).toBeGreaterThanOrEqual(0);
      expect(first.tx).toBeGreaterThanOrEqual(0);
    }
    expect(first.disk && Object.keys(first.disk).length).toBeGreaterThan(0);
    for (const pct of Object.values(first.disk ?? {})) expect(pct).toBeGreaterThanOrEqual(0);
    // Absent where the OS has no sensor: never a made-up zero.
    if ('temp' in first) expect(first.temp).toBeGreaterThan(0);
    if ('battery' in first) expect(first.battery).toBeGreaterThanOrEqual(0);

    await new Promise((r) => setTimeout(r, 300));
    const second = await probe.collect({ slow: false });
    expect(second.cpu).toBeGreaterThanOrEqual(0);
    expect(second.cpu).toBeLessThanOrEqual(100);
    if ('rx' in second) {
      expect(typeof second.rx).toBe('number');
      expect(typeof second.tx).toBe('number');
    }
    expect(second.disk).toEqual(first.disk);
  });

  it('replaces a worker that died, and refuses to collect after close', async () => {
    probe = await SystemProbe.start();
    const worker = (probe as unknown as { worker: import('node:worker_threads').Worker }).worker;
    await worker.terminate();
    await new Promise((r) => setTimeout(r, 50));
    const s = await probe.collect({ slow: false });
    expect(s.mem).toBeGreaterThan(0);
    await probe.close();
    await expect(probe.collect({ slow: false })).rejects.toThrow('system probe is closed');
  });

  it('a collection that hangs past its timeout is an error, and the next one works', async () => {
    probe = await SystemProbe.start({ collectTimeoutMs: 1 });
    await expect(probe.collect({ slow: true })).rejects.toThrow(
      'system metrics timed out after 1 ms',
    );
    await probe.close();
    probe = await SystemProbe.start();
    expect((await probe.collect({ slow: false })).mem).toBeGreaterThan(0);
  });
});
