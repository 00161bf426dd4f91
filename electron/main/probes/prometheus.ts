import { performance } from 'node:perf_hooks';
import { effectiveTimeoutMs, type PrometheusTarget } from '../../../shared/config-schema';
import type { ProbeResult } from '../../../shared/sample';
import { queryInstant } from '../prometheus/promql-client';

/**
 * Watches a fleet through its Prometheus server: the query's one value becomes the metric
 * `target.metric`, so alert rules treat it like any JSON field. The target is down when
 * the server cannot answer or the answer is not exactly one number.
 */
export async function probePrometheus(
  target: PrometheusTarget,
  ctx: { intervalSec: number },
): Promise<ProbeResult> {
  const started = performance.now();
  try {
    const r = await queryInstant({
      url: target.url,
      query: target.query,
      bearerToken: target.bearerToken,
      insecure: target.insecure,
      timeoutMs: effectiveTimeoutMs(target.timeoutMs, ctx.intervalSec),
    });
    const ms = performance.now() - started;
    // NaN and infinities are valid PromQL answers but not storable JSON numbers.
    if (!Number.isFinite(r.value))
      return { up: false, ms, error: `query returned ${String(r.value)}` };
    return { up: true, ms, metrics: { [target.metric]: r.value } };
  } catch (err) {
    return { up: false, ms: performance.now() - started, error: describe(err) };
  }
}

function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const code = (err as NodeJS.ErrnoException).code;
  if (err.name === 'TimeoutError') return 'timeout';
  return code && !err.message.includes(code) ? `${code}: ${err.message}` : err.message;
}
