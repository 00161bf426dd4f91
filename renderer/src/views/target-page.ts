import { AnomalyPanel } from './anomaly-panel';
import type { TargetAnalysis, WindowAnalysis } from '../../../shared/analysis';
import { SloPanel } from './slo';
import type { Rule, Target } from '../../../shared/config-schema';
import type { TargetHealth } from '../../../shared/health';
import type { QueryResult } from '../../../shared/query';
import { errorText, loadError } from '../api/errors';
import { latencyLogAxis } from '../charts/axis-units';
import { TimeChart } from '../charts/time-chart';
import { afterNextPaint, clear, h } from '../dom';
import { fmtMs, fmtNum, fmtTime, fmtUptime, NONE } from '../format';
import { checkedText, sinceText, stateAttr, VERDICT_LABEL, verdictOf } from '../health/health-text';
import { PRESETS, type Preset } from '../range';
import type { AppState, View } from '../state';
import { incidentRows, incidentTable } from './incidents';
import { statusBar } from './status-bar';

const UPTIME_WINDOWS: Preset[] = ['24h', '7d', '30d', '1y'];
const HOUR_MS = 3_600_000;

function ruleMatches(rule: Rule, id: string): boolean {
  const [kind, who] = rule.series.split('.');
  return kind === 'tg' && (who === id || who === '*');
}

function ruleLimits(rule: Rule, unit: string): string {
  const parts: string[] = [];
  if (rule.warn !== undefined) parts.push(`degraded ${rule.op} ${fmtNum(rule.warn)}${unit}`);
  if (rule.crit !== undefined) parts.push(`critical ${rule.op} ${fmtNum(rule.crit)}${unit}`);
  return parts.join(', ');
}

function past(v: number, op: Rule['op'], limit: number | undefined): boolean {
  if (limit === undefined) return false;
  switch (op) {
    case '>':
      return v > limit;
    case '>=':
      return v >= limit;
    case '<':
      return v < limit;
    case '<=':
      return v <= limit;
    case '==':
      return v === limit;
    case '!=':
      return v !== limit;
  }
}

/**
 * One target's own page (`#target=<id>`): its state and since when, a status-history bar,
 * uptime over 24 h / 7 d / 30 d / 1 y, latency with p50 and p95, certificate days left,
 * its incidents, custom metrics and rules, and what can be done about it.
 */
export class TargetPage implements View {
  readonly el = h('div', { class: 'view target-page' });
  private id = '';
  private charts: TimeChart[] = [];
  private generation = 0;
  private offs: (() => void)[] = [];
  private readonly head = h('div', { class: 'target-head' });
  private readonly actions = h('div', { class: 'target-actions' });
  private readonly actionResult = h('p', { class: 'action-result', role: 'status' });
  private readonly bar = h('div', { class: 'status-history' });
  private readonly windows = h('div', { class: 'uptime-windows' });
  private readonly facts = h('dl', { class: 'target-facts' });
  private readonly chartBox = h('div', { class: 'charts-view target-charts' });
  private readonly incidents = h('div', { class: 'target-incidents' });
  private readonly rules = h('div', { class: 'target-rules' });
  private p50p95: [number | null, number | null] = [null, null];
  private readonly slo: SloPanel;
  private readonly anomalies: AnomalyPanel;

  constructor(private readonly state: AppState) {
    this.slo = new SloPanel(state, () => this.id);
    this.anomalies = new AnomalyPanel(
      state,
      () => this.id,
      () => {
        const marks = this.anomalies.marksOf(`tg.${this.id}.ms`).length;
        this.chartBox.dataset.anomalyMarks = String(marks);
        for (const c of this.charts) c.drawLive();
      },
    );
    this.el.append(
      h('p', {}, h('a', { href: '#overview' }, '← Overview')),
      this.head,
      this.actions,
      this.actionResult,
      h('h2', {}, 'Status history'),
      this.bar,
      h('h2', {}, 'Uptime'),
      this.windows,
      this.facts,
      this.slo.el,
      this.chartBox,
      this.anomalies.el,
      h('h2', {}, 'Incidents'),
      this.incidents,
      h('h2', {}, 'Rules'),
      this.rules,
    );
  }

