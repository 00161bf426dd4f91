import { describe, expect, it } from 'vitest';
import {
  checkCondition,
  checkConditions,
  extractMetrics,
  jsonPathProblems,
  topLevelNumbers,
} from '../../electron/main/probes/conditions';

const doc = {
  status: 'healthy',
  confidence: 0.7,
  count: 3,
  ok: true,
  when: '2026-11-25',
  nil: null,
};

describe('conditions', () => {
  it('compares with every operator, floats as floats', () => {
    expect(checkCondition(doc, { path: '$.confidence', op: '>=', value: 0.7 })).toBeUndefined();
    expect(checkCondition(doc, { path: '$.confidence', op: '>', value: 0.7 })).toBe(
      '$.confidence is 0.7 (expected > 0.7)',
    );
    expect(checkCondition(doc, { path: '$.confidence', op: '<', value: 0.71 })).toBeUndefined();
    expect(checkCondition(doc, { path: '$.count', op: '<=', value: 3 })).toBeUndefined();
    expect(checkCondition(doc, { path: '$.status', op: '==', value: 'healthy' })).toBeUndefined();
    expect(checkCondition(doc, { path: '$.status', op: '!=', value: 'healthy' })).toBe(
      '$.status is "healthy" (expected != "healthy")',
    );
    expect(checkCondition(doc, { path: '$.ok', op: '==', value: true })).toBeUndefined();
    expect(checkCondition(doc, { path: '$.nil', op: '==', value: null })).toBeUndefined();
    expect(checkCondition(doc, { path: '$.when', op: '>=', value: '2026-01-01' })).toBeUndefined();
  });

  it('treats a number typed as text as that number', () => {
    expect(checkCondition(doc, { path: '$.confidence', op: '>=', value: '0.7' })).toBeUndefined();
    expect(checkCondition(doc, { path: '$.count', op: '==', value: '3' })).toBeUndefined();
  });

  it('reports missing fields, existence and incomparable types', () => {
    expect(checkCondition(doc, { path: '$.gone', op: 'exists' })).toBe(
      '$.gone is missing (expected to exist)',
    );
    expect(checkCondition(doc, { path: '$.nil', op: 'exists' })).toBeUndefined();
    expect(checkCondition(doc, { path: '$.gone', op: '==', value: 1 })).toBe(
      '$.gone is missing (expected == 1)',
    );
    expect(checkCondition(doc, { path: '$.status', op: '>', value: 1 })).toBe(
      '$.status is "healthy", not comparable with 1 (expected > 1)',
    );
    expect(checkCondition(doc, { path: '$.a[', op: 'exists' })).toMatch(/^invalid JSON path/);
  });

  it('returns the first failure of a list', () => {
    expect(
      checkConditions(doc, [
        { path: '$.ok', op: '==', value: true },
        { path: '$.count', op: '>', value: 5 },
        { path: '$.gone', op: 'exists' },
      ]),
    ).toBe('$.count is 3 (expected > 5)');
    expect(checkConditions(doc, [])).toBeUndefined();
  });

  it('extracts finite numbers only', () => {
    expect(
      extractMetrics(doc, {
        c: '$.confidence',
        n: '$.count',
        s: '$.status',
        g: '$.gone',
        bad: '$[',
      }),
    ).toEqual({ c: 0.7, n: 3 });
    expect(topLevelNumbers({ a: 1, b: 'x', c: 2.5, 'bad name': 3, d: { e: 4 } })).toEqual({
      a: 1,
      c: 2.5,
    });
    expect(topLevelNumbers([1, 2])).toEqual({});
  });
});

describe('jsonPathProblems', () => {
  it('names each bad path by its field, for config validation', () => {
    expect(
      jsonPathProblems({
        conditions: [
          { path: '$.ok', op: 'exists' },
          { path: '$.a[', op: 'exists' },
        ],
        metrics: { good: '$.x[0]', bad: "$['x" },
      }),
    ).toEqual([
      'conditions[1].path: invalid JSON path "$.a[": expected an index or a quoted key after "[" at character 5',
      `metrics.bad: invalid JSON path "$['x": unterminated quoted key at character 3`,
    ]);
    expect(jsonPathProblems({})).toEqual([]);
  });
});
