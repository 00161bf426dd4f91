import { describe, expect, it } from 'vitest';
import type { ConfigInput } from '../../shared/config-schema';
import type { AlertEvent } from '../../shared/events';
import { SloTracker } from '../../electron/main/slo/slo-tracker';
import { SLO_RULE } from '../../electron/main/slo/slo-alerts';
import { config, Harness, sample, target, tempDirEachTest } from '../alerts/helpers';

const tmp = tempDirEachTest();
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

/**
 * A target probed every 10 s: `history` of generated samples goes into the tracker only
 * (as if loaded from the store), then the engine judges every further tick.
 */
async function setup(
  slo: NonNullable<ConfigInput['slos']>[number],
  historyMs: number,
  background = true,
  intervalSec = 10,
) {
  const step = intervalSec * 1000;
  const cfg = config({ interval: intervalSec, targets: [target('api')], slos: [slo] });
  const h = await new Harness(tmp.dir, cfg).open();
  const tracker = new SloTracker();
  tracker.configure(cfg);
  const start = h.t - historyMs;
  let n = 0;
  for (let t = start; t < h.t; t += step)
    tracker.add(sample(t, { api: background && n++ % 1000 === 999 ? 0 : 1 }));
  const events: AlertEvent[] = [];
  const run = (ms: number, up: (t: number, i: number) => boolean) => {
    const end = h.t + ms;
    while (h.t < end) {
      h.t += step;
      const s = sample(h.t, { api: up(h.t, n++) ? 1 : 0 });
      tracker.add(s);
      events.push(...h.engine.ingest(s, cfg, tracker.status(cfg, h.t)));
    }
  };
  const slo_ = () => events.filter((e) => e.rule === SLO_RULE && e.from !== 'unknown');
  return { h, tracker, cfg, run, slo: slo_ };
}

describe('burn-rate alerts on generated histories', { timeout: 90_000 }, () => {
  it('pages within 5 minutes of a total outage at 99.5 %, and recovers once it ends', async () => {
    const { h, run, slo, tracker, cfg } = await setup(
      { target: 'api', availability: 99.5 },
      3 * DAY,
      false,
    );
    run(10 * MIN, () => true);
    expect(slo()).toEqual([]);
    const outageAt = h.t;
    run(20 * MIN, () => false);
    const page = slo().find((e) => e.to === 'crit');
    expect(page).toBeDefined();
    expect(page!.t - outageAt).toBeGreaterThan(0);
    expect(page!.t - outageAt).toBeLessThanOrEqual(5 * MIN);
    expect(page!.message).toMatch(/burning fast.*page/);
    const notes = h.notifier.take().filter((n) => n.title.includes('error budget'));
    expect(notes.map((n) => n.title)).toEqual([
      'API availability SLO: error budget burning fast (page)',
    ]);
    // A whole outage of 20 min at 99.5 % over 30 d: 1h burn is 200/3 ≈ 67 at its end.
    expect(tracker.status(cfg, h.t)[0].indicators[0].burn['1h']).toBeGreaterThan(14.4);

    const recoveredAt = h.t;
    run(2 * HOUR, () => true);
    const after = slo().filter((e) => e.t > recoveredAt);
    // The 5 min window clears within about 5 min; the 6 h window (20 min of 6 h, 11×) with
    // the 30 min one keeps paging until the outage leaves the 30 min window.
    expect(after.map((e) => e.to)).toEqual(['ok']);
    expect(after[0].t - recoveredAt).toBeGreaterThan(9 * MIN);
    // (plus five minutes below the thresholds before it counts as recovered).
    expect(after[0].t - recoveredAt).toBeLessThanOrEqual(36 * MIN);
    expect(h.notifier.take().map((n) => n.title)).toContain(
      'API availability SLO: burn rate back within budget',
    );
  });

  it('pages for a fast burn even while the target is reported down (not held by it)', async () => {
    const { h, run } = await setup({ target: 'api', availability: 99.9 }, DAY);
    run(5 * MIN, () => false);
    const titles = h.notifier.take().map((n) => n.title);
    expect(titles.some((t) => t.includes('is down') || t.includes('targets'))).toBe(true);
    expect(titles.some((t) => t.includes('burning fast'))).toBe(true);
  });

  it('never pages for a 0.1 % background error rate', async () => {
    // At 99.5 % that is a fifth of the budget: nothing at all.
    const a = await setup({ target: 'api', availability: 99.5 }, 3 * DAY, true, 30);
    a.run(12 * HOUR, (_t, i) => i % 1000 !== 999);
    expect(a.slo()).toEqual([]);
    // At 99.9 % it spends the budget exactly (burn 1): at most a ticket, never a page, even
    // when single failures make the 5 min rate spike to 33.
    const b = await setup({ target: 'api', availability: 99.9 }, 3 * DAY, true, 30);
    b.run(12 * HOUR, (_t, i) => i % 1000 !== 999);
    expect(b.slo().filter((e) => e.to === 'crit')).toEqual([]);
  });

  it('opens a ticket, not a page, for a slow burn once the 3 d and 6 h rates exceed 1', async () => {
    const { h, run, slo } = await setup({ target: 'api', availability: 99.9 }, 3 * DAY, false, 30);
    const from = h.t;
    // 0.5 % errors: burn 5 against a 0.1 % budget; the 3 d rate passes 1 after ~14.4 h.
    run(18 * HOUR, (_t, i) => i % 200 !== 0);
    const events = slo();
    expect(events.map((e) => e.to)).toEqual(['warn']);
    const at = (events[0].t - from) / HOUR;
    expect(at).toBeGreaterThan(13);
    expect(at).toBeLessThan(16);
    expect(events[0].message).toMatch(/ticket/);
  });

  it('a latency objective burns on slow probes only', async () => {
    const { h, run, slo, tracker, cfg } = await setup(
      { target: 'api', availability: 99.5, latency: { thresholdMs: 500, percent: 95 } },
      DAY,
    );
    run(30 * MIN, () => true);
    expect(slo()).toEqual([]);
    const slowFrom = h.t;
    // Every probe slow (the harness's up probes answer in 5 ms). Against a 5 % budget the
    // 1 h rate passes 14.4 once 72 % of the hour was slow: after 43.2 min.
    const end = h.t + 50 * MIN;
    const events: AlertEvent[] = [];
    while (h.t < end) {
      h.t += 10_000;
      const s = sample(h.t, { api: { up: 1, ms: 900 } });
      tracker.add(s);
      events.push(...h.engine.ingest(s, cfg, tracker.status(cfg, h.t)));
    }
    const page = events.find((e) => e.rule === SLO_RULE && e.to === 'crit');
    expect(page?.message).toMatch(/latency objective 95 % under 500 ms/);
    expect(page!.t - slowFrom).toBeGreaterThan(42 * MIN);
    expect(page!.t - slowFrom).toBeLessThan(45 * MIN);
    const status = tracker.status(cfg, h.t)[0];
    expect(status.indicators.map((i) => i.alert)).toEqual(['ok', 'page']);
  });
});
