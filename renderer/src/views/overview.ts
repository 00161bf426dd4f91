import type { Config } from '../../../shared/config-schema';
import type { HealthSnapshot, TargetHealth } from '../../../shared/health';
import type { Sample } from '../../../shared/sample';
import { forEachValue } from '../../../shared/series';
import { loadError } from '../api/errors';
import { drawSparkline } from '../charts/sparkline';
import { clear, h } from '../dom';
import { fmtBytesRate, fmtClockS, fmtPct, fmtUptime, NONE } from '../format';
import {
  bySeverity,
  checkedText,
  sinceText,
  stateAttr,
  VERDICT_LABEL,
  verdictOf,
} from '../health/health-text';
import type { AppState, View } from '../state';
import { LiveSeries } from './live-series';
import { LiveUptime } from './live-uptime';
import { systemState, SYSTEM_TILES } from './system-tiles';
import { fills, FORECAST_REFRESH_MS, TileForecasts } from './tile-forecasts';
import { SloPanel } from './slo';

const SPARK_POINTS = 120;
const SYSTEM_LOOKBACK_MS = 3_600_000;
/** "down 3 min" and "checked 4 s ago" age on screen; redrawn this often. */
const CLOCK_MS = 5_000;

/** Health banner, one card per target (worst first) and the machine at a glance. */
export class OverviewView implements View {
  readonly el = h('div', { class: 'view overview' });
  private readonly banner = h('div', { class: 'banner', 'data-state': 'unknown' });
  private readonly empty = h('div', { class: 'empty-state' });
  private readonly cards = h('div', { class: 'cards' });
  private readonly cardsError = h('div', { class: 'cards-error' });
  private readonly windowNote = h('span', { class: 'muted window-note' });
  private readonly system = h('div', { class: 'system-glance' });
  private readonly uptime = new LiveUptime();
  private readonly spark = new LiveSeries(SPARK_POINTS);
  private readonly sysSpark = new LiveSeries(60);
  private offs: (() => void)[] = [];
  private clock = 0;
  private forecastClock = 0;
  private readonly forecasts: TileForecasts;
  /** The system values on the tiles, to redraw them when the forecasts arrive. */
  private sysValues = new Map<string, number>();
  /** Whether the cards' uptime and sparklines are for the range on screen. */
  private load: 'loading' | 'loaded' | 'failed' = 'loading';
  /** A target to highlight once its card exists (a `#target=<id>` link came first). */
  private pendingFocus: string | null = null;

  constructor(private readonly state: AppState) {
    this.forecasts = new TileForecasts(state.api);
    this.el.append(
      this.banner,
      this.empty,
      h('h2', {}, 'Targets ', this.windowNote),
      this.cardsError,
      this.cards,
      new SloPanel(state).el,
      h('h2', {}, 'System ', h('span', { class: 'muted window-note' }, 'last hour')),
      this.system,
    );
  }

