import type { Config, Rule, Target } from '../../../shared/config-schema';
import type { AlertEvent } from '../../../shared/events';
import {
  worstOf,
  type HealthSnapshot,
  type HealthState,
  type TargetHealth,
} from '../../../shared/health';
import type { Sample } from '../../../shared/sample';
import { flattenSample, parseTargetSeries } from '../../../shared/series';
import type { LineLogger, Notifier } from '../notifiers/notifier';
import { loadAlertState, saveAlertState, type AlertState, type KeyState } from './alert-state';
import {
  applyMute,
  mutedUntil,
  readControl,
  updateControl,
  type AlertControl,
} from './control-file';
import { EventLog, type EventFilter } from './event-log';
import { describeFigure, describeSystem, formatDuration, formatValue } from './format';
import { groupNotifications, type NotifyItem } from './group';
import { emptyRuns, step, type Hysteresis, type Level, type MachineState } from './hysteresis';
import { activeMaintenance } from './maintenance';
import { summarize } from './summarize';
import { levelFor, seriesMatcher, thresholdFor } from './threshold';

export interface AlertEngineOptions {
  dataDir: string;
  notifier: Notifier;
  now?: () => number;
  /** Where the engine reports its own trouble (state file damaged, disk errors). */
  log?: LineLogger;
}

/** Pseudo-target ids in snapshots; they cannot clash with real ids (no `@` allowed there). */
export const SYSTEM_ID = '@system';
export const STORAGE_ID = '@storage';

const DOWN_RULE = 'down';
const SAVE_EVERY_MS = 60_000;
/** Events kept in memory while the disk refuses them; a bound, not an expected size. */
const MAX_PENDING = 10_000;

type Notified = KeyState['notified'];

function notifiedClass(s: MachineState): Notified {
  return s === 'unknown' ? 'ok' : s;
}

/** Context of one tick, shared by the evaluation steps. */
interface Tick {
  t: number;
  config: Config;
  targets: Map<string, Target>;
  control: AlertControl;
  events: AlertEvent[];
  /** The key behind each event, in the same order. */
  eventKeys: KeyState[];
  /** Set when this sample is the first after collection stopped for a while. */
  gap?: { from: number; to: number };
}

/**
 * Turns samples into health: the up/down rule of every target and the threshold rules,
 * with hysteresis, flap suppression, dependencies, mutes and maintenance. Every
 * transition is appended to the incident log; at most one (grouped) notification leaves
 * per tick. State persists in <dataDir>/state/alerts.json, so a restart neither repeats
 * a "down" nor misses a recovery.
 */
export class AlertEngine {
  private pending: AlertEvent[] = [];
  private storage: { ok: boolean; error?: string } = { ok: true };
  private savedAt = 0;
  private readonly log: EventLog;

  private constructor(
    private readonly dataDir: string,
    private readonly notifier: Notifier,
    private readonly now: () => number,
    private readonly logger: LineLogger | undefined,
    private state: AlertState,
  ) {
    this.log = EventLog.forDataDir(dataDir);
  }

  static async open(opts: AlertEngineOptions): Promise<AlertEngine> {
    const now = opts.now ?? Date.now;
    const { state, problem } = loadAlertState(opts.dataDir, now());
    if (problem) opts.log?.warn(problem);
    return new AlertEngine(opts.dataDir, opts.notifier, now, opts.log, state);
  }

  ingest(sample: Sample, config: Config): AlertEvent[] {
    const control = readControl(this.dataDir);
    this.state.last = sample;
    // While paused nothing is judged and lastT stays put, so what changed meanwhile is
    // reported on resume as having happened while OpsPulse was not watching.
    if (control.paused) return [];
    const t = sample.t;
    const tick: Tick = {
      t,
      config,
      targets: new Map(config.targets.filter((x) => x.enabled).map((x) => [x.id, x])),
      control,
      events: [],
      eventKeys: [],
    };
    const gapMs = Math.max(3 * config.interval * 1000, config.interval * 1000 + 60_000);
    if (this.state.lastT !== undefined && t - this.state.lastT > gapMs)
      tick.gap = { from: this.state.lastT, to: t };

    this.pruneKeys(tick);
    this.evaluateTargets(sample, tick);
    this.evaluateRules(sample, tick);
    this.settleFlapping(tick);
    this.state.lastT = t;
    this.explainHeld(tick);

    this.persistEvents(tick.events);
    const notified = this.dispatch(tick);
    // Transitions and notifications are saved at once (a restart must not repeat a
    // "down"); run counters and timestamps only now and then, because an atomic
    // write-and-rename costs milliseconds on some disks and the counters are cheap to lose.
    if (tick.events.length > 0 || notified || t - this.savedAt >= SAVE_EVERY_MS) {
      this.saveState();
      this.savedAt = t;
    }
    return tick.events;
  }

