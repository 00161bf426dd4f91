import { describe, expect, it } from 'vitest';
import { ConfigSchema, formatIssues, RuleSchema, TargetSchema } from '../../shared/config-schema';
import type { QueryResult } from '../../shared/query';
import { appendPoint, pointCount, toColumns } from '../../renderer/src/charts/columns';
import { fromTarget, toTargetInput } from '../../renderer/src/views/target-form-model';
import {
  describeRule,
  fromRule,
  seriesSuggestions,
  toRuleInput,
} from '../../renderer/src/views/rule-form-model';

// The renderer's DOM-free parts, run under Node: form <-> target and live point folding.

describe('target form model', () => {
  it('round-trips an http target through the form fields', () => {
    const target = TargetSchema.parse({
      kind: 'http',
      id: 'orch',
      name: 'Orchestrator',
      url: 'http://127.0.0.1:8080/health',
      expectStatus: [200, 204],
      headers: { Authorization: 'Bearer x' },
      conditions: [
        { path: '$.status', op: '==', value: 'healthy' },
        { path: '$.ready', op: 'exists' },
        { path: '$.confidence', op: '>=', value: 0.6 },
      ],
      metrics: { confidence: '$.confidence' },
    });
    const { input, issues } = toTargetInput(fromTarget(target));
    expect(issues).toEqual([]);
    expect(TargetSchema.parse(input)).toEqual(target);
  });

  it('keeps unparsable text for the schema and reports malformed lines by index', () => {
    const { input, issues } = toTargetInput({
      kind: 'tcp',
      id: 'db',
      name: 'DB',
      host: '127.0.0.1',
      port: 'five',
      enabled: true,
    });
    expect(issues).toEqual([]);
    const r = TargetSchema.safeParse(input);
    expect(r.success).toBe(false);
    expect(r.error?.issues[0].path).toEqual(['port']);

    const bad = toTargetInput({
      kind: 'http',
      id: 'x',
      name: 'X',
      url: 'http://a',
      conditions: '$.ok == true\nstatus is fine',
      metrics: 'no equals sign',
    });
    expect(bad.issues.map((i) => i.path)).toEqual(['conditions[1]', 'metrics[0]']);
  });
});

describe('live points', () => {
  const result: QueryResult = {
    from: 0,
    to: 120_000,
    tier: '1m',
    step: 60_000,
    t: [0, 60_000],
    series: {
      a: { avg: [1, 2], min: [0, 1], max: [2, 3] },
      'tg.x.up': { avg: [1, 1], min: [1, 1], max: [1, 1] },
    },
  };

  it('folds samples within the last step and starts a new point after it', () => {
    const c = toColumns(result, ['a', 'missing'], ['tg.x.up'], true);
    expect(c.avg[1]).toEqual([null, null]);
    const counts = { last: 1 };
    appendPoint(c, 90, [4, null], [0], 0, counts);
    expect(c.t).toEqual([0, 60]);
    expect(c.avg[0][1]).toBe(3);
    expect(c.max![0][1]).toBe(4);
    expect(c.up[0][1]).toBe(0.5);
    appendPoint(c, 130, [10, null], [1], 0, counts);
    expect(c.t).toEqual([0, 60, 120]);
    expect(pointCount(c)).toBe(3);
  });

  it('slides old points out of a live range and ignores samples out of order', () => {
    const c = toColumns(result, ['a'], [], false);
    const counts = { last: 1 };
    appendPoint(c, 30, [9], [], 0, counts);
    expect(c.t).toEqual([0, 60]);
    appendPoint(c, 200, [5], [], 61, counts);
    expect(c.t[0]).toBeGreaterThanOrEqual(60);
    expect(c.avg[0][c.avg[0].length - 1]).toBe(5);
  });
});

describe('rule form model', () => {
  it('round-trips a rule through the form fields', () => {
    const rule = RuleSchema.parse({
      id: 'slow-api',
      name: 'API slow',
      series: 'tg.api.ms',
      op: '>=',
      warn: 500,
      crit: 1500.5,
      forSamples: 3,
      forSec: 60,
      recoverSamples: 4,
      enabled: false,
    });
    expect(RuleSchema.parse(toRuleInput(fromRule(rule)))).toEqual(rule);
    expect(describeRule(rule)).toBe('tg.api.ms >= warn 500 / crit 1500.5, for 3 samples and 60 s');
  });

  it('leaves empty inputs to the defaults and bad numbers to the schema, by field', () => {
    const base = { id: 'cpu', name: ' ', series: 'sys.cpu', op: '>', enabled: true };
    const defaults = RuleSchema.parse(toRuleInput({ ...base, crit: ' 95 ', warn: '' }));
    expect(defaults).toEqual({
      id: 'cpu',
      series: 'sys.cpu',
      op: '>',
      crit: 95,
      forSamples: 1,
      forSec: 0,
      recoverSamples: 2,
      enabled: true,
    });
    const r = RuleSchema.safeParse(toRuleInput({ ...base, warn: 'high', forSamples: '2.5' }));
    expect(r.success).toBe(false);
    expect(formatIssues(r.error!)).toEqual([
      'warn: Invalid input: expected number, received string',
      'forSamples: Invalid input: expected int, received number',
    ]);
  });

  it('suggests the series of the machine, of each target and those seen live', () => {
    const cfg = ConfigSchema.parse({
      targets: [
        { kind: 'http', id: 'api', name: 'API', url: 'https://x.test/h', metrics: { q: '$.q' } },
        { kind: 'tcp', id: 'db', name: 'DB', host: '127.0.0.1', port: 5432 },
        { kind: 'prometheus', id: 'node', name: 'Node', url: 'http://p:9090', query: 'up' },
      ],
    });
    const names = seriesSuggestions(cfg, ['sys.disk./', 'sys.cpu']);
    expect(names).toEqual(
      expect.arrayContaining([
        'sys.cpu',
        'sys.disk./',
        'tg.api.cert',
        'tg.api.m.q',
        'tg.db.ms',
        'tg.node.m.value',
        'tg.*.up',
      ]),
    );
    expect(names).not.toContain('tg.db.cert');
    expect(new Set(names).size).toBe(names.length);
    for (const n of names) expect(RuleSchema.shape.series.safeParse(n).success, n).toBe(true);
  });
});