  setTarget(id: string): void {
    if (id === this.id) return;
    this.id = id;
    if (this.state.health) this.slo.render(this.state.health);
    for (const c of this.charts) c.destroy();
    this.charts = [];
  }

  private target(): Target | undefined {
    return this.state.config?.targets.find((t) => t.id === this.id);
  }

  async refresh(): Promise<void> {
    if (this.offs.length === 0)
      this.offs.push(
        this.state.healthChanged.on(() => this.renderHead()),
        this.state.sampled.on((s) => {
          const values = new Map<string, number>();
          const tg = s.tg[this.id];
          if (!tg || !this.state.range.live) return;
          values.set(`tg.${this.id}.up`, tg.up);
          if (tg.ms !== undefined) values.set(`tg.${this.id}.ms`, tg.ms);
          for (const [k, v] of Object.entries(tg.m ?? {})) values.set(`tg.${this.id}.m.${k}`, v);
          for (const c of this.charts) {
            c.append(s.t, values, this.state.currentRange().from);
            if (c.needsDraw) c.drawLive();
          }
        }),
      );
    const t = this.target();
    const gen = ++this.generation;
    this.el.dataset.target = this.id;
    this.el.dataset.loading = 'true';
    if (!t) {
      clear(this.head, h('h2', {}, `No target "${this.id}"`));
      clear(this.bar, h('p', { class: 'muted' }, 'It is not in the configuration (deleted?).'));
      this.el.dataset.loading = 'false';
      return;
    }
    this.renderHead();
    this.renderActions(t);
    this.renderRules(t);
    this.ensureCharts(t);
    const range = this.state.currentRange();
    const series = [
      `tg.${t.id}.up`,
      `tg.${t.id}.ms`,
      `tg.${t.id}.cert`,
      ...this.metricNames(t).map((m) => `tg.${t.id}.m.${m}`),
    ];
    const cells = range.to - range.from <= HOUR_MS ? 720 : 180;
    const windowLoads = UPTIME_WINDOWS.map((p) => this.loadWindow(p, gen));
    void this.anomalies.render(range);
    try {
      const width = Math.max(200, ...this.charts.map((c) => c.width));
      const [a, bars, lines] = await Promise.all([
        this.state.api.analyze({ from: range.from, to: range.to }),
        this.state.api.query({
          from: range.from,
          to: range.to,
          series: series.slice(0, 2),
          maxPoints: cells,
        }),
        this.state.api.query({ from: range.from, to: range.to, series, maxPoints: width }),
        ...this.charts.map((c) => c.placed),
      ]);
      if (gen !== this.generation) return;
      const arrived = performance.now();
      this.paint(t, a, bars, lines);
      await afterNextPaint();
      if (gen !== this.generation) return;
      this.el.dataset.paintMs = String(performance.now() - arrived);
    } catch (err) {
      if (gen !== this.generation) return;
      clear(this.bar, loadError(`the history of ${t.name}`, err));
      clear(this.incidents, loadError('incidents', err));
      for (const c of this.charts) c.showError(`Cannot load: ${errorText(err)}`);
    }
    await Promise.all(windowLoads);
    if (gen === this.generation) this.el.dataset.loading = 'false';
  }

  private metricNames(t: Target): string[] {
    const names = new Set<string>();
    if (t.kind === 'http' || t.kind === 'file')
      for (const m of Object.keys(t.metrics)) names.add(m);
    if (t.kind === 'prometheus') names.add(t.metric);
    for (const s of this.state.seenSeries) {
      const prefix = `tg.${t.id}.m.`;
      if (s.startsWith(prefix)) names.add(s.slice(prefix.length));
    }
    return [...names].sort();
  }

