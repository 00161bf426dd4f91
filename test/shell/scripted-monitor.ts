import type { MonitorApi, ReportFile, ReportRequest, Unsubscribe } from '../../shared/api';
import type { Config } from '../../shared/config-schema';
import type { HealthSnapshot, TargetHealth } from '../../shared/health';
import type { Notification } from '../../shared/notification';
import type { Sample } from '../../shared/sample';

/**
 * A small in-memory core for driving the shell: health, pause, mute and reports behave
 * like the real Monitor's contract; the rest answers with a clear rejection. The real
 * Monitor is exercised end to end in shell-worker.test.ts.
 */
export class ScriptedMonitor implements MonitorApi {
  readonly calls: { method: string; args: unknown[] }[] = [];
  private snapshot: HealthSnapshot;
  private readonly healthCbs = new Set<(h: HealthSnapshot) => void>();
  private readonly sampleCbs = new Set<(s: Sample) => void>();
  private readonly notifyCbs = new Set<(n: Notification) => void>();

  constructor(targets: TargetHealth[] = [], overall: HealthSnapshot['overall'] = 'ok') {
    this.snapshot = { t: 0, overall, summary: summarize(targets), targets, paused: false };
  }

  /** The core decided something new (a tick happened). */
  publish(patch: Partial<HealthSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...patch };
    for (const cb of this.healthCbs) cb(this.snapshot);
  }

  emitSample(s: Sample): void {
    for (const cb of this.sampleCbs) cb(s);
  }

  emitNotification(n: Notification): void {
    for (const cb of this.notifyCbs) cb(n);
  }

  onNotification(cb: (n: Notification) => void): Unsubscribe {
    this.notifyCbs.add(cb);
    return () => this.notifyCbs.delete(cb);
  }

  async health(): Promise<HealthSnapshot> {
    return this.snapshot;
  }

  async setPaused(paused: boolean): Promise<HealthSnapshot> {
    this.calls.push({ method: 'setPaused', args: [paused] });
    this.publish({ paused, overall: paused ? 'paused' : 'ok' });
    return this.snapshot;
  }

  async mute(until: number, target?: string): Promise<HealthSnapshot> {
    this.calls.push({ method: 'mute', args: target === undefined ? [until] : [until, target] });
    this.publish(until > 0 ? { mutedUntil: until } : { mutedUntil: undefined });
    return this.snapshot;
  }

  async exportReport(req: ReportRequest): Promise<ReportFile> {
    this.calls.push({ method: 'exportReport', args: [req] });
    const hours = Math.round((req.to - req.from) / 3_600_000);
    return {
      filename: `opspulse-report-${hours}h.${req.format}`,
      mime: 'text/plain',
      content: `report ${req.format} ${req.from}..${req.to}`,
    };
  }

  async getConfig(): Promise<Config> {
    this.calls.push({ method: 'getConfig', args: [] });
    return { targets: [] } as unknown as Config;
  }

  async deleteTarget(id: string): Promise<Config> {
    this.calls.push({ method: 'deleteTarget', args: [id] });
    throw Object.assign(new Error(`id: no target has id "${id}"`), {
      fields: [{ path: 'id', message: `no target has id "${id}"` }],
    });
  }

  onSample(cb: (s: Sample) => void): Unsubscribe {
    this.sampleCbs.add(cb);
    return () => this.sampleCbs.delete(cb);
  }

  onHealth(cb: (h: HealthSnapshot) => void): Unsubscribe {
    this.healthCbs.add(cb);
    return () => this.healthCbs.delete(cb);
  }

  saveTarget = unsupported('saveTarget');
  setTargetEnabled = unsupported('setTargetEnabled');
  saveRule = unsupported('saveRule');
  deleteRule = unsupported('deleteRule');
  setRuleEnabled = unsupported('setRuleEnabled');
  testTarget = unsupported('testTarget');
  query = unsupported('query');
  analyze = unsupported('analyze');
  events = unsupported('events');
}

function unsupported(method: string) {
  return async (): Promise<never> => {
    throw new Error(`${method} is not scripted in this test`);
  };
}

function summarize(targets: TargetHealth[]): string {
  return targets.length === 0 ? 'no targets' : `${targets.length} targets`;
}

/** A target's health; `crit` is a down target here (Critical needs its verdict set). */
export function target(id: string, state: TargetHealth['state'], figure: string): TargetHealth {
  return {
    id,
    name: id.toUpperCase(),
    state,
    figure,
    ...(state === 'crit' && { verdict: 'down' }),
  };
}
