import type { Config, HttpTarget } from '../../../shared/config-schema';
import {
  SAMPLE_VERSION,
  toTargetSample,
  type ProbeResult,
  type Sample,
  type SystemSample,
} from '../../../shared/sample';
import { checkConditions, extractMetrics } from '../probes/conditions';
import { describeError } from '../probes/errors';
import { DemoModel, isServiceId, type Reply, type ServiceId } from './model';
import { clamp, normal, uniform } from './noise';

/** The machine's own figures when the history is made: the seeded series end at them. */
export interface SystemAnchor {
  cpu?: number;
  mem?: number;
  disk?: Record<string, number>;
}

/**
 * What the collector would have stored had it watched the simulated stack over [from, to):
 * one sample per interval, each target judged by its own conditions and metrics exactly as
 * the HTTP probe judges a live reply. System figures are synthetic but plausible, so the
 * machine charts are not empty either; given the machine's real memory and disk use, they
 * arrive at those at `range.to`, so the live samples carry on without a cliff.
 */
export function* demoHistory(
  model: DemoModel,
  config: Config,
  range: { from: number; to: number },
  anchor: SystemAnchor = {},
): Generator<Sample> {
  const step = config.interval * 1000;
  const targets = config.targets.filter(
    (t): t is HttpTarget => t.enabled && t.kind === 'http' && isServiceId(t.id),
  );
  const start = Math.ceil(range.from / step) * step;
  for (let t = start; t < range.to; t += step) {
    const tg: Sample['tg'] = {};
    for (const target of targets)
      tg[target.id] = toTargetSample(judge(target, model.reply(target.id as ServiceId, t, 0)));
    yield { v: SAMPLE_VERSION, t, sys: system(model.seed, t, range.to, anchor), tg };
  }
}

/** The probe's verdict on a reply, by the same rules as electron/main/probes/http.ts. */
export function judge(target: HttpTarget, reply: Reply): ProbeResult {
  if (reply.kind === 'reset')
    return { up: false, error: describeError({ code: 'ECONNRESET' }, new URL(target.url).host) };
  const ms = reply.delayMs + 0.4;
  const base: ProbeResult = { up: false, ms, ttfb: ms - 0.1, status: reply.status };
  const accepted = target.expectStatus
    ? target.expectStatus.includes(reply.status)
    : reply.status >= 200 && reply.status < 300;
  if (!accepted) {
    const wanted = target.expectStatus ? target.expectStatus.join(' or ') : '2xx';
    return { ...base, error: `status ${reply.status} (expected ${wanted})` };
  }
  const metrics = extractMetrics(reply.body, target.metrics);
  if (Object.keys(metrics).length > 0) base.metrics = metrics;
  const failed = checkConditions(reply.body, target.conditions);
  return failed ? { ...base, error: failed } : { ...base, up: true };
}

function system(seed: number, t: number, end: number, anchor: SystemAnchor): SystemSample {
  const n = (k: string): number =>
    normal(uniform(seed, 'sys', k, t), uniform(seed, 'sys', `${k}'`, t));
  const dayAt = (x: number) => Math.sin((2 * Math.PI * x) / 86_400_000);
  const day = dayAt(t);
  // Noise fades out over the last minutes, so the last seeded value is the real one.
  const settle = Math.min(1, (end - t) / 600_000);
  const synthetic = clamp(
    18 + 10 * day + 6 * n('cpu') + (uniform(seed, 'sys', 'burst', t) < 0.03 ? 45 : 0),
    1,
    100,
  );
  // With the machine's figure, the same shape around it, arriving at it at `end`.
  const cpu =
    anchor.cpu === undefined
      ? synthetic
      : clamp(anchor.cpu + settle * (synthetic - 18 - 10 * dayAt(end)), 0, 100);
  const mem =
    anchor.mem === undefined
      ? clamp(52 + 6 * day + 1.5 * n('mem'), 5, 99)
      : clamp(anchor.mem + settle * (6 * (day - dayAt(end)) + 1.5 * n('mem')), 0, 100);
  // Disks fill slowly: about a point a day, up to today's real figure.
  const back = (end - t) / 86_400_000;
  const disk = anchor.disk
    ? Object.fromEntries(
        Object.entries(anchor.disk).map(([m, v]) => [m, round1(clamp(v - back, 0, 100))]),
      )
    : { '/': round1(61 + (t % 86_400_000) / 86_400_000) };
  return {
    cpu: round1(cpu),
    mem: round1(mem),
    load1: round1(Math.max(0, (cpu / 100) * 2 + 0.2 * n('load'))),
    disk,
  };
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