  private ensureCharts(t: Target): void {
    const metrics = this.metricNames(t);
    const keys = ['latency', ...metrics.map((m) => `m.${m}`)].join();
    if (this.chartBox.dataset.keys === keys && this.charts.length > 0) return;
    for (const c of this.charts) c.destroy();
    clear(this.chartBox);
    this.chartBox.dataset.keys = keys;
    this.charts = [
      new TimeChart(this.chartBox, {
        key: 'latency',
        title: `${t.name} · latency (ms, log scale), p50 and p95 dashed, down time in the strip below`,
        lines: [{ series: `tg.${t.id}.ms`, label: t.name }],
        shadeDown: [`tg.${t.id}.up`],
        format: fmtMs,
        // Log: one timeout spike does not flatten the usual latency into the floor.
        axis: latencyLogAxis,
        log: true,
        marks: () => [
          { label: 'p50', value: this.p50p95[0] },
          { label: 'p95', value: this.p50p95[1] },
        ],
        points: () => this.anomalies.marksOf(`tg.${t.id}.ms`),
      }),
      ...metrics.map(
        (m) =>
          new TimeChart(this.chartBox, {
            key: `m.${m}`,
            title: `${t.name} · ${m} (as reported, no unit)`,
            lines: [{ series: `tg.${t.id}.m.${m}`, label: m }],
            points: () => this.anomalies.marksOf(`tg.${t.id}.m.${m}`),
            format: fmtNum,
          }),
      ),
    ];
  }

  private paint(t: Target, a: WindowAnalysis, bars: QueryResult, lines: QueryResult): void {
    const ta = a.targets.find((x) => x.id === t.id);
    this.p50p95 = [ta?.latency.p50 ?? null, ta?.latency.p95 ?? null];
    clear(this.bar, statusBar(bars, t.id, ta?.incidents ?? []));
    for (const c of this.charts) c.setResult(lines);
    clear(this.incidents, incidentTable(incidentRows(a, t.id), false));
    this.renderFacts(ta, lines);
  }

  private renderFacts(ta: TargetAnalysis | undefined, r: QueryResult): void {
    const cert = r.series[`tg.${this.id}.cert`]?.avg ?? [];
    let certDays: number | null = null;
    for (let i = cert.length - 1; i >= 0 && certDays === null; i--) certDays = cert[i];
    const item = (label: string, value: string) => [h('dt', {}, label), h('dd', {}, value)];
    clear(
      this.facts,
      ...item('Latency p50 / p95', `${fmtMs(ta?.latency.p50)} / ${fmtMs(ta?.latency.p95)}`),
      ...item('Incidents in range', String(ta?.incidents.length ?? 0)),
      ...item(
        'Certificate',
        certDays === null ? 'not HTTPS (or no data)' : `${Math.floor(certDays)} days left`,
      ),
    );
  }

  private async loadWindow(p: Preset, gen: number): Promise<void> {
    const slot = this.windowSlot(p);
    const to = Date.now();
    try {
      const a = await this.state.api.analyze({ from: to - PRESETS[p], to });
      if (gen !== this.generation) return;
      const ta = a.targets.find((x) => x.id === this.id);
      slot.querySelector('.value')!.textContent = fmtUptime(ta?.uptimePct);
      slot.querySelector('.detail')!.textContent = ta
        ? `${ta.incidents.length} incident${ta.incidents.length === 1 ? '' : 's'}`
        : 'no data';
    } catch (err) {
      slot.querySelector('.value')!.textContent = NONE;
      slot.querySelector('.detail')!.textContent = `cannot load: ${errorText(err)}`;
    }
  }

  private windowSlot(p: Preset): HTMLElement {
    let slot = this.windows.querySelector<HTMLElement>(`[data-window="${p}"]`);
    if (!slot) {
      slot = h(
        'div',
        { class: 'glance', 'data-window': p },
        h('span', { class: 'label' }, `last ${p}`),
        h('span', { class: 'value' }, '…'),
        h('span', { class: 'detail muted' }),
      );
      this.windows.append(slot);
    }
    return slot;
  }

