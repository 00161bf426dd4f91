import { effectiveTimeoutMs, type Target } from '../../../shared/config-schema';
import type { ProbeResult } from '../../../shared/sample';
import { probeFile } from './file';
import { probeHttp } from './http';
import { probePrometheus } from './prometheus';
import { probeTcp } from './tcp';

export interface ProbeContext {
  /** The collection interval; a probe's deadline always stays below it. */
  intervalSec: number;
  /** Cancels the probe (e.g. on shutdown); the result then says "cancelled". */
  signal?: AbortSignal;
  /** The most the probe may take (what is left of the collector's tick), below its timeout. */
  budgetMs?: number;
}

/**
 * Runs one check of any kind. Never throws and never rejects: whatever goes wrong, the
 * loop gets a result with up=false and an error, so one bad target costs only its own sample.
 */
export async function runProbe(target: Target, ctx: ProbeContext): Promise<ProbeResult> {
  try {
    switch (target.kind) {
      case 'http':
        return await probeHttp(target, deadlineOf(target.timeoutMs, ctx), ctx.signal);
      case 'tcp':
        return await probeTcp(target, deadlineOf(target.timeoutMs, ctx), ctx.signal);
      case 'file':
        return await probeFile(target, deadlineOf(FILE_TIMEOUT_MS, ctx), ctx.signal);
      case 'prometheus':
        return await probePrometheus(target, ctx);
      default:
        return {
          up: false,
          error: `unknown target kind ${JSON.stringify((target as { kind?: unknown }).kind)}`,
        };
    }
  } catch (err) {
    return {
      up: false,
      error: `probe failed: ${err instanceof Error ? err.message : String(err)}`,
    };
  }
}

/** Reading a local file is quick; this only guards against a hung network mount. */
const FILE_TIMEOUT_MS = 5_000;

function deadlineOf(timeoutMs: number, ctx: ProbeContext): number {
  return Math.min(effectiveTimeoutMs(timeoutMs, ctx.intervalSec), ctx.budgetMs ?? Infinity);
}

export { closeHttpAgents } from './http';
