import {
  ConfigSchema,
  checkConfig,
  formatIssues,
  type Config,
  type ConfigInput,
} from '../../../shared/config-schema';
import preset from '../../../resources/presets/ai-ops-stack.json';
import { isServiceId, type ServiceId } from './model';

/** The ai-ops preset as shipped (validated by test/demo/preset.test.ts). */
export const AI_OPS_PRESET: ConfigInput = preset as ConfigInput;

/**
 * The preset pointed at the simulated stack: every service target probes its simulated URL
 * and is enabled (the placeholders included, since the demo has something behind them).
 * A short interval keeps the demo lively.
 */
export function buildDemoConfig(
  urls: Readonly<Record<ServiceId, string>>,
  opts: { intervalSec?: number; base?: ConfigInput } = {},
): Config {
  const base = structuredClone(opts.base ?? AI_OPS_PRESET);
  const input: ConfigInput = {
    ...base,
    interval: opts.intervalSec ?? 5,
    targets: (base.targets ?? []).map((t) =>
      t.kind === 'http' && isServiceId(t.id) ? { ...t, url: urls[t.id], enabled: true } : t,
    ),
  };
  const parsed = ConfigSchema.safeParse(input);
  if (!parsed.success)
    throw new Error(`demo config is not valid: ${formatIssues(parsed.error).join('; ')}`);
  const problems = checkConfig(parsed.data);
  if (problems.length > 0) throw new Error(`demo config is not valid: ${problems.join('; ')}`);
  return parsed.data;
}