  snapshot(config: Config): HealthSnapshot {
    const t = this.now();
    const control = readControl(this.dataDir);
    const enabled = new Map(config.targets.filter((x) => x.enabled).map((x) => [x.id, x]));
    const byTarget = new Map<string, KeyState[]>();
    for (const k of Object.values(this.state.keys)) {
      if (k.target === undefined) continue;
      const list = byTarget.get(k.target);
      if (list) list.push(k);
      else byTarget.set(k.target, [k]);
    }
    const targets: TargetHealth[] = config.targets.map((target) =>
      this.targetHealth(target, byTarget.get(target.id) ?? [], { config, enabled, control, t }),
    );
    const system = this.systemHealth(config, control, t);
    if (system) targets.push(system);
    if (!this.storage.ok)
      targets.push({
        id: STORAGE_ID,
        name: 'Storage',
        state: 'crit',
        figure: 'writes failing',
        reason: this.storage.error,
      });
    const globalMute = control.mutedUntil > t ? control.mutedUntil : undefined;
    const { overall, summary } = summarize(targets, {
      paused: control.paused,
      mutedUntil: globalMute,
      now: t,
    });
    const snap: HealthSnapshot = { t, overall, summary, targets, paused: control.paused };
    if (globalMute !== undefined) snap.mutedUntil = globalMute;
    return snap;
  }

  /** Pause persists across restarts (and may be set by another process): read it at start. */
  isPaused(): boolean {
    return readControl(this.dataDir).paused;
  }

  setPaused(paused: boolean): void {
    updateControl(this.dataDir, this.now(), (c) => {
      c.paused = paused;
    });
  }

  /** Mutes notifications for all, or one target, until a Unix ms time; 0 unmutes. */
  mute(until: number, target?: string): void {
    updateControl(this.dataDir, this.now(), (c) => applyMute(c, until, target));
  }

  async events(filter: EventFilter): Promise<AlertEvent[]> {
    this.persistEvents([]);
    const stored = await this.log.read(filter);
    const unwritten = this.pending.filter(
      (e) =>
        e.t >= filter.since &&
        (filter.until === undefined || e.t < filter.until) &&
        (filter.target === undefined || e.target === filter.target),
    );
    return unwritten.length === 0 ? stored : [...stored, ...unwritten].sort((a, b) => a.t - b.t);
  }

  /** The store reports whether its writes succeed; a change is an event and a notification. */
  noteStorageHealth(h: { ok: boolean; error?: string }): void {
    if (h.ok === this.storage.ok && (h.ok || h.error === this.storage.error)) return;
    const was = this.storage.ok;
    this.storage = { ok: h.ok, error: h.error };
    if (was === h.ok) return;
    const t = this.now();
    const event: AlertEvent = {
      t,
      rule: 'storage',
      from: was ? 'ok' : 'crit',
      to: h.ok ? 'ok' : 'crit',
      message: h.ok
        ? 'Storage is writable again'
        : `Samples cannot be stored: ${h.error ?? 'write failed'}`,
    };
    this.persistEvents([event]);
    const control = readControl(this.dataDir);
    if (control.paused || mutedUntil(control, t) > 0) return;
    this.send([
      {
        kind: 'storage',
        level: h.ok ? 'ok' : 'crit',
        id: STORAGE_ID,
        subject: 'Storage',
        title: h.ok ? 'Storage recovered' : 'Storage problem',
        message: event.message,
        events: [event],
      },
    ]);
  }

  async close(): Promise<void> {
    this.persistEvents([]);
    this.saveState();
  }

  // ---- evaluation -------------------------------------------------------------------

