import type { FieldError, MonitorApi, ReportFile, ReportRequest } from '../../shared/api';
import type { AlertEvent } from '../../shared/events';
import type { HealthSnapshot } from '../../shared/health';
import type { QueryRequest, QueryResult } from '../../shared/query';
import type { ProbeResult, Sample } from '../../shared/sample';
import type { WindowAnalysis } from '../../shared/analysis';
import {
  ConfigSchema,
  RuleSchema,
  TargetSchema,
  type Config,
  type RuleInput,
  type TargetInput,
} from '../../shared/config-schema';
import { toFieldErrors } from '../../electron/main/server/params';

/**
 * A small in-memory MonitorApi: the server's whole contract with the core, so the HTTP
 * layer is tested on its own. It validates with the real schema and emits real events.
 */
export class MemoryMonitor implements MonitorApi {
  config: Config = ConfigSchema.parse({});
  paused = false;
  readonly calls: string[] = [];
  private sampleSubs = new Set<(s: Sample) => void>();
  private healthSubs = new Set<(h: HealthSnapshot) => void>();

  get subscriberCount(): number {
    return this.sampleSubs.size + this.healthSubs.size;
  }

  async getConfig(): Promise<Config> {
    return this.config;
  }
  async saveTarget(input: TargetInput): Promise<Config> {
    this.calls.push(`saveTarget:${input.id}`);
    const r = TargetSchema.safeParse(input);
    if (!r.success) throw toFieldErrors(r.error);
    const rest = this.config.targets.filter((t) => t.id !== r.data.id);
    this.config = { ...this.config, targets: [...rest, r.data] };
    return this.config;
  }
  async deleteTarget(id: string): Promise<Config> {
    this.calls.push(`deleteTarget:${id}`);
    if (!this.config.targets.some((t) => t.id === id)) throw new Error(`no target "${id}"`);
    this.config = { ...this.config, targets: this.config.targets.filter((t) => t.id !== id) };
    return this.config;
  }
  async setTargetEnabled(id: string, enabled: boolean): Promise<Config> {
    this.calls.push(`setTargetEnabled:${id}:${enabled}`);
    // The core rejects like this (an Error carrying field errors, core/field-errors.ts).
    if (!this.config.targets.some((t) => t.id === id))
      throw Object.assign(new Error(`id: no target has id "${id}"`), {
        fields: [{ path: 'id', message: `no target has id "${id}"` }],
      });
    this.config = {
      ...this.config,
      targets: this.config.targets.map((t) => (t.id === id ? { ...t, enabled } : t)),
    };
    return this.config;
  }
  async saveRule(input: RuleInput): Promise<Config> {
    this.calls.push(`saveRule:${input.id}`);
    const r = RuleSchema.safeParse(input);
    if (!r.success) throw toFieldErrors(r.error);
    const rest = this.config.rules.filter((x) => x.id !== r.data.id);
    this.config = { ...this.config, rules: [...rest, r.data] };
    return this.config;
  }
  async deleteRule(id: string): Promise<Config> {
    this.calls.push(`deleteRule:${id}`);
    if (!this.config.rules.some((r) => r.id === id)) throw noRule(id);
    this.config = { ...this.config, rules: this.config.rules.filter((r) => r.id !== id) };
    return this.config;
  }
  async setRuleEnabled(id: string, enabled: boolean): Promise<Config> {
    this.calls.push(`setRuleEnabled:${id}:${enabled}`);
    if (!this.config.rules.some((r) => r.id === id)) throw noRule(id);
    this.config = {
      ...this.config,
      rules: this.config.rules.map((r) => (r.id === id ? { ...r, enabled } : r)),
    };
    return this.config;
  }
  async testTarget(input: TargetInput): Promise<ProbeResult> {
    this.calls.push(`testTarget:${input.id}`);
    return { up: true, ms: 1.5, status: 200, metrics: { confidence: 0.9 } };
  }
  async query(req: QueryRequest): Promise<QueryResult> {
    this.calls.push(`query:${req.series.join(',')}:${req.maxPoints}`);
    const n = Math.min(req.maxPoints, 10);
    const step = (req.to - req.from) / n;
    const t = Array.from({ length: n }, (_, i) => Math.round(req.from + i * step));
    const series: QueryResult['series'] = {};
    for (const s of req.series) {
      const avg = t.map((_, i) => i);
      series[s] = { avg, min: avg.map((v) => v - 1), max: avg.map((v) => v + 1) };
    }
    return { from: req.from, to: req.to, tier: '1m', step, t, series };
  }
  async analyze(range: { from: number; to: number }): Promise<WindowAnalysis> {
    return {
      ...range,
      intervalSec: this.config.interval,
      gapThresholdMs: this.config.interval * 2500,
      timeZone: 'UTC',
      tiers: [],
      exact: true,
      samples: 0,
      coveredMs: 0,
      gapMs: range.to - range.from,
      gaps: [],
      targets: [],
      system: [],
      days: [],
      timeline: { step: 0, t: [], series: {} },
      unknownTargets: [],
    };
  }
  async health(): Promise<HealthSnapshot> {
    return { t: 1, overall: 'ok', summary: 'all ok', targets: [], paused: this.paused };
  }
  async events(filter: { since: number; target?: string }): Promise<AlertEvent[]> {
    this.calls.push(`events:${filter.since}:${filter.target ?? ''}`);
    return [];
  }
  async exportReport(req: ReportRequest): Promise<ReportFile> {
    return { filename: `report.${req.format}`, mime: 'text/markdown', content: '# Report\n' };
  }
  async setPaused(paused: boolean): Promise<HealthSnapshot> {
    this.paused = paused;
    return this.health();
  }
  async mute(until: number, target?: string): Promise<HealthSnapshot> {
    this.calls.push(`mute:${until}:${target ?? ''}`);
    return this.health();
  }
  onSample(cb: (s: Sample) => void): () => void {
    this.sampleSubs.add(cb);
    return () => this.sampleSubs.delete(cb);
  }
  onHealth(cb: (h: HealthSnapshot) => void): () => void {
    this.healthSubs.add(cb);
    return () => this.healthSubs.delete(cb);
  }
  emitSample(s: Sample): void {
    for (const cb of this.sampleSubs) cb(s);
  }
  emitHealth(h: HealthSnapshot): void {
    for (const cb of this.healthSubs) cb(h);
  }
}

/** The core's rejection for an unknown rule id (core/field-errors.ts). */
function noRule(id: string): Error {
  return Object.assign(new Error(`id: no rule has id "${id}"`), {
    fields: [{ path: 'id', message: `no rule has id "${id}"` }],
  });
}

export type { FieldError };
