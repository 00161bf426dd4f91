import type { Config, Rule, RuleInput, Target } from '../../../shared/config-schema';
import { num, opt, type FormValues } from './target-form-model';

/** The rule editor's inputs, in form order; each is one top-level field of the rule schema. */
export const RULE_FIELDS = [
  'id',
  'name',
  'enabled',
  'series',
  'op',
  'warn',
  'crit',
  'forSamples',
  'forSec',
  'recoverSamples',
] as const;

const NUMBER_FIELDS = ['warn', 'crit', 'forSamples', 'forSec', 'recoverSamples'] as const;

/** Empty inputs are left out, so the schema's defaults (and its "set warn, crit or both") apply. */
export function toRuleInput(v: FormValues): RuleInput {
  const s = (k: string) => (typeof v[k] === 'string' ? (v[k] as string) : '');
  const out: Record<string, unknown> = {
    id: s('id').trim(),
    series: s('series').trim(),
    op: s('op'),
    enabled: v.enabled !== false,
  };
  const name = opt(s('name'));
  if (name !== undefined) out.name = name;
  for (const f of NUMBER_FIELDS) {
    const n = num(s(f));
    if (n !== undefined) out[f] = n;
  }
  // Unparsed text reaches the schema on purpose: it answers "expected number" on that field.
  return out as RuleInput;
}

export function fromRule(r: Rule): FormValues {
  const text = (n: number | undefined) => (n === undefined ? '' : String(n));
  return {
    id: r.id,
    name: r.name ?? '',
    enabled: r.enabled,
    series: r.series,
    op: r.op,
    warn: text(r.warn),
    crit: text(r.crit),
    forSamples: text(r.forSamples),
    forSec: text(r.forSec),
    recoverSamples: text(r.recoverSamples),
  };
}

/** One line for the rules table: `tg.api.ms > warn 500 / crit 1000, for 3 samples`. */
export function describeRule(r: Rule): string {
  const levels = [
    r.warn === undefined ? null : `warn ${r.warn}`,
    r.crit === undefined ? null : `crit ${r.crit}`,
  ].filter((x) => x !== null);
  const hold = [
    r.forSamples > 1 ? `${r.forSamples} samples` : null,
    r.forSec > 0 ? `${r.forSec} s` : null,
  ].filter((x) => x !== null);
  return `${r.series} ${r.op} ${levels.join(' / ')}${hold.length ? `, for ${hold.join(' and ')}` : ''}`;
}

const SYSTEM_SERIES = ['sys.cpu', 'sys.mem', 'sys.swap', 'sys.load1', 'sys.net.rx', 'sys.net.tx'];

function targetSeriesOf(t: Target): string[] {
  const base = [`tg.${t.id}.up`, `tg.${t.id}.ms`];
  switch (t.kind) {
    case 'http':
      return [
        ...base,
        `tg.${t.id}.ttfb`,
        ...(t.url.startsWith('https:') ? [`tg.${t.id}.cert`] : []),
        ...Object.keys(t.metrics).map((m) => `tg.${t.id}.m.${m}`),
      ];
    case 'file':
      return [...base, ...Object.keys(t.metrics).map((m) => `tg.${t.id}.m.${m}`)];
    case 'prometheus':
      return [...base, `tg.${t.id}.m.${t.metric}`];
    case 'tcp':
      return base;
  }
}

/**
 * Series a rule can watch, offered as suggestions in the editor: the machine's, each
 * configured target's and any seen live (disk mounts, file metrics the config cannot name).
 */
export function seriesSuggestions(cfg: Config, seen: Iterable<string>): string[] {
  const all = new Set([
    ...SYSTEM_SERIES,
    'tg.*.up',
    'tg.*.ms',
    'tg.*.cert',
    ...cfg.targets.flatMap(targetSeriesOf),
    ...seen,
  ]);
  return [...all];
}
