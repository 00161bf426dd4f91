import type { Config } from '../../../shared/config-schema';
import type { HealthSnapshot, TargetHealth } from '../../../shared/health';
import type { Sample } from '../../../shared/sample';
import { forEachValue } from '../../../shared/series';
import { errorText } from '../api/errors';
import { drawSparkline } from '../charts/sparkline';
import { colorAt } from '../charts/theme';
import { clear, h } from '../dom';
import { fmtBytesRate, fmtPct, NONE } from '../format';
import type { AppState, View } from '../state';

const SPARK_POINTS = 120;
const SYSTEM_LOOKBACK_MS = 3_600_000;

/** Health banner, one card per target and the machine at a glance. */
export class OverviewView implements View {
  readonly el = h('div', { class: 'view overview' });
  private readonly banner = h('div', { class: 'banner', 'data-state': 'unknown' });
  private readonly empty = h('div', { class: 'empty-state' });
  private readonly cards = h('div', { class: 'cards' });
  private readonly system = h('div', { class: 'system-glance' });
  private uptime = new Map<string, number | null>();
  private offs: (() => void)[] = [];
  /** A target to scroll to and highlight once its card exists (a `#target=<id>` link). */
  private pendingFocus: string | null = null;

  constructor(private readonly state: AppState) {
    this.el.append(
      this.banner,
      this.empty,
      h('h2', {}, 'Targets'),
      this.cards,
      h('h2', {}, 'System'),
      this.system,
    );
  }

  async refresh(): Promise<void> {
    if (this.offs.length === 0)
      this.offs.push(
        this.state.healthChanged.on((hs) => this.renderHealth(hs)),
        this.state.sampled.on((s) => this.renderSystem(s)),
      );
    const cfg = this.state.config;
    if (!cfg) return;
    this.renderEmpty(cfg);
    if (this.state.health) this.renderHealth(this.state.health);
    this.renderSystem(this.state.lastSample);
    void this.loadSystem().catch((err: unknown) => (this.system.dataset.error = errorText(err)));
    const range = this.state.currentRange();
    try {
      const [analysis, series] = await Promise.all([
        cfg.targets.length > 0 ? this.state.api.analyze(range) : null,
        cfg.targets.length > 0
          ? this.state.api.query({
              from: range.from,
              to: range.to,
              series: cfg.targets.map((t) => `tg.${t.id}.ms`),
              maxPoints: SPARK_POINTS,
            })
          : null,
      ]);
      this.uptime = new Map((analysis?.targets ?? []).map((t) => [t.id, t.uptimePct]));
      this.renderCards(cfg, this.state.health);
      cfg.targets.forEach((t, i) => {
        const canvas = this.cards.querySelector<HTMLCanvasElement>(
          `[data-target="${t.id}"] canvas`,
        );
        const col = series?.series[`tg.${t.id}.ms`]?.avg;
        if (canvas && col) drawSparkline(canvas, col, colorAt(i));
      });
    } catch (err) {
      this.cards.dataset.error = errorText(err);
    }
    // Cards are all drawn by now; a link to a target that is not configured is dropped.
    this.pendingFocus = null;
  }

  /** Scrolls to the target's card and highlights it, now or as soon as it is drawn. */
  focusTarget(id: string): void {
    this.pendingFocus = id;
    this.applyFocus();
  }

  private applyFocus(): void {
    const id = this.pendingFocus;
    if (id === null) return;
    const card = [...this.cards.querySelectorAll<HTMLElement>('.card')].find(
      (el) => el.dataset.target === id,
    );
    if (!card) return;
    this.pendingFocus = null;
    for (const el of this.cards.querySelectorAll('.card.focused')) el.classList.remove('focused');
    card.classList.add('focused');
    card.scrollIntoView({ block: 'center' });
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
    this.banner.dataset.state = hs.overall;
    clear(
      this.banner,
      h('strong', {}, hs.paused ? 'Paused' : hs.overall.toUpperCase()),
      ' ',
      hs.summary,
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
    const next: HTMLElement[] = [];
    for (const t of cfg.targets) {
      const th = byId.get(t.id);
      const state = t.enabled ? (th?.state ?? 'unknown') : 'paused';
      const card = existing.get(t.id) ?? this.newCard(t.id);
      card.dataset.state = state;
      card.querySelector('.name')!.textContent = t.name;
      card.querySelector('.state')!.textContent = t.enabled ? state : 'disabled';
      card.querySelector('.figure')!.textContent = th?.figure ?? NONE;
      card.querySelector('.uptime')!.textContent = `uptime ${fmtPct(this.uptime.get(t.id))}`;
      const reason = card.querySelector('.reason')!;
      reason.textContent = th?.reason ?? '';
      next.push(card);
    }
    this.cards.replaceChildren(...next);
    this.applyFocus();
  }

  private newCard(id: string): HTMLElement {
    return h(
      'article',
      { class: 'card', 'data-target': id },
      h(
        'div',
        { class: 'card-head' },
        h('span', { class: 'dot' }),
        h('span', { class: 'name' }),
        h('span', { class: 'state' }),
      ),
      h('div', { class: 'figure' }),
      h('div', { class: 'uptime' }),
      h('canvas', { class: 'spark', width: 120, height: 32 }),
      h('div', { class: 'reason' }),
    );
  }

  private renderSystem(s: Sample | null): void {
    if (!s?.sys) return;
    const values = new Map<string, number>();
    forEachValue({ ...s, tg: {} }, (k, v) => values.set(k, v));
    this.showSystem(values);
  }

  /** Before the first live sample (or with system metrics off), the stored latest values. */
  private async loadSystem(): Promise<void> {
    if (this.state.lastSample?.sys) return;
    const to = Date.now();
    const disks = [...this.state.seenSeries].filter((n) => n.startsWith('sys.disk.'));
    const series = [
      'sys.cpu',
      'sys.mem',
      'sys.net.rx',
      'sys.net.tx',
      ...(disks.length ? disks : ['sys.disk./']),
    ];
    const r = await this.state.api.query({
      from: to - SYSTEM_LOOKBACK_MS,
      to,
      series,
      maxPoints: 60,
    });
    const values = new Map<string, number>();
    for (const name of series) {
      const col = r.series[name]?.avg ?? [];
      for (let i = col.length - 1; i >= 0; i--) {
        const v = col[i];
        if (v !== null) {
          values.set(name, v);
          break;
        }
      }
    }
    if (!this.state.lastSample?.sys) this.showSystem(values);
  }

  private showSystem(values: Map<string, number>): void {
    const item = (label: string, value: string) =>
      h(
        'div',
        { class: 'glance' },
        h('span', { class: 'label' }, label),
        h('span', { class: 'value' }, value),
      );
    const disks = [...values].filter(([k]) => k.startsWith('sys.disk.'));
    clear(
      this.system,
      item('CPU', fmtPct(values.get('sys.cpu'), 1)),
      item('Memory', fmtPct(values.get('sys.mem'), 1)),
      ...(disks.length > 0
        ? disks.map(([k, v]) => item(`Disk ${k.slice('sys.disk.'.length)}`, fmtPct(v, 1)))
        : [item('Disk', NONE)]),
      item('Network in', fmtBytesRate(values.get('sys.net.rx'))),
      item('Network out', fmtBytesRate(values.get('sys.net.tx'))),
    );
    if (values.size === 0)
      this.system.append(h('p', { class: 'muted' }, 'No system sample in the last hour.'));
  }

  hide(): void {
    for (const off of this.offs) off();
    this.offs = [];
  }
}