  async refresh(): Promise<void> {
    if (this.offs.length === 0) {
      this.offs.push(
        this.state.healthChanged.on((hs) => this.renderHealth(hs)),
        this.state.sampled.on((s) => this.onSample(s)),
        this.state.connectionChanged.on(
          () => this.state.health && this.renderHealth(this.state.health),
        ),
      );
      this.clock = window.setInterval(() => {
        if (this.state.health) this.renderHealth(this.state.health);
      }, CLOCK_MS);
      this.forecastClock = window.setInterval(() => void this.loadForecasts(), FORECAST_REFRESH_MS);
    }
    const cfg = this.state.config;
    if (!cfg) return;
    this.renderEmpty(cfg);
    this.load = 'loading';
    if (this.state.health) this.renderHealth(this.state.health);
    void this.loadSystem().catch((err: unknown) =>
      clear(this.system, loadError('system figures', err)),
    );
    void this.loadForecasts();
    const range = this.state.currentRange();
    this.windowNote.textContent = `uptime and latency over ${range.label === 'custom' ? 'the chosen range' : `the last ${range.label}`}`;
    this.cards.dataset.loading = 'true';
    try {
      const ids = cfg.targets.map((t) => t.id);
      const [analysis, series] = await Promise.all([
        ids.length > 0 ? this.state.api.analyze({ from: range.from, to: range.to }) : null,
        ids.length > 0
          ? this.state.api.query({
              from: range.from,
              to: range.to,
              series: ids.map((id) => `tg.${id}.ms`),
              maxPoints: SPARK_POINTS,
            })
          : null,
      ]);
      this.uptime.reset(analysis);
      this.spark.reset(series, range);
      this.load = 'loaded';
      clear(this.cardsError);
    } catch (err) {
      // Old numbers for a range that could not load would be a lie: show none.
      this.uptime.reset(null);
      this.spark.reset(null, range);
      this.load = 'failed';
      clear(this.cardsError, loadError(`uptime and latency for ${range.label}`, err));
    }
    this.renderCards(cfg, this.state.health);
    this.cards.dataset.loading = 'false';
  }

  /** Highlights the target's card when the overview is next shown. */
  focusTarget(id: string): void {
    this.pendingFocus = id;
    this.applyFocus();
  }

  private applyFocus(): void {
    const id = this.pendingFocus;
    if (id === null) return;
    const card = this.cards.querySelector<HTMLElement>(`.card[data-target="${CSS.escape(id)}"]`);
    if (!card) return;
    this.pendingFocus = null;
    for (const el of this.cards.querySelectorAll('.card.focused')) el.classList.remove('focused');
    card.classList.add('focused');
    // A brief highlight of where the user came from, not a lasting mark.
    window.setTimeout(() => card.classList.remove('focused'), 2500);
  }

  private onSample(s: Sample): void {
    const cfg = this.state.config;
    if (!cfg) return;
    this.spark.add(
      s.t,
      (id) => s.tg[id]?.ms ?? null,
      cfg.targets.map((t) => t.id),
    );
    this.uptime.add(s, cfg.interval * 1000);
    this.renderSystem(s);
    this.renderCards(cfg, this.state.health);
  }

  private renderEmpty(cfg: Config): void {
    if (cfg.targets.length > 0) {
      clear(this.empty);
      this.empty.hidden = true;
      return;
    }
    this.empty.hidden = false;
    clear(
      this.empty,
      h('h2', {}, 'Only system metrics so far'),
      h(
        'p',
        {},
        'OpsPulse is recording CPU, memory, disk and network. Add the services you care about: ',
        h('a', { href: '#targets' }, 'add a target'),
        ' (an HTTP endpoint, a TCP port, a JSON file another program writes, or a Prometheus query).',
      ),
      h(
        'p',
        {},
        'Or import the AI-ops preset from a terminal: ',
        h('code', {}, 'opspulse targets import resources/presets/ai-ops-stack.json'),
      ),
    );
  }

  private renderHealth(hs: HealthSnapshot): void {
    const verdict = hs.paused ? 'paused' : verdictOf(hs);
    this.banner.dataset.state = stateAttr(verdict);
    const now = Date.now();
    const bad = bySeverity(
      hs.targets.filter((t) => !['ok', 'paused'].includes(verdictOf(t))),
      verdictOf,
    );
    const conn = this.state.connection;
    clear(
      this.banner,
      h('strong', {}, VERDICT_LABEL[verdict]),
      ' ',
      hs.summary,
      conn.state === 'live'
        ? null
        : h(
            'p',
            { class: 'stale-note' },
            `Not live: the server stopped answering; this is the state as of ${fmtClockS(hs.t)}.`,
          ),
      bad.length > 0
        ? h(
            'ul',
            { class: 'banner-list' },
            ...bad.map((t) =>
              h(
                'li',
                { 'data-target': t.id, 'data-state': stateAttr(verdictOf(t)) },
                h('a', { href: `#target=${encodeURIComponent(t.id)}` }, t.name),
                ` — ${sinceText(t, now) || VERDICT_LABEL[verdictOf(t)].toLowerCase()}`,
                t.reason ? ` — ${t.reason}` : '',
              ),
            ),
          )
        : null,
    );
    if (this.state.config) this.renderCards(this.state.config, hs);
  }

