import type { Sample, SystemSample } from '../../../shared/sample';

interface TargetSlots<S> {
  up: S;
  ms?: S;
  ttfb?: S;
  cert?: S;
  m: Map<string, S>;
}

const SYS_FIELDS = ['cpu', 'mem', 'swap', 'load1', 'load5', 'load15', 'temp', 'battery'] as const;

/**
 * Visits every numeric value of a sample with the slot kept for its series, the same
 * values and names as forEachValue (shared/series.ts). Slots are cached by target id and
 * field, so the hot loop never builds a series name: with tens of series per sample and
 * tens of thousands of samples, building and hashing names was most of the analysis time.
 */
export class SampleWalker<S> {
  private readonly sys = new Map<string, S>();
  private readonly disk = new Map<string, S>();
  private readonly tg = new Map<string, TargetSlots<S>>();

  constructor(private readonly slotOf: (series: string) => S) {}

  walk(sample: Sample, visit: (slot: S, v: number) => void): void {
    const sys = sample.sys;
    if (sys) this.walkSystem(sys, visit);
    for (const id in sample.tg) {
      const s = sample.tg[id];
      let slots = this.tg.get(id);
      if (!slots) {
        slots = { up: this.slotOf(`tg.${id}.up`), m: new Map() };
        this.tg.set(id, slots);
      }
      visit(slots.up, s.up);
      // Latency of successful probes only: one definition at every tier (rollups, columns).
      if (s.ms !== undefined && s.up === 1) visit((slots.ms ??= this.slotOf(`tg.${id}.ms`)), s.ms);
      if (s.fb !== undefined) visit((slots.ttfb ??= this.slotOf(`tg.${id}.ttfb`)), s.fb);
      if (s.cd !== undefined) visit((slots.cert ??= this.slotOf(`tg.${id}.cert`)), s.cd);
      if (s.m)
        for (const k in s.m) {
          let slot = slots.m.get(k);
          if (slot === undefined) {
            slot = this.slotOf(`tg.${id}.m.${k}`);
            slots.m.set(k, slot);
          }
          visit(slot, s.m[k]);
        }
    }
  }

  private walkSystem(sys: SystemSample, visit: (slot: S, v: number) => void): void {
    for (const f of SYS_FIELDS) {
      const v = sys[f];
      if (v !== undefined) visit(this.cached(this.sys, f, `sys.${f}`), v);
    }
    if (typeof sys.rx === 'number') visit(this.cached(this.sys, 'rx', 'sys.net.rx'), sys.rx);
    if (typeof sys.tx === 'number') visit(this.cached(this.sys, 'tx', 'sys.net.tx'), sys.tx);
    if (sys.disk)
      for (const mount in sys.disk)
        visit(this.cached(this.disk, mount, `sys.disk.${mount}`), sys.disk[mount]);
  }

  private cached(map: Map<string, S>, key: string, series: string): S {
    let slot = map.get(key);
    if (slot === undefined) {
      slot = this.slotOf(series);
      map.set(key, slot);
    }
    return slot;
  }
}