  private renderHead(): void {
    const t = this.target();
    if (!t) return;
    const th: TargetHealth = this.state.health?.targets.find((x) => x.id === t.id) ?? {
      id: t.id,
      name: t.name,
      state: t.enabled ? 'unknown' : 'paused',
      figure: '',
    };
    const verdict = verdictOf(th);
    this.head.dataset.state = stateAttr(verdict);
    this.head.dataset.verdict = verdict;
    const where =
      'url' in t ? t.url : 'host' in t ? `${t.host}:${t.port}` : 'path' in t ? t.path : '';
    clear(
      this.head,
      h(
        'h2',
        {},
        t.name,
        ' ',
        h(
          'span',
          { class: 'state health-pill', 'data-state': stateAttr(verdict) },
          VERDICT_LABEL[verdict],
        ),
      ),
      h('p', { class: 'since' }, sinceText(th) || NONE, ' · ', checkedText(th)),
      th.reason ? h('p', { class: 'reason' }, th.reason) : null,
      h('p', { class: 'muted' }, `${t.kind} ${where}`, th.figure ? ` · latest: ${th.figure}` : ''),
    );
  }

  private renderActions(t: Target): void {
    const act = (label: string, cls: string, run: () => Promise<string>) =>
      h(
        'button',
        {
          type: 'button',
          class: cls,
          onclick: () => {
            this.actionResult.textContent = `${label}…`;
            run().then(
              (msg) => (this.actionResult.textContent = msg),
              (err: unknown) =>
                (this.actionResult.textContent = `${label} failed: ${errorText(err)}`),
            );
          },
        },
        label,
      );
    clear(
      this.actions,
      h('a', { class: 'button', href: `#targets&edit=${encodeURIComponent(t.id)}` }, 'Edit'),
      act(t.enabled ? 'Pause' : 'Resume', 'toggle', async () => {
        const cfg = await this.state.api.setTargetEnabled(t.id, !t.enabled);
        this.state.setConfig(cfg);
        return t.enabled ? `${t.name} is paused.` : `${t.name} is watched again.`;
      }),
      act('Mute 1 h', 'mute', async () => {
        const until = Date.now() + HOUR_MS;
        this.state.setHealth(await this.state.api.mute(until, t.id));
        return `Notifications for ${t.name} muted until ${fmtTime(until)}.`;
      }),
      act('Test now', 'test', async () => {
        const r = await this.state.api.testTarget(t);
        return r.up
          ? `Up: ${fmtMs(r.ms)}${r.status ? ` · HTTP ${r.status}` : ''}`
          : `Down: ${r.error ?? 'no answer'}`;
      }),
    );
  }

  private renderRules(t: Target): void {
    const rules = (this.state.config?.rules ?? []).filter((r) => ruleMatches(r, t.id));
    const last = this.state.lastSample?.tg[t.id];
    if (rules.length === 0) {
      clear(
        this.rules,
        h(
          'p',
          { class: 'muted' },
          'Only the up/down check: down after failed checks, up again after good ones.',
        ),
      );
      return;
    }
    clear(
      this.rules,
      h(
        'table',
        {},
        h(
          'thead',
          {},
          h('tr', {}, ...['Rule', 'Series', 'Limits', 'Now'].map((l) => h('th', {}, l))),
        ),
        h(
          'tbody',
          {},
          ...rules.map((r) => {
            const field = r.series.split('.').slice(2).join('.');
            const unit =
              field === 'ms' || field === 'ttfb' ? ' ms' : field === 'cert' ? ' days' : '';
            const v =
              field === 'ms'
                ? last?.ms
                : field === 'ttfb'
                  ? last?.fb
                  : field === 'cert'
                    ? last?.cd
                    : field.startsWith('m.')
                      ? last?.m?.[field.slice(2)]
                      : undefined;
            const state =
              v === undefined
                ? 'nodata'
                : past(v, r.op, r.crit)
                  ? 'critical'
                  : past(v, r.op, r.warn)
                    ? 'degraded'
                    : 'ok';
            return h(
              'tr',
              { 'data-rule': r.id },
              h('td', {}, r.name ?? r.id, r.enabled ? '' : ' (off)'),
              h('td', {}, h('code', {}, r.series)),
              h('td', {}, ruleLimits(r, unit)),
              h(
                'td',
                {},
                h('span', { class: 'state', 'data-state': stateAttr(state) }, VERDICT_LABEL[state]),
                v === undefined ? '' : ` · ${fmtNum(v)}${unit}`,
              ),
            );
          }),
        ),
      ),
    );
  }

  hide(): void {
    for (const off of this.offs) off();
    this.offs = [];
  }
}