  private pruneKeys(tick: Tick): void {
    const rules = new Map(tick.config.rules.filter((r) => r.enabled).map((r) => [r.id, r]));
    for (const [key, k] of Object.entries(this.state.keys)) {
      const targetGone = k.target !== undefined && !tick.targets.has(k.target);
      const rule = rules.get(k.rule);
      const ruleGone =
        k.rule !== DOWN_RULE &&
        (rule === undefined || k.series === undefined || !seriesMatcher(rule.series)(k.series));
      if (targetGone || ruleGone) delete this.state.keys[key];
    }
    for (const id of Object.keys(this.state.seen))
      if (!tick.targets.has(id)) delete this.state.seen[id];
  }

  private evaluateTargets(sample: Sample, tick: Tick): void {
    const h: Hysteresis = {
      fireSamples: tick.config.alerts.downAfter,
      fireMs: 0,
      recoverSamples: tick.config.alerts.upAfter,
    };
    for (const target of tick.targets.values()) {
      const ts = sample.tg[target.id];
      if (!ts) continue;
      this.state.seen[target.id] = tick.t;
      const key = `${DOWN_RULE}:${target.id}`;
      const k = (this.state.keys[key] ??= this.newKey(DOWN_RULE, tick.t, target.id));
      const observed: Level = ts.up === 1 ? 0 : 2;
      if (ts.ms !== undefined) k.value = ts.ms;
      else delete k.value;
      this.advance(k, observed, h, tick, (from, prevSince) =>
        this.downMessage(target, k, {
          from,
          prevSince,
          err: ts.err,
          ms: ts.ms,
          checks: h.fireSamples,
          t: tick.t,
        }),
      );
    }
  }

  private evaluateRules(sample: Sample, tick: Tick): void {
    const rules = tick.config.rules.filter((r) => r.enabled);
    if (rules.length === 0) return;
    const values = flattenSample(sample);
    for (const rule of rules) {
      const matches = seriesMatcher(rule.series);
      const h: Hysteresis = {
        fireSamples: rule.forSamples,
        fireMs: rule.forSec * 1000,
        recoverSamples: rule.recoverSamples,
      };
      for (const [series, value] of values) {
        if (!matches(series)) continue;
        const target = parseTargetSeries(series)?.id;
        if (target !== undefined && !tick.targets.has(target)) continue;
        const key = `rule:${rule.id}:${series}`;
        const k = (this.state.keys[key] ??= this.newKey(rule.id, tick.t, target, series));
        k.value = value;
        const observed = levelFor(rule, value);
        this.advance(k, observed, h, tick, (from) => this.ruleMessage(rule, k, from, tick));
      }
    }
  }

  private newKey(rule: string, t: number, target?: string, series?: string): KeyState {
    const k: KeyState = {
      rule,
      state: 'unknown',
      since: t,
      runs: emptyRuns(),
      message: '',
      changes: [],
      flapping: false,
      flapNotified: false,
      notified: 'ok',
      notifiedAt: 0,
    };
    if (target !== undefined) k.target = target;
    if (series !== undefined) k.series = series;
    return k;
  }

  /** Steps one key; on a change records the event and watches for flapping. */
  private advance(
    k: KeyState,
    observed: Level,
    h: Hysteresis,
    tick: Tick,
    message: (from: MachineState, prevSince: number) => string,
  ): void {
    if (observed > 0) delete k.gap;
    else if (tick.gap && k.state !== 'ok' && k.state !== 'unknown') k.gap = tick.gap;
    const from = k.state;
    const next = step(from, k.runs, observed, tick.t, h);
    k.runs = next.runs;
    if (next.state === from) return;
    const prevSince = k.since;
    k.state = next.state;
    k.message = message(from, prevSince);
    k.since = tick.t;
    if (k.state === 'ok') delete k.gap;
    this.record(tick, k, from, k.message);
    // A first verdict is not a change of mind; only later changes count towards flapping.
    if (from === 'unknown') return;
    const { windowSec, changes } = tick.config.alerts.flap;
    k.changes = [...k.changes.filter((c) => c > tick.t - windowSec * 1000), tick.t];
    if (!k.flapping && k.changes.length > changes) {
      k.flapping = true;
      k.flapNotified = false;
      this.record(
        tick,
        k,
        k.state,
        `${this.subject(k, tick)} is flapping: ${k.changes.length} changes in ${formatDuration(
          windowSec * 1000,
        )}; notifications held until it settles`,
      );
    }
  }

