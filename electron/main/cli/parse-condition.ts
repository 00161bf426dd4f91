import type { JsonCondition } from '../../../shared/config-schema';
import { parseConditionText } from '../../../shared/condition-text';

/** `--condition` text to a JsonCondition; throws the reason, naming the text, when it is not one. */
export function parseCondition(text: string): JsonCondition {
  const c = parseConditionText(text);
  if ('error' in c) throw new Error(`condition ${c.error}`);
  return c;
}
