import type {
  ConnectionStatus,
  FieldError,
  MonitorApi,
  ReportFile,
  ReportRequest,
  Unsubscribe,
} from '../../../shared/api';
import type { WindowAnalysis } from '../../../shared/analysis';
import type { AnomalyReport, ForecastReport } from '../../../shared/anomaly';
import type { Config, RuleInput, TargetInput, EmailInput } from '../../../shared/config-schema';
import type { AlertEvent } from '../../../shared/events';
import type { HealthSnapshot } from '../../../shared/health';
import type { QueryRequest, QueryResult } from '../../../shared/query';
import type { ProbeResult, Sample } from '../../../shared/sample';

/** Must match electron/main/server/auth.ts. */
const TOKEN_HEADER = 'x-opspulse-token';

type Params = Record<string, string | number | string[] | undefined>;

/** Still not back this long after the stream broke: "disconnected", not "reconnecting". */
const DISCONNECTED_AFTER_MS = 4_000;
/** A stream the browser gave up on (the server answered with an error) is reopened by hand. */
const REOPEN_AFTER_MS = 3_000;
/**
 * The server sends a `heartbeat` every 3 s (electron/main/server/sse.ts). This long without
 * any event means a server that hangs with its socket open, which the browser never
 * reports as an error: the stream is treated as broken and reopened.
 */
export const SILENT_AFTER_MS = 9_000;

/** What the browser's "Failed to fetch" means to the person reading it. */
export const UNREACHABLE = 'The OpsPulse server is not answering (stopped, or the network is down)';

/**
 * MonitorApi over `opspulse serve`: JSON over fetch for calls, one EventSource for live
 * samples and health shared by all subscribers, reconnecting on its own.
 */
export class HttpMonitorApi implements MonitorApi {
  private source: EventSource | null = null;
  private readonly sampleSubs = new Set<(s: Sample) => void>();
  private readonly healthSubs = new Set<(h: HealthSnapshot) => void>();
  private readonly connectionSubs = new Set<(c: ConnectionStatus) => void>();
  /** Optimistic until the stream says otherwise: the page was just served. */
  private connection: ConnectionStatus = { state: 'live', since: Date.now() };
  private downTimer: ReturnType<typeof setTimeout> | null = null;
  private reopenTimer: ReturnType<typeof setTimeout> | null = null;
  private silenceTimer: ReturnType<typeof setTimeout> | null = null;
  private lastEventAt = 0;

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
    let res: Response;
    try {
      res = await fetch(this.url(path, params), {
        method,
        headers,
        body: body === undefined ? (method === 'GET' ? undefined : '{}') : JSON.stringify(body),
        credentials: 'omit',
      });
    } catch (err) {
      if (err instanceof DOMException && err.name === 'AbortError') throw err;
      // fetch rejects only when no answer came at all: the server is gone.
      this.streamBroke();
      throw new Error(UNREACHABLE);
    }
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
  saveEmail(email: EmailInput | null): Promise<Config> {
    return this.call('PUT', '/api/settings/email', {}, email);
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
  anomalies(range: { from: number; to: number; series?: string }): Promise<AnomalyReport> {
    return this.call('GET', '/api/anomalies', range);
  }
  forecasts(): Promise<ForecastReport> {
    return this.call('GET', '/api/forecasts');
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
  onConnection(cb: (c: ConnectionStatus) => void): Unsubscribe {
    this.connectionSubs.add(cb);
    cb(this.connection);
    return () => this.connectionSubs.delete(cb);
  }

  private setConnection(state: ConnectionStatus['state']): void {
    if (this.connection.state === state) return;
    this.connection = { state, since: Date.now() };
    for (const cb of this.connectionSubs) cb(this.connection);
  }

  /** The stream or a call failed: reconnecting now, disconnected if it is not back soon. */
  private streamBroke(): void {
    if (this.connection.state === 'live') this.setConnection('reconnecting');
    this.downTimer ??= setTimeout(() => {
      this.downTimer = null;
      if (this.connection.state !== 'live') this.setConnection('disconnected');
    }, DISCONNECTED_AFTER_MS);
  }

  private unsubscribe(remove: () => void): void {
    remove();
    if (this.sampleSubs.size === 0 && this.healthSubs.size === 0) {
      this.source?.close();
      this.source = null;
      if (this.silenceTimer) clearTimeout(this.silenceTimer);
      this.silenceTimer = null;
    }
  }

  /** EventSource cannot send headers, so the stream (a read) carries the token in the URL. */
  private ensureStream(): void {
    if (this.source) return;
    const src = new EventSource(this.url('/api/stream', { token: this.token ?? undefined }));
    const heard = (): void => {
      this.lastEventAt = Date.now();
    };
    src.addEventListener('heartbeat', heard);
    src.addEventListener('sample', (ev) => {
      heard();
      const s = JSON.parse((ev as MessageEvent<string>).data) as Sample;
      for (const cb of this.sampleSubs) cb(s);
    });
    src.addEventListener('health', (ev) => {
      heard();
      const hs = JSON.parse((ev as MessageEvent<string>).data) as HealthSnapshot;
      for (const cb of this.healthSubs) cb(hs);
    });
    src.addEventListener('open', () => {
      heard();
      if (this.downTimer) clearTimeout(this.downTimer);
      this.downTimer = null;
      this.setConnection('live');
    });
    src.addEventListener('error', () => {
      this.streamBroke();
      // CLOSED: the browser will not retry (an error answer); CONNECTING: it retries itself.
      if (src.readyState !== EventSource.CLOSED || this.reopenTimer) return;
      this.reopenTimer = setTimeout(() => {
        this.reopenTimer = null;
        if (this.source !== src) return;
        this.source = null;
        this.ensureStream();
      }, REOPEN_AFTER_MS);
    });
    this.source = src;
    this.lastEventAt = Date.now();
    this.watchSilence(src);
  }

  /**
   * One timer per stream, pushed back to the last event rather than re-armed on each one.
   * When it finds the stream silent too long, the stream is broken: "reconnecting" at once,
   * "disconnected" if the fresh stream stays silent too, as for a server that is gone.
   */
  private watchSilence(src: EventSource): void {
    if (this.silenceTimer) clearTimeout(this.silenceTimer);
    const check = (): void => {
      this.silenceTimer = null;
      if (this.source !== src) return;
      const quietFor = Date.now() - this.lastEventAt;
      if (quietFor < SILENT_AFTER_MS) {
        this.silenceTimer = setTimeout(check, SILENT_AFTER_MS - quietFor);
        return;
      }
      this.streamBroke();
      src.close();
      this.source = null;
      this.ensureStream();
    };
    this.silenceTimer = setTimeout(check, SILENT_AFTER_MS);
  }
}