  private settleFlapping(tick: Tick): void {
    const windowMs = tick.config.alerts.flap.windowSec * 1000;
    for (const k of Object.values(this.state.keys)) {
      if (!k.flapping || tick.t - k.since < windowMs) continue;
      k.flapping = false;
      k.changes = [];
      this.record(
        tick,
        k,
        k.state,
        `${this.subject(k, tick)} stopped flapping; ${k.state} for ${formatDuration(tick.t - k.since)}`,
      );
    }
  }

  private record(tick: Tick, k: KeyState, from: HealthState, message: string): void {
    const e: AlertEvent = { t: tick.t, rule: k.rule, from, to: k.state, message };
    if (k.target !== undefined) e.target = k.target;
    if (k.value !== undefined) e.value = k.value;
    tick.events.push(e);
    tick.eventKeys.push(k);
  }

  /** The incident log says why a transition was not notified (dependency, mute, ...). */
  private explainHeld(tick: Tick): void {
    tick.events.forEach((e, i) => {
      if (e.from === e.to || e.from === 'unknown') return;
      const k = tick.eventKeys[i];
      const reason = this.holdReason(k, tick) ?? (k.flapping ? 'flapping' : undefined);
      if (reason !== undefined) e.message += ` (not notified: ${reason})`;
    });
  }

  private downMessage(
    target: Target,
    k: KeyState,
    c: {
      from: MachineState;
      prevSince: number;
      err?: string;
      ms?: number;
      checks: number;
      t: number;
    },
  ): string {
    const name = target.name;
    if (k.state === 'crit')
      return `${name} is down: ${c.err ?? 'no response'} (${c.checks} failed ${
        c.checks === 1 ? 'check' : 'checks'
      })`;
    const latency = c.ms !== undefined ? ` (${formatValue(c.ms)} ms)` : '';
    if (c.from === 'unknown') return `${name} is up${latency}`;
    if (k.gap)
      return `${name} recovered while OpsPulse was not running (no checks for ${formatDuration(
        k.gap.to - k.gap.from,
      )})${latency}`;
    return `${name} is back up${latency}, was down for ${formatDuration(c.t - c.prevSince)}`;
  }

  private ruleMessage(rule: Rule, k: KeyState, from: MachineState, tick: Tick): string {
    const label = rule.name ?? rule.id;
    const series = k.series ?? rule.series;
    const value = k.value !== undefined ? formatValue(k.value) : '?';
    if (from === 'unknown' && k.state === 'ok')
      return `${label}: ${series} is ${value}, within limits`;
    if (k.state === 'ok' || k.state === 'unknown') {
      const gap = k.gap
        ? `, while OpsPulse was not running (no checks for ${formatDuration(k.gap.to - k.gap.from)})`
        : '';
      return `${label}: ${series} back to normal at ${value}${gap}`;
    }
    const level: Level = k.state === 'crit' ? 2 : 1;
    const threshold = thresholdFor(rule, level);
    const over =
      rule.forSec > 0
        ? ` for ${formatDuration(tick.t - (level === 2 ? k.runs.cs : k.runs.ws))}`
        : '';
    return `${label}: ${series} is ${value} (${k.state} ${rule.op} ${
      threshold !== undefined ? formatValue(threshold) : '?'
    })${over}`;
  }

  // ---- notifications ----------------------------------------------------------------

  /** Why a key must not notify now, or undefined when it may. */
  private holdReason(k: KeyState, tick: Tick): string | undefined {
    const m = activeMaintenance(tick.config.maintenance, tick.t, k.target);
    if (m) return `maintenance: ${m.name}`;
    if (mutedUntil(tick.control, tick.t, k.target) > 0) return 'muted';
    if (k.target !== undefined) {
      // While a target's checks fail, its up/down rule speaks for it; a latency rule that
      // fires on the first timeout would only race it.
      const down = this.state.keys[`${DOWN_RULE}:${k.target}`];
      if (k.rule !== DOWN_RULE && down && (down.state === 'crit' || down.runs.c > 0))
        return 'target is down';
      const parent = this.downAncestor(k.target, tick.targets);
      if (parent) return `depends on ${parent.name}, which is down`;
    }
    return undefined;
  }

