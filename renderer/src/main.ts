import 'uplot/dist/uPlot.min.css';
import './styles.css';
import { errorText } from './api/errors';
import { pickApi } from './api/transport';
import { clear, h } from './dom';
import { PRESETS, type Preset } from './range';
import { AppState, type View } from './state';
import { ChartsView } from './views/charts-view';
import { EventsView } from './views/events';
import { ExportView } from './views/export';
import { OverviewView } from './views/overview';
import { LazyView } from './views/lazy';
import { UptimeView } from './views/uptime';

const TABS = [
  ['overview', 'Overview'],
  ['charts', 'Charts'],
  ['uptime', 'Uptime'],
  ['events', 'Incidents'],
  ['targets', 'Targets & rules'],
  ['export', 'Export'],
] as const;
type Tab = (typeof TABS)[number][0];

function toLocalInput(t: number): string {
  const d = new Date(t - new Date(t).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
}

async function boot(): Promise<void> {
  const root = document.getElementById('app')!;
  const state = new AppState(pickApi());
  // `?range=7d` opens on that range: links can be shared, the benchmark starts there.
  const startRange = new URLSearchParams(location.search).get('range');
  if (startRange && startRange in PRESETS) state.setRange({ preset: startRange as Preset });
  const overview = new OverviewView(state);
  const views: Record<Tab, View> = {
    overview,
    charts: new ChartsView(state),
    uptime: new UptimeView(state),
    events: new EventsView(state),
    targets: new LazyView(async () => new (await import('./views/targets')).TargetsView(state)),
    export: new ExportView(state),
  };
  let active: Tab = 'overview';

  const pill = h('span', { class: 'health-pill', 'data-state': 'unknown' }, '…');
  const pause = h('button', { type: 'button', class: 'pause' }, 'Pause');
  const nav = h(
    'nav',
    { class: 'tabs' },
    ...TABS.map(([id, label]) => h('a', { href: `#${id}`, 'data-tab': id }, label)),
  );
  const customFrom = h('input', { type: 'datetime-local', 'aria-label': 'from' });
  const customTo = h('input', { type: 'datetime-local', 'aria-label': 'to' });
  const custom = h(
    'span',
    { class: 'custom-range', hidden: true },
    customFrom,
    customTo,
    h('button', { type: 'button', onclick: () => applyCustom() }, 'Apply'),
  );
  const rangeButtons = h(
    'div',
    { class: 'range-picker', role: 'group', 'aria-label': 'Range' },
    ...(['1h', '24h', '7d', '30d', '1y'] as Preset[]).map((p) =>
      h(
        'button',
        { type: 'button', 'data-range': p, onclick: () => state.setRange({ preset: p }) },
        p,
      ),
    ),
    h(
      'button',
      { type: 'button', 'data-range': 'custom', onclick: () => (custom.hidden = !custom.hidden) },
      'custom',
    ),
    custom,
  );
  const main = h('main', { id: 'view' });
  const notice = h('div', { class: 'notice', role: 'status' });
  clear(
    root,
    h('header', {}, h('h1', {}, 'OpsPulse'), pill, nav, rangeButtons, pause),
    notice,
    main,
  );

  function applyCustom(): void {
    const from = Date.parse(customFrom.value);
    const to = Date.parse(customTo.value);
    if (!Number.isFinite(from) || !Number.isFinite(to) || to <= from) {
      notice.textContent = 'Custom range: pick a start and an end after it.';
      return;
    }
    notice.textContent = '';
    state.setRange({ from, to });
  }

  function markRange(): void {
    const label = 'preset' in state.spec ? state.spec.preset : 'custom';
    for (const b of rangeButtons.querySelectorAll<HTMLButtonElement>('button[data-range]'))
      b.setAttribute('aria-pressed', String(b.dataset.range === label));
    customFrom.value = toLocalInput(state.range.from);
    customTo.value = toLocalInput(state.range.to);
  }

  async function show(tab: Tab): Promise<void> {
    views[active].hide();
    active = tab;
    for (const a of nav.querySelectorAll<HTMLAnchorElement>('a'))
      a.setAttribute('aria-current', String(a.dataset.tab === tab));
    clear(main, views[tab].el);
    document.body.dataset.view = tab;
    await views[tab].refresh().catch((err: unknown) => (notice.textContent = errorText(err)));
  }

  const tabFromHash = (): Tab => {
    const id = location.hash.slice(1);
    return (TABS.find(([t]) => t === id)?.[0] ?? 'overview') as Tab;
  };

  /** `#target=<id>` (the tray menu's link): the overview, scrolled to that target's card. */
  async function route(): Promise<void> {
    const target = new URLSearchParams(location.hash.slice(1)).get('target');
    if (target === null) return show(tabFromHash());
    // The link is spent: opening the same target again changes the hash again.
    history.replaceState(null, '', `${location.pathname}${location.search}#overview`);
    overview.focusTarget(target);
    return show('overview');
  }
  window.addEventListener('hashchange', () => void route());

  state.rangeChanged.on(() => {
    markRange();
    void views[active].refresh();
  });
  state.configChanged.on(() => {
    if (active !== 'targets') void views[active].refresh();
  });
  state.healthChanged.on((hs) => {
    pill.dataset.state = hs.overall;
    pill.textContent = hs.paused ? 'paused' : hs.overall;
    pill.title = hs.summary;
    pause.textContent = hs.paused ? 'Resume' : 'Pause';
  });
  pause.addEventListener('click', () => {
    const paused = !(state.health?.paused ?? false);
    state.api.setPaused(paused).then(
      (hs) => state.setHealth(hs),
      (err: unknown) => (notice.textContent = errorText(err)),
    );
  });

  state.api.onHealth((hs) => state.setHealth(hs));
  state.api.onSample((s) => {
    const before = state.seenSeries.size;
    if (s.sys?.disk) for (const m of Object.keys(s.sys.disk)) state.seenSeries.add(`sys.disk.${m}`);
    for (const [id, tg] of Object.entries(s.tg))
      for (const m of Object.keys(tg.m ?? {})) state.seenSeries.add(`tg.${id}.m.${m}`);
    state.addSample(s);
    // A new disk or metric needs a chart of its own.
    if (state.seenSeries.size !== before && active === 'charts') void views.charts.refresh();
  });

  try {
    const [cfg, hs] = await Promise.all([state.api.getConfig(), state.api.health()]);
    state.config = cfg;
    state.setHealth(hs);
  } catch (err) {
    notice.textContent = `Cannot reach the monitor: ${errorText(err)}`;
    return;
  }
  markRange();
  const first = route();
  document.body.dataset.ready = 'true';
  await first;
}

void boot();
