import { describe, expect, it } from 'vitest';
import { DemoModel, SERVICE_IDS, SERVICES, type Reply } from '../../electron/main/demo/model';
import { logNormal, uniform } from '../../electron/main/demo/noise';

const T0 = Date.UTC(2026, 10, 25, 0, 0, 0);
const DAY = 86_400_000;

describe('the demo model', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const a = new DemoModel({ seed: 7 });
    const b = new DemoModel({ seed: 7 });
    const c = new DemoModel({ seed: 8 });
    const at = (m: DemoModel) => SERVICE_IDS.map((id) => m.reply(id, T0 + 12_345, 3));
    expect(at(a)).toEqual(at(b));
    expect(at(a)).not.toEqual(at(c));
    expect(uniform(1, 'x', 2)).toBe(uniform(1, 'x', 2));
  });

  it('has outages and slow periods at about the configured rates', () => {
    const m = new DemoModel({ seed: 3, slotMs: 60_000 });
    for (const id of SERVICE_IDS) {
      const counts = { ok: 0, slow: 0, down: 0 };
      for (let t = T0; t < T0 + 7 * DAY; t += 60_000) counts[m.phase(id, t)]++;
      const n = 7 * 1440;
      const spec = SERVICES[id];
      expect(counts.down / n, id).toBeGreaterThan(spec.pDown * 0.6);
      expect(counts.down / n, id).toBeLessThan(spec.pDown * 1.5);
      // The gateway is also slow while the local LLM is down (it falls back to the cloud).
      const slowExtra = id === 'llm-gateway' ? SERVICES['llm-local'].pDown : 0;
      expect(counts.slow / n, id).toBeGreaterThan(spec.pSlow * 0.6);
      expect(counts.slow / n, id).toBeLessThan((spec.pSlow + slowExtra) * 1.5);
    }
  });

  it('draws healthy latencies around the median, and slow ones far above', () => {
    const m = new DemoModel({ seed: 5 });
    for (const id of SERVICE_IDS) {
      m.force(id, 'ok');
      const ok = sortedDelays(m, id);
      const median = ok[Math.floor(ok.length / 2)];
      expect(median / SERVICES[id].medianMs, id).toBeGreaterThan(0.8);
      expect(median / SERVICES[id].medianMs, id).toBeLessThan(1.25);
      expect(ok[Math.floor(ok.length * 0.99)], id).toBeGreaterThan(median * 1.5);
      m.force(id, 'slow');
      const slow = sortedDelays(m, id);
      expect(slow[Math.floor(slow.length / 2)], id).toBeGreaterThan(median * 3);
    }
    expect(logNormal(10, 0.5, 0.5, 0.25)).toBeCloseTo(10, 9);
  });

  it('fails each service in its own way when it is down', () => {
    const m = new DemoModel({ seed: 1 });
    const down = (id: (typeof SERVICE_IDS)[number]): Reply => {
      m.force(id, 'down');
      return m.reply(id, T0, 0);
    };
    expect(down('scheduler')).toMatchObject({
      kind: 'json',
      status: 503,
      body: { status: 'degraded' },
    });
    expect(down('task-queue').kind).toBe('reset');
    expect(down('llm-local').kind).toBe('reset');
    expect(down('llm-cloud')).toMatchObject({ status: 503 });
    expect(down('llm-gateway')).toMatchObject({ status: 502 });
    expect(down('orchestrator')).toMatchObject({ status: 200, body: { state: 'stopped' } });
  });

  it('slows the gateway while the local LLM is down', () => {
    const m = new DemoModel({ seed: 1 });
    m.force('llm-local', 'down');
    let slow = 0;
    for (let t = T0; t < T0 + DAY; t += 600_000) if (m.phase('llm-gateway', t) !== 'ok') slow++;
    expect(slow).toBe(144);
  });

  it('drifts the orchestrator scores within range, with second passes rising as confidence falls', () => {
    const m = new DemoModel({ seed: 9 });
    const pts: { c: number; q: number; s: number }[] = [];
    for (let t = T0; t < T0 + DAY; t += 60_000) {
      const s = m.orchestratorScores(t, 'ok');
      pts.push({ c: s.confidence, q: s.quality, s: s.second_pass_rate });
    }
    const cs = pts.map((p) => p.c);
    expect(Math.min(...cs)).toBeGreaterThan(0.5);
    expect(Math.max(...cs)).toBeLessThan(1);
    expect(Math.max(...cs) - Math.min(...cs)).toBeGreaterThan(0.1);
    expect(
      correlation(
        pts.map((p) => p.c),
        pts.map((p) => p.s),
      ),
    ).toBeLessThan(-0.8);
    expect(
      correlation(
        pts.map((p) => p.c),
        pts.map((p) => p.q),
      ),
    ).toBeGreaterThan(0.8);
    const dipped = m.orchestratorScores(T0, 'slow').confidence;
    expect(dipped).toBeLessThan(m.orchestratorScores(T0, 'ok').confidence - 0.2);
  });
});

function sortedDelays(m: DemoModel, id: (typeof SERVICE_IDS)[number]): number[] {
  const out: number[] = [];
  for (let i = 0; i < 2000; i++) out.push(m.reply(id, T0 + i * 5000, i).delayMs);
  return out.sort((a, b) => a - b);
}

function correlation(x: number[], y: number[]): number {
  const mx = x.reduce((a, b) => a + b) / x.length;
  const my = y.reduce((a, b) => a + b) / y.length;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < x.length; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}