  /** The root-most target up the dependsOn chain that is down: the likely cause. */
  private downAncestor(id: string, targets: Map<string, Target>): Target | undefined {
    const visited = new Set<string>([id]);
    let found: Target | undefined;
    let cur = targets.get(id)?.dependsOn;
    while (cur !== undefined && !visited.has(cur)) {
      visited.add(cur);
      const parent = targets.get(cur);
      if (!parent) break;
      if (this.state.keys[`${DOWN_RULE}:${cur}`]?.state === 'crit') found = parent;
      cur = parent.dependsOn;
    }
    return found;
  }

  /**
   * Tells the user what changed since they were last told. Working from "last notified"
   * rather than from this tick's events makes mutes, maintenance, dependencies and
   * flapping all hold notifications the same way and release exactly what is still true.
   */
  private dispatch(tick: Tick): boolean {
    const items: NotifyItem[] = [];
    const reminders = tick.config.alerts.reminders;
    for (const k of Object.values(this.state.keys)) {
      if (this.holdReason(k, tick) !== undefined) continue;
      if (k.flapping) {
        if (!k.flapNotified) {
          k.flapNotified = true;
          const subject = this.subject(k, tick);
          items.push({
            kind: 'flapping',
            level: 'warn',
            id: k.target ?? k.rule,
            subject,
            title: `${subject} is flapping`,
            message: `${k.changes.length} state changes recently; now ${k.state}. No more notifications until it settles.`,
            events: [],
          });
        }
        continue;
      }
      const cls = notifiedClass(k.state);
      if (cls !== k.notified) {
        items.push(this.transitionItem(k, this.subject(k, tick), cls, tick));
        k.notified = cls;
        k.notifiedAt = tick.t;
      } else if (
        reminders.enabled &&
        cls === 'crit' &&
        tick.t - k.notifiedAt >= reminders.everyMin * 60_000
      ) {
        k.notifiedAt = tick.t;
        const subject = this.subject(k, tick);
        items.push({
          kind: k.rule === DOWN_RULE ? 'down' : 'degraded',
          level: 'crit',
          id: k.target ?? k.rule,
          subject,
          title: `Still ${k.rule === DOWN_RULE ? 'down' : 'critical'}: ${subject}`,
          message: `${k.message} (since ${formatDuration(tick.t - k.since)} ago)`,
          events: [],
        });
      }
    }
    this.send(items, tick.t);
    return items.length > 0;
  }

  private transitionItem(k: KeyState, subject: string, cls: Notified, tick: Tick): NotifyItem {
    const events = tick.events.filter(
      (e) => e.rule === k.rule && e.target === k.target && e.from !== e.to,
    );
    const base = { id: k.target ?? k.rule, subject, message: k.message, events };
    if (cls === 'ok')
      return {
        ...base,
        kind: 'recovered',
        level: 'ok',
        title: k.rule === DOWN_RULE ? `${subject} recovered` : `${subject} back to normal`,
      };
    if (k.rule === DOWN_RULE)
      return { ...base, kind: 'down', level: 'crit', title: `${subject} is down` };
    return {
      ...base,
      kind: 'degraded',
      level: cls,
      title: `${subject} is ${cls === 'crit' ? 'critical' : 'degraded'}`,
    };
  }

