import { clamp, logNormal, normal, uniform } from './noise';

/**
 * The simulated AI-ops stack as pure functions of (seed, time): which phase a service is in
 * (ok, slow, down), how long it takes to answer and what it says. The live servers and the
 * seeded history both ask this model, so a chart drawn from history continues seamlessly
 * into live data.
 */

export const SERVICE_IDS = [
  'scheduler',
  'task-queue',
  'llm-local',
  'llm-cloud',
  'llm-gateway',
  'orchestrator',
] as const;
export type ServiceId = (typeof SERVICE_IDS)[number];

export function isServiceId(id: string): id is ServiceId {
  return (SERVICE_IDS as readonly string[]).includes(id);
}

export type Phase = 'ok' | 'slow' | 'down';

interface ServiceSpec {
  /** The path the ai-ops preset probes. */
  path: string;
  /** Latency distribution when healthy: log-normal median and spread. */
  medianMs: number;
  sigma: number;
  /** Latency multiplier during a slow period. */
  slowFactor: number;
  /** Chance that a given phase slot is an outage / a slow period. */
  pDown: number;
  pSlow: number;
}

export const SERVICES: Readonly<Record<ServiceId, ServiceSpec>> = {
  scheduler: {
    path: '/health',
    medianMs: 4,
    sigma: 0.35,
    slowFactor: 12,
    pDown: 0.02,
    pSlow: 0.05,
  },
  'task-queue': {
    path: '/stats',
    medianMs: 2.5,
    sigma: 0.5,
    slowFactor: 25,
    pDown: 0.015,
    pSlow: 0.06,
  },
  'llm-local': {
    path: '/health',
    medianMs: 45,
    sigma: 0.45,
    slowFactor: 40,
    pDown: 0.03,
    pSlow: 0.06,
  },
  'llm-cloud': {
    path: '/health',
    medianMs: 260,
    sigma: 0.3,
    slowFactor: 5,
    pDown: 0.02,
    pSlow: 0.08,
  },
  'llm-gateway': {
    path: '/health',
    medianMs: 30,
    sigma: 0.4,
    slowFactor: 10,
    pDown: 0.015,
    pSlow: 0.04,
  },
  orchestrator: {
    path: '/status',
    medianMs: 6,
    sigma: 0.4,
    slowFactor: 6,
    pDown: 0.015,
    pSlow: 0.08,
  },
};

/** What a service does with one request. */
export type Reply =
  | { kind: 'json'; delayMs: number; status: number; body: Record<string, unknown> }
  /** The process is gone or crashed mid-request: the connection is cut without a reply. */
  | { kind: 'reset'; delayMs: number };

export interface ModelOptions {
  seed: number;
  /** Length of a phase slot: outages and slow periods last one or more slots. */
  slotMs?: number;
}

const HOUR = 3_600_000;

export class DemoModel {
  readonly seed: number;
  readonly slotMs: number;
  private readonly forced = new Map<ServiceId, Phase>();

  constructor(opts: ModelOptions) {
    this.seed = opts.seed;
    this.slotMs = opts.slotMs ?? 90_000;
  }

  /** Pins a service to a phase (tests, or a demo of an outage); null returns it to chance. */
  force(id: ServiceId, phase: Phase | null): void {
    if (phase === null) this.forced.delete(id);
    else this.forced.set(id, phase);
  }

  phase(id: ServiceId, t: number): Phase {
    const forced = this.forced.get(id);
    if (forced) return forced;
    const spec = SERVICES[id];
    const slot = Math.floor(t / this.slotMs);
    const u = uniform(this.seed, id, 'phase', slot);
    const own: Phase = u < spec.pDown ? 'down' : u < spec.pDown + spec.pSlow ? 'slow' : 'ok';
    // The gateway falls back to the cloud channel when the local LLM is out, which is slow.
    if (id === 'llm-gateway' && own === 'ok' && this.phase('llm-local', t) === 'down')
      return 'slow';
    return own;
  }

