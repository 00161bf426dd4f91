import 'uplot/dist/uPlot.min.css';
import './styles.css';
import { errorText } from './api/errors';
import { pickApi } from './api/transport';
import { clear, h } from './dom';
import { fmtClockS } from './format';
import { stateAttr, VERDICT_LABEL, verdictCounts, verdictOf } from './health/health-text';
import { PRESETS, type Preset } from './range';
import { AppState, type View } from './state';
import { ChartsView } from './views/charts-view';
import { EventsView } from './views/events';
import { ExportView } from './views/export';
import { OverviewView } from './views/overview';
import { LazyView } from './views/lazy';
import { TargetPage } from './views/target-page';
import { UptimeView } from './views/uptime';

const TABS = [
  ['overview', 'Overview'],
  ['charts', 'Charts'],
  ['uptime', 'Uptime'],
  ['events', 'Incidents'],
  ['targets', 'Targets'],
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
  const targetPage = new TargetPage(state);
  const views: Record<Tab | 'target', View> = {
    target: targetPage,
    overview,
    charts: new ChartsView(state),
    uptime: new UptimeView(state),
    events: new EventsView(state),
    targets: new LazyView(async () => new (await import('./views/targets')).TargetsView(state)),
    export: new ExportView(state),
  };
  let active: Tab | 'target' = 'overview';

  const pill = h('span', { class: 'health-pill', 'data-state': 'unknown' }, '…');
  const counts = h('span', { class: 'counts', 'aria-label': 'Targets by state' });
  const conn = h('span', { class: 'connection', role: 'status', 'data-conn': 'live' });
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
    h(
      'header',
      {},
      h('h1', {}, 'OpsPulse'),
      h('span', { class: 'status-group' }, pill, counts, conn),
      nav,
      rangeButtons,
      pause,
    ),
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

  async function show(tab: Tab | 'target'): Promise<void> {
    views[active].hide();
    active = tab;
    for (const a of nav.querySelectorAll<HTMLAnchorElement>('a'))
      a.setAttribute('aria-current', String(a.dataset.tab === tab));
    clear(main, views[tab].el);
    document.body.dataset.view = tab;
    await views[tab].refresh().catch((err: unknown) => (notice.textContent = errorText(err)));
  }

  const tabFromHash = (): Tab => {
    const id = location.hash.slice(1).split('&')[0];
    return (TABS.find(([t]) => t === id)?.[0] ?? 'overview') as Tab;
  };

  /** `#target=<id>` (cards, the tray menu, notifications): that target's own page. */
  async function route(): Promise<void> {
    const target = new URLSearchParams(location.hash.slice(1)).get('target');
    if (target === null) return show(tabFromHash());
    targetPage.setTarget(target);
    overview.focusTarget(target);
    return show('target');
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
    const verdict = hs.paused ? 'paused' : verdictOf(hs);
    pill.dataset.state = stateAttr(verdict);
    pill.dataset.verdict = verdict;
    pill.textContent = VERDICT_LABEL[verdict];
    pill.title = hs.summary;
    clear(
      counts,
      ...verdictCounts(hs).map((c) =>
        h(
          'span',
          { class: 'count', 'data-state': stateAttr(c.verdict), 'data-verdict': c.verdict },
          `${c.count} ${VERDICT_LABEL[c.verdict].toLowerCase()}`,
        ),
      ),
    );
    pause.textContent = hs.paused ? 'Resume' : 'Pause';
  });
  let wasDown = false;
  state.connectionChanged.on((c) => {
    conn.dataset.conn = c.state;
    conn.textContent =
      c.state === 'live'
        ? 'live'
        : c.state === 'reconnecting'
          ? 'reconnecting…'
          : `disconnected since ${fmtClockS(c.since)}`;
    conn.title =
      c.state === 'live'
        ? 'Receiving live samples'
        : 'The OpsPulse server is not answering; what the page shows is from before then';
    document.body.dataset.conn = c.state;
    // Back after a break: what is on screen is stale, so it is loaded again.
    if (c.state === 'live' && wasDown) {
      void state.api.health().then(
        (hs) => state.setHealth(hs),
        () => undefined,
      );
      void views[active].refresh();
    }
    wasDown = c.state !== 'live';
  });
  pause.addEventListener('click', () => {
    const paused = !(state.health?.paused ?? false);
    state.api.setPaused(paused).then(
      (hs) => state.setHealth(hs),
      (err: unknown) => (notice.textContent = errorText(err)),
    );
  });

  state.api.onHealth((hs) => state.setHealth(hs));
  state.api.onConnection?.((c) => state.setConnection(c));
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
    notice.textContent = `Cannot reach the monitor: ${errorText(err)}. Trying again every 5 s…`;
    // The page comes up by itself once the server answers again.
    const retry = window.setInterval(() => {
      state.api.health().then(
        () => {
          window.clearInterval(retry);
          location.reload();
        },
        () => undefined,
      );
    }, 5_000);
    return;
  }
  markRange();
  const first = route();
  document.body.dataset.ready = 'true';
  await first;
}

void boot();