  private send(items: NotifyItem[], t = this.now()): void {
    const n = groupNotifications(items, t);
    if (!n) return;
    try {
      this.notifier.notify(n);
    } catch (err) {
      this.logger?.warn(`notifier failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  private subject(k: KeyState, tick: Tick): string {
    if (k.target !== undefined) {
      const name = tick.targets.get(k.target)?.name ?? k.target;
      if (k.rule === DOWN_RULE) return name;
      const rule = tick.config.rules.find((r) => r.id === k.rule);
      return `${name} ${rule?.name ?? k.rule}`;
    }
    const rule = tick.config.rules.find((r) => r.id === k.rule);
    return rule?.name ?? k.rule;
  }

  // ---- persistence ------------------------------------------------------------------

  /** Appends this batch and any earlier ones the disk refused (kept up to MAX_PENDING). */
  private persistEvents(events: AlertEvent[]): void {
    this.pending.push(...events);
    if (this.pending.length === 0) return;
    if (this.pending.length > MAX_PENDING) {
      const dropped = this.pending.length - MAX_PENDING;
      this.pending.splice(0, dropped);
      this.logger?.warn(`incident log unwritable for long: dropped the ${dropped} oldest events`);
    }
    try {
      this.log.append(this.pending);
      this.pending = [];
    } catch (err) {
      this.logger?.warn(
        `cannot append to the incident log (${this.pending.length} events kept in memory): ${
          (err as Error).message
        }`,
      );
    }
  }

  private saveState(): void {
    try {
      saveAlertState(this.dataDir, this.state);
    } catch (err) {
      this.logger?.warn(`cannot save alert state: ${(err as Error).message}`);
    }
  }

  // ---- snapshot ---------------------------------------------------------------------

  private targetHealth(
    target: Target,
    keys: KeyState[],
    ctx: { config: Config; enabled: Map<string, Target>; control: AlertControl; t: number },
  ): TargetHealth {
    const { config, enabled, control, t } = ctx;
    const h: TargetHealth = { id: target.id, name: target.name, state: 'unknown', figure: '' };
    const lastT = this.state.seen[target.id];
    if (lastT !== undefined) h.lastT = lastT;
    const ts = this.state.last?.tg[target.id];
    h.figure = ts ? describeFigure(ts) : 'no data';
    if (control.paused) return { ...h, state: 'paused', reason: 'paused' };
    if (!target.enabled) return { ...h, state: 'paused', reason: 'disabled' };
    const m = activeMaintenance(config.maintenance, t, target.id);
    if (m) return { ...h, state: 'paused', reason: `maintenance: ${m.name}` };
    const staleMs = config.alerts.staleAfterTicks * config.interval * 1000;
    if (lastT === undefined) return { ...h, state: 'unknown', reason: 'no data yet' };
    if (t - lastT > staleMs)
      return { ...h, state: 'unknown', reason: `no data for ${formatDuration(t - lastT)}` };

    const down = keys.find((k) => k.rule === DOWN_RULE);
    h.state = worstOf(
      keys.map((k) => k.state),
      'unknown',
    );
    const notes: string[] = [];
    const parent = this.downAncestor(target.id, enabled);
    if (parent) notes.push(`depends on ${parent.name}, which is down`);
    const driver = keys.find((k) => k.state === h.state && k.state !== 'ok');
    if (driver && driver !== down && !parent) notes.push(driver.message);
    if (down?.state === 'unknown' && h.state === 'unknown') notes.push('checking');
    if (keys.some((k) => k.flapping)) notes.push('flapping');
    const muted = mutedUntil(control, t, target.id);
    if (muted > 0 && muted !== control.mutedUntil)
      notes.push(`muted for ${formatDuration(muted - t)}`);
    if (notes.length > 0) h.reason = notes.join('; ');
    return h;
  }

  private systemHealth(config: Config, control: AlertControl, t: number): TargetHealth | null {
    const sysRules = config.rules.filter((r) => r.enabled && !r.series.startsWith('tg.'));
    if (sysRules.length === 0) return null;
    const keys = Object.values(this.state.keys).filter(
      (k) => k.target === undefined && sysRules.some((r) => r.id === k.rule),
    );
    const h: TargetHealth = {
      id: SYSTEM_ID,
      name: 'System',
      state: 'unknown',
      figure: this.state.last?.sys ? describeSystem(this.state.last.sys) : 'no data',
    };
    if (this.state.last) h.lastT = this.state.last.t;
    if (control.paused) return { ...h, state: 'paused', reason: 'paused' };
    const m = activeMaintenance(config.maintenance, t, undefined);
    if (m) return { ...h, state: 'paused', reason: `maintenance: ${m.name}` };
    if (keys.length === 0) return { ...h, reason: 'no data yet' };
    h.state = worstOf(keys.map((k) => (k.state === 'unknown' ? 'ok' : k.state)));
    const bad = keys.filter((k) => k.state === 'warn' || k.state === 'crit');
    if (bad.length > 0) h.reason = bad.map((k) => k.message).join('; ');
    return h;
  }
}