  private renderCards(cfg: Config, hs: HealthSnapshot | null): void {
    const byId = new Map<string, TargetHealth>((hs?.targets ?? []).map((t) => [t.id, t]));
    const existing = new Map(
      [...this.cards.querySelectorAll<HTMLElement>('.card')].map((el) => [
        el.dataset.target ?? '',
        el,
      ]),
    );
    const now = Date.now();
    const rows = cfg.targets.map((t) => {
      const th: TargetHealth = byId.get(t.id) ?? {
        id: t.id,
        name: t.name,
        state: t.enabled ? 'unknown' : 'paused',
        figure: '',
      };
      return { t, th, verdict: t.enabled ? verdictOf(th) : ('paused' as const) };
    });
    const next: HTMLElement[] = [];
    for (const { t, th, verdict } of bySeverity(rows, (r) => r.verdict)) {
      const card = existing.get(t.id) ?? this.newCard(t.id);
      card.dataset.state = stateAttr(verdict);
      card.dataset.verdict = verdict;
      card.querySelector('.name')!.textContent = t.name;
      card.querySelector('.state')!.textContent = t.enabled ? VERDICT_LABEL[verdict] : 'Disabled';
      card.querySelector('.figure')!.textContent = th.figure || NONE;
      card.querySelector('.since')!.textContent = sinceText(th, now);
      card.querySelector('.checked')!.textContent = checkedText(th, now);
      card.querySelector('.reason')!.textContent = th.reason ?? '';
      card.querySelector('.card-uptime')!.textContent =
        this.load === 'loaded'
          ? `uptime ${fmtUptime(this.uptime.pct(t.id), 2)}`
          : this.load === 'loading'
            ? 'uptime …'
            : `uptime ${NONE}`;
      next.push(card);
    }
    this.cards.replaceChildren(...next);
    const label = this.state.range.label;
    for (const card of next) {
      card
        .querySelector('canvas')
        ?.setAttribute(
          'aria-label',
          `latency, ${label === 'custom' ? 'chosen range' : `last ${label}`}`,
        );
      this.drawSpark(card);
    }
    this.applyFocus();
  }

  private drawSpark(card: HTMLElement): void {
    const canvas = card.querySelector<HTMLCanvasElement>('canvas');
    const col = this.spark.values(card.dataset.target ?? '');
    if (!canvas) return;
    // The line takes the card's state colour: a red line is a red card.
    const color = getComputedStyle(card).getPropertyValue('--state').trim() || '#888';
    drawSparkline(canvas, col ?? [], color);
  }

  private newCard(id: string): HTMLElement {
    return h(
      'article',
      { class: 'card', 'data-target': id },
      h(
        'a',
        { class: 'card-link', href: `#target=${encodeURIComponent(id)}` },
        h(
          'div',
          { class: 'card-head' },
          h('span', { class: 'dot', 'aria-hidden': 'true' }),
          h('span', { class: 'name' }),
          h('span', { class: 'state' }),
        ),
        h('div', { class: 'figure' }),
        h('div', { class: 'since' }),
        h('div', { class: 'reason' }),
        h(
          'div',
          { class: 'card-foot' },
          h('span', { class: 'card-uptime' }),
          h('span', { class: 'checked' }),
        ),
        h('canvas', { class: 'spark', width: 120, height: 32, role: 'img' }),
      ),
    );
  }

