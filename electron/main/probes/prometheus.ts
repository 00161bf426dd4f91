import { performance } from 'node:perf_hooks';
import { effectiveTimeoutMs, type PrometheusTarget } from '../../../shared/config-schema';
import type { ProbeResult } from '../../../shared/sample';
import { PromQLError, queryInstant } from '../prometheus/promql-client';
import { describeError } from './errors';

/**
 * Watches a fleet through its Prometheus server: the query's one value becomes the metric
 * `target.metric`, so alert rules treat it like any JSON field. The target is down when
 * the server cannot answer or the answer is not exactly one number.
 */
export async function probePrometheus(
  target: PrometheusTarget,
  ctx: { intervalSec: number; signal?: AbortSignal; budgetMs?: number },
): Promise<ProbeResult> {
  const started = performance.now();
  const timeoutMs = Math.min(
    effectiveTimeoutMs(target.timeoutMs, ctx.intervalSec),
    ctx.budgetMs ?? Infinity,
  );
  try {
    const r = await queryInstant({
      url: target.url,
      query: target.query,
      bearerToken: target.bearerToken,
      insecure: target.insecure,
      timeoutMs,
      signal: ctx.signal,
    });
    const ms = performance.now() - started;
    // NaN and infinities are valid PromQL answers but not storable JSON numbers.
    if (!Number.isFinite(r.value))
      return { up: false, ms, error: `query returned ${String(r.value)}` };
    return { up: true, ms, metrics: { [target.metric]: r.value } };
  } catch (err) {
    return {
      up: false,
      ms: performance.now() - started,
      error: ctx.signal?.aborted ? 'cancelled' : describe(err, new URL(target.url).host, timeoutMs),
    };
  }
}

function describe(err: unknown, host: string, timeoutMs: number): string {
  if (err instanceof PromQLError) return err.message;
  if (err instanceof Error && err.name === 'TimeoutError')
    return `no answer within ${timeoutMs} ms (${host})`;
  return describeError(err, host);
}
