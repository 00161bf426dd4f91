import type {
  FieldError,
  MonitorApi,
  ReportFile,
  ReportRequest,
  Unsubscribe,
} from '../../../shared/api';
import type { WindowAnalysis } from '../../../shared/analysis';
import type { Config, RuleInput, TargetInput } from '../../../shared/config-schema';
import type { AlertEvent } from '../../../shared/events';
import type { HealthSnapshot } from '../../../shared/health';
import type { QueryRequest, QueryResult } from '../../../shared/query';
import type { ProbeResult, Sample } from '../../../shared/sample';

/** Must match electron/main/server/auth.ts. */
const TOKEN_HEADER = 'x-opspulse-token';

type Params = Record<string, string | number | string[] | undefined>;

/**
 * MonitorApi over `opspulse serve`: JSON over fetch for calls, one EventSource for live
 * samples and health shared by all subscribers, reconnecting on its own.
 */
export class HttpMonitorApi implements MonitorApi {
  private source: EventSource | null = null;
  private readonly sampleSubs = new Set<(s: Sample) => void>();
  private readonly healthSubs = new Set<(h: HealthSnapshot) => void>();

  constructor(
    private readonly base: string,
    private readonly token: string | null,
  ) {}

  private url(path: string, params: Params = {}): string {
    const u = new URL(path, this.base);
    for (const [k, v] of Object.entries(params)) {
      if (v === undefined) continue;
      if (Array.isArray(v)) for (const item of v) u.searchParams.append(k, item);
      else u.searchParams.set(k, String(v));
    }
    return u.toString();
  }

  private async call<T>(
    method: string,
    path: string,
    params: Params = {},
    body?: unknown,
  ): Promise<T> {
    const headers: Record<string, string> = {};
    if (this.token) headers[TOKEN_HEADER] = this.token;
    if (body !== undefined || method !== 'GET') headers['content-type'] = 'application/json';
    const res = await fetch(this.url(path, params), {
      method,
      headers,
      body: body === undefined ? (method === 'GET' ? undefined : '{}') : JSON.stringify(body),
      credentials: 'omit',
    });
    const text = await res.text();
    let data: unknown;
    try {
      data = text ? JSON.parse(text) : null;
    } catch {
      throw new Error(`${method} ${path}: HTTP ${res.status}, not JSON`);
    }
    if (!res.ok) {
      const err = (data ?? {}) as { error?: string; errors?: FieldError[] };
      if (res.status === 400 && Array.isArray(err.errors) && err.errors.length > 0)
        throw err.errors;
      throw new Error(err.error ?? `${method} ${path}: HTTP ${res.status}`);
    }
    return data as T;
  }

  getConfig(): Promise<Config> {
    return this.call('GET', '/api/config');
  }
  saveTarget(target: TargetInput): Promise<Config> {
    return this.call('PUT', '/api/targets', {}, target);
  }
  deleteTarget(id: string): Promise<Config> {
    return this.call('DELETE', `/api/targets/${encodeURIComponent(id)}`);
  }
  setTargetEnabled(id: string, enabled: boolean): Promise<Config> {
    return this.call('POST', `/api/targets/${encodeURIComponent(id)}/enabled`, {}, { enabled });
  }
  saveRule(rule: RuleInput): Promise<Config> {
    return this.call('PUT', '/api/rules', {}, rule);
  }
  deleteRule(id: string): Promise<Config> {
    return this.call('DELETE', `/api/rules/${encodeURIComponent(id)}`);
  }
  setRuleEnabled(id: string, enabled: boolean): Promise<Config> {
    return this.call('POST', `/api/rules/${encodeURIComponent(id)}/enabled`, {}, { enabled });
  }
  testTarget(target: TargetInput): Promise<ProbeResult> {
    return this.call('POST', '/api/test', {}, target);
  }
  query(req: QueryRequest): Promise<QueryResult> {
    return this.call('GET', '/api/query', {
      from: req.from,
      to: req.to,
      maxPoints: req.maxPoints,
      series: req.series,
    });
  }
  analyze(range: { from: number; to: number }): Promise<WindowAnalysis> {
    return this.call('GET', '/api/analyze', range);
  }
  health(): Promise<HealthSnapshot> {
    return this.call('GET', '/api/health');
  }
  events(filter: { since: number; target?: string }): Promise<AlertEvent[]> {
    return this.call('GET', '/api/events', filter);
  }
  exportReport(req: ReportRequest): Promise<ReportFile> {
    return this.call('GET', '/api/report', {
      from: req.from,
      to: req.to,
      format: req.format,
      targets: req.targets,
    });
  }
  setPaused(paused: boolean): Promise<HealthSnapshot> {
    return this.call('POST', '/api/paused', {}, { paused });
  }
  mute(until: number, target?: string): Promise<HealthSnapshot> {
    return this.call('POST', '/api/mute', {}, { until, target });
  }

  onSample(cb: (s: Sample) => void): Unsubscribe {
    this.sampleSubs.add(cb);
    this.ensureStream();
    return () => this.unsubscribe(() => this.sampleSubs.delete(cb));
  }
  onHealth(cb: (h: HealthSnapshot) => void): Unsubscribe {
    this.healthSubs.add(cb);
    this.ensureStream();
    return () => this.unsubscribe(() => this.healthSubs.delete(cb));
  }

  private unsubscribe(remove: () => void): void {
    remove();
    if (this.sampleSubs.size === 0 && this.healthSubs.size === 0) {
      this.source?.close();
      this.source = null;
    }
  }

  /** EventSource cannot send headers, so the stream (a read) carries the token in the URL. */
  private ensureStream(): void {
    if (this.source) return;
    const src = new EventSource(this.url('/api/stream', { token: this.token ?? undefined }));
    src.addEventListener('sample', (ev) => {
      const s = JSON.parse((ev as MessageEvent<string>).data) as Sample;
      for (const cb of this.sampleSubs) cb(s);
    });
    src.addEventListener('health', (ev) => {
      const hs = JSON.parse((ev as MessageEvent<string>).data) as HealthSnapshot;
      for (const cb of this.healthSubs) cb(hs);
    });
    this.source = src;
  }
}
