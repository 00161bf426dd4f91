import type { ConnectionStatus, MonitorApi } from '../../shared/api';
import type { Config } from '../../shared/config-schema';
import type { HealthSnapshot } from '../../shared/health';
import type { Sample } from '../../shared/sample';
import { resolveRange, type Range, type RangeSpec } from './range';

type Listener<T> = (v: T) => void;

class Topic<T> {
  private readonly subs = new Set<Listener<T>>();
  on(fn: Listener<T>): () => void {
    this.subs.add(fn);
    return () => this.subs.delete(fn);
  }
  emit(v: T): void {
    for (const fn of this.subs) fn(v);
  }
}

/** What every view shares: the API, the chosen range, the config and the latest health. */
export class AppState {
  spec: RangeSpec = { preset: '24h' };
  range: Range = resolveRange(this.spec, Date.now());
  config: Config | null = null;
  health: HealthSnapshot | null = null;
  lastSample: Sample | null = null;
  /** Live until the transport says otherwise (IPC never does). */
  connection: ConnectionStatus = { state: 'live', since: Date.now() };
  /** Series seen in live samples (disk mounts, file metrics) that the config cannot name. */
  readonly seenSeries = new Set<string>();

  readonly rangeChanged = new Topic<Range>();
  readonly configChanged = new Topic<Config>();
  readonly healthChanged = new Topic<HealthSnapshot>();
  readonly sampled = new Topic<Sample>();
  readonly connectionChanged = new Topic<ConnectionStatus>();

  constructor(readonly api: MonitorApi) {}

  setRange(spec: RangeSpec): void {
    this.spec = spec;
    this.range = resolveRange(spec, Date.now());
    this.rangeChanged.emit(this.range);
  }

  /** A preset range slides with time; views call this before a query. */
  currentRange(): Range {
    if ('preset' in this.spec) this.range = resolveRange(this.spec, Date.now());
    return this.range;
  }

  setConfig(cfg: Config): void {
    this.config = cfg;
    this.configChanged.emit(cfg);
  }

  setHealth(h: HealthSnapshot): void {
    this.health = h;
    this.healthChanged.emit(h);
  }

  setConnection(c: ConnectionStatus): void {
    this.connection = c;
    this.connectionChanged.emit(c);
  }

  get live(): boolean {
    return this.connection.state === 'live';
  }

  addSample(s: Sample): void {
    this.lastSample = s;
    this.sampled.emit(s);
  }
}

export interface View {
  readonly el: HTMLElement;
  /** Loads data for the current range; called when shown and when the range changes. */
  refresh(): Promise<void>;
  /** Releases subscriptions and charts when the view is hidden. */
  hide(): void;
}