  /** The reply to the n-th request at time t; n makes each request's latency its own draw. */
  reply(id: ServiceId, t: number, n: number): Reply {
    const spec = SERVICES[id];
    const phase = this.phase(id, t);
    const u1 = uniform(this.seed, id, 'lat1', t, n);
    const u2 = uniform(this.seed, id, 'lat2', t, n);
    let delayMs = logNormal(spec.medianMs, spec.sigma, u1, u2);
    if (phase === 'slow')
      delayMs *= spec.slowFactor * (0.7 + 0.6 * uniform(this.seed, id, 'sf', t));
    delayMs = clamp(delayMs, 0.2, 20_000);
    if (phase === 'down') return this.downReply(id, delayMs);
    return { kind: 'json', delayMs, status: 200, body: this.body(id, t, phase) };
  }

  /** Each service fails in its own way, as the real ones do. */
  private downReply(id: ServiceId, delayMs: number): Reply {
    switch (id) {
      case 'scheduler':
        return {
          kind: 'json',
          delayMs,
          status: 503,
          body: { status: 'degraded', error: 'worker pool exhausted' },
        };
      case 'task-queue':
      case 'llm-local':
        return { kind: 'reset', delayMs: Math.min(delayMs, 5) };
      case 'llm-cloud':
        return {
          kind: 'json',
          delayMs: delayMs * 3,
          status: 503,
          body: { error: 'upstream overloaded' },
        };
      case 'llm-gateway':
        return { kind: 'json', delayMs, status: 502, body: { error: 'no healthy channel' } };
      case 'orchestrator':
        return { kind: 'json', delayMs, status: 200, body: { state: 'stopped' } };
    }
  }

  private body(id: ServiceId, t: number, phase: Phase): Record<string, unknown> {
    const n = (k: string): number =>
      normal(uniform(this.seed, id, k, t), uniform(this.seed, id, `${k}'`, t));
    switch (id) {
      case 'scheduler': {
        const lag =
          phase === 'slow' ? 20 + 15 * uniform(this.seed, id, 'lag', t) : Math.abs(n('lag')) * 0.8;
        // The ops manager's loop counter: one loop every 10 s since the epoch of the demo day.
        return {
          status: 'healthy',
          loops: Math.floor((t % (24 * HOUR)) / 10_000),
          lag_seconds: round(lag, 2),
        };
      }
      case 'task-queue': {
        const wave = 25 + 18 * Math.sin((2 * Math.PI * t) / (2 * HOUR) + this.phi(id));
        const depth =
          phase === 'slow'
            ? 250 + 150 * uniform(this.seed, id, 'backlog', t)
            : wave + 6 * n('depth');
        return { depth: Math.max(0, Math.round(depth)), workers: phase === 'slow' ? 2 : 4 };
      }
      case 'llm-local':
        return {
          status: 'ok',
          slots_idle: phase === 'slow' ? 0 : 1 + Math.floor(3 * uniform(this.seed, id, 's', t)),
        };
      case 'llm-cloud':
      case 'llm-gateway':
        return { status: 'ok' };
      case 'orchestrator':
        return { state: 'running', ...this.orchestratorScores(t, phase) };
    }
  }

  /**
   * Confidence drifts on a slow (6 h) and a faster (47 min) cycle plus noise, and dips in a
   * bad period; quality follows it; the second-pass rate rises as confidence falls.
   */
  orchestratorScores(
    t: number,
    phase: Phase,
  ): { confidence: number; quality: number; second_pass_rate: number } {
    const id = 'orchestrator';
    const n = (k: string): number =>
      normal(uniform(this.seed, id, k, t), uniform(this.seed, id, `${k}'`, t));
    const dip = phase === 'slow' ? 0.28 : 0;
    const confidence = clamp(
      0.78 +
        0.07 * Math.sin((2 * Math.PI * t) / (6 * HOUR) + this.phi('c6')) +
        0.04 * Math.sin((2 * Math.PI * t) / (47 * 60_000) + this.phi('c47')) +
        0.015 * n('c') -
        dip,
      0,
      1,
    );
    const quality = clamp(0.45 + 0.5 * confidence + 0.01 * n('q'), 0, 1);
    const secondPass = clamp(0.1 + 0.7 * (0.8 - confidence) + 0.02 * n('s'), 0, 1);
    return {
      confidence: round(confidence, 3),
      quality: round(quality, 3),
      second_pass_rate: round(secondPass, 3),
    };
  }

  private phi(key: string): number {
    return 2 * Math.PI * uniform(this.seed, 'phi', key);
  }
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
