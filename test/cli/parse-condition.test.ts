import { describe, expect, it } from 'vitest';
import { parseCondition } from '../../electron/main/cli/parse-condition';

describe('parseCondition', () => {
  it.each([
    ['$.status == "healthy"', { path: '$.status', op: '==', value: 'healthy' }],
    ['$.status == healthy', { path: '$.status', op: '==', value: 'healthy' }],
    ['$.confidence >= 0.7', { path: '$.confidence', op: '>=', value: 0.7 }],
    ['$.a.b[0] != null', { path: '$.a.b[0]', op: '!=', value: null }],
    ['$.ready == true', { path: '$.ready', op: '==', value: true }],
    ['$.queue.depth < 100', { path: '$.queue.depth', op: '<', value: 100 }],
    ['$.version exists', { path: '$.version', op: 'exists' }],
    ['$.x<=3', { path: '$.x', op: '<=', value: 3 }],
    ['$.flags.exists == true', { path: '$.flags.exists', op: '==', value: true }],
  ])('%s', (text, expected) => {
    expect(parseCondition(text)).toEqual(expected);
  });

  it('says what is wrong with a malformed condition', () => {
    expect(() => parseCondition('status == ok')).toThrow(/left side must be a JSON path/);
    expect(() => parseCondition('$.x ~ 3')).toThrow(/write \$.path op value/);
    expect(() => parseCondition('$.x ==')).toThrow(/write \$.path op value/);
  });
});
