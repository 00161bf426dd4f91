import type { Rule, RuleOp } from '../../../shared/config-schema';
import type { Level } from './hysteresis';

function compare(value: number, op: RuleOp, threshold: number): boolean {
  switch (op) {
    case '>':
      return value > threshold;
    case '>=':
      return value >= threshold;
    case '<':
      return value < threshold;
    case '<=':
      return value <= threshold;
    case '==':
      return value === threshold;
    case '!=':
      return value !== threshold;
  }
}

/** The level one value reaches under a rule: crit if past `crit`, else warn if past `warn`. */
export function levelFor(rule: Pick<Rule, 'op' | 'warn' | 'crit'>, value: number): Level {
  if (rule.crit !== undefined && compare(value, rule.op, rule.crit)) return 2;
  if (rule.warn !== undefined && compare(value, rule.op, rule.warn)) return 1;
  return 0;
}

/** The threshold a level refers to, for messages. */
export function thresholdFor(rule: Pick<Rule, 'warn' | 'crit'>, level: Level): number | undefined {
  return level === 2 ? rule.crit : level === 1 ? rule.warn : (rule.warn ?? rule.crit);
}

/**
 * A series pattern as a matcher. `*` matches one dot-free name part (a target id), or
 * the whole rest of the name when it ends the pattern (mount points contain dots).
 */
const matchers = new Map<string, (series: string) => boolean>();

export function seriesMatcher(pattern: string): (series: string) => boolean {
  let m = matchers.get(pattern);
  if (!m) {
    m = compileMatcher(pattern);
    // Patterns come from the config, so the cache stays small; the bound guards misuse.
    if (matchers.size > 1000) matchers.clear();
    matchers.set(pattern, m);
  }
  return m;
}

function compileMatcher(pattern: string): (series: string) => boolean {
  if (!pattern.includes('*')) return (s) => s === pattern;
  let src = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '*') src += i === pattern.length - 1 ? '.+' : '[^.]+';
    else src += ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  const re = new RegExp(`^${src}$`);
  return (s) => re.test(s);
}