  /** On each refresh (a range change) and every few minutes: forecasts move slowly. */
  private async loadForecasts(): Promise<void> {
    if (!this.forecasts.available) return;
    await this.forecasts.load();
    // A mount known only from history (system metrics off, or not sampled yet this session)
    // still gets its tile: its figures are loaded again with it.
    const seen = this.state.seenSeries;
    const newDisks = this.forecasts.series().filter((n) => fills(n) && !seen.has(n));
    for (const n of newDisks) seen.add(n);
    if (newDisks.length > 0)
      await this.loadSystem().catch((err: unknown) =>
        clear(this.system, loadError('system figures', err)),
      );
    // Only over tiles already shown: not over the system figures' load error, nor before them.
    else if (this.system.querySelector('.glance')) this.showSystem(this.sysValues);
  }

  private systemValues(s: Sample): Map<string, number> {
    const values = new Map<string, number>();
    forEachValue({ ...s, tg: {} }, (k, v) => values.set(k, v));
    return values;
  }

  private renderSystem(s: Sample): void {
    if (!s.sys) return;
    const values = this.systemValues(s);
    this.sysSpark.add(s.t, (k) => values.get(k) ?? null, [...values.keys()]);
    this.showSystem(values);
  }

  /** Before the first live sample (or with system metrics off), the stored last hour. */
  private async loadSystem(): Promise<void> {
    const to = Date.now();
    const disks = [...this.state.seenSeries].filter((n) => n.startsWith('sys.disk.'));
    const series = [
      'sys.cpu',
      'sys.mem',
      'sys.net.rx',
      'sys.net.tx',
      ...(disks.length ? disks : ['sys.disk./']),
    ];
    const from = to - SYSTEM_LOOKBACK_MS;
    const r = await this.state.api.query({ from, to, series, maxPoints: 60 });
    this.sysSpark.reset(r, { from, to });
    const values = new Map<string, number>();
    for (const name of Object.keys(r.series)) {
      const col = r.series[name]?.avg ?? [];
      for (let i = col.length - 1; i >= 0; i--) {
        const v = col[i];
        if (v !== null) {
          values.set(name, v);
          break;
        }
      }
    }
    if (this.state.lastSample?.sys) {
      for (const [k, v] of this.systemValues(this.state.lastSample)) values.set(k, v);
    }
    this.showSystem(values);
  }

  private showSystem(values: Map<string, number>): void {
    this.sysValues = values;
    const tiles: HTMLElement[] = [];
    const disks = [...values.keys()].filter((k) => k.startsWith('sys.disk.')).sort();
    for (const tile of SYSTEM_TILES) {
      const names =
        tile.series === 'sys.disk.' ? (disks.length ? disks : ['sys.disk./']) : [tile.series];
      for (const name of names) {
        const v = values.get(name);
        const label =
          tile.series === 'sys.disk.' ? `Disk ${name.slice('sys.disk.'.length)}` : tile.label;
        const fmt = tile.unit === 'rate' ? fmtBytesRate : (x: number | undefined) => fmtPct(x, 1);
        const canvas = h('canvas', {
          class: 'spark',
          width: 100,
          height: 24,
          'aria-hidden': 'true',
        });
        const el = h(
          'div',
          { class: 'glance', 'data-series': name, 'data-state': systemState(tile, v) },
          h('span', { class: 'label' }, label),
          h('span', { class: 'value' }, fmt(v)),
          canvas,
          this.forecasts.line(name),
        );
        tiles.push(el);
      }
    }
    clear(this.system, ...tiles);
    for (const el of tiles) {
      const canvas = el.querySelector('canvas')!;
      const color = getComputedStyle(el).getPropertyValue('--state').trim() || '#888';
      drawSparkline(canvas, this.sysSpark.values(el.dataset.series ?? '') ?? [], color);
    }
    if (values.size === 0)
      this.system.append(h('p', { class: 'muted' }, 'No system sample in the last hour.'));
  }

  hide(): void {
    for (const off of this.offs) off();
    this.offs = [];
    window.clearInterval(this.clock);
    window.clearInterval(this.forecastClock);
  }
}
