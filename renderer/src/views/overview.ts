import type { Config } from '../../../shared/config-schema';
import type { HealthSnapshot, TargetHealth } from '../../../shared/health';
import type { Sample } from '../../../shared/sample';
import { errorText } from '../api/errors';
import { drawSparkline } from '../charts/sparkline';
import { colorAt } from '../charts/theme';
import { clear, h } from '../dom';
import { fmtBytesRate, fmtPct, NONE } from '../format';
import type { AppState, View } from '../state';

const SPARK_POINTS = 120;

/** Health banner, one card per target and the machine at a glance. */
export class OverviewView implements View {
  readonly el = h('div', { class: 'view overview' });
  private readonly banner = h('div', { class: 'banner', 'data-state': 'unknown' });
  private readonly empty = h('div', { class: 'empty-state' });
  private readonly cards = h('div', { class: 'cards' });
  private readonly system = h('div', { class: 'system-glance' });
  private uptime = new Map<string, number | null>();
  private offs: (() => void)[] = [];

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
    const sys = s?.sys;
    const item = (label: string, value: string) =>
      h(
        'div',
        { class: 'glance' },
        h('span', { class: 'label' }, label),
        h('span', { class: 'value' }, value),
      );
    const disks = Object.entries(sys?.disk ?? {});
    clear(
      this.system,
      item('CPU', fmtPct(sys?.cpu, 1)),
      item('Memory', fmtPct(sys?.mem, 1)),
      ...(disks.length > 0
        ? disks.map(([m, v]) => item(`Disk ${m}`, fmtPct(v, 1)))
        : [item('Disk', NONE)]),
      item('Network in', fmtBytesRate(sys?.rx)),
      item('Network out', fmtBytesRate(sys?.tx)),
    );
    if (!s) this.system.append(h('p', { class: 'muted' }, 'Waiting for the first sample…'));
  }

  hide(): void {
    for (const off of this.offs) off();
    this.offs = [];
  }
}
