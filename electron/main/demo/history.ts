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

/**
 * What the collector would have stored had it watched the simulated stack over [from, to):
 * one sample per interval, each target judged by its own conditions and metrics exactly as
 * the HTTP probe judges a live reply. System figures are synthetic but plausible, so the
 * machine charts are not empty either.
 */
export function* demoHistory(
  model: DemoModel,
  config: Config,
  range: { from: number; to: number },
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
    yield { v: SAMPLE_VERSION, t, sys: system(model.seed, t), tg };
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

function system(seed: number, t: number): SystemSample {
  const n = (k: string): number =>
    normal(uniform(seed, 'sys', k, t), uniform(seed, 'sys', `${k}'`, t));
  const day = Math.sin((2 * Math.PI * t) / 86_400_000);
  const cpu = clamp(
    18 + 10 * day + 6 * n('cpu') + (uniform(seed, 'sys', 'burst', t) < 0.03 ? 45 : 0),
    1,
    100,
  );
  const mem = clamp(52 + 6 * day + 1.5 * n('mem'), 5, 99);
  return {
    cpu: round1(cpu),
    mem: round1(mem),
    load1: round1(Math.max(0, (cpu / 100) * 2 + 0.2 * n('load'))),
    disk: { '/': round1(61 + (t % 86_400_000) / 86_400_000) },
  };
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
