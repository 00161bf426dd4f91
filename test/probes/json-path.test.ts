import { describe, expect, it } from 'vitest';
import { getJsonPath, parseJsonPath } from '../../electron/main/probes/json-path';

const doc = {
  status: 'healthy',
  confidence: 0.85,
  nested: { list: [10, 20, { deep: true }], 'with space': 1, 'a.b': 2 },
  nil: null,
};

describe('JSON path', () => {
  it('parses dots, indexes and quoted keys', () => {
    expect(parseJsonPath('$')).toEqual([]);
    expect(parseJsonPath('$.a.b[0]')).toEqual(['a', 'b', 0]);
    expect(parseJsonPath(`$['k'].x["y z"][-1]`)).toEqual(['k', 'x', 'y z', -1]);
    expect(parseJsonPath(`$['it\\'s']`)).toEqual(["it's"]);
  });

  it('looks values up, telling missing from null', () => {
    expect(getJsonPath(doc, '$.confidence')).toEqual({ found: true, value: 0.85 });
    expect(getJsonPath(doc, '$.nested.list[1]')).toEqual({ found: true, value: 20 });
    expect(getJsonPath(doc, '$.nested.list[-1].deep')).toEqual({ found: true, value: true });
    expect(getJsonPath(doc, `$.nested['with space']`)).toEqual({ found: true, value: 1 });
    expect(getJsonPath(doc, `$.nested['a.b']`)).toEqual({ found: true, value: 2 });
    expect(getJsonPath(doc, '$.nil')).toEqual({ found: true, value: null });
    expect(getJsonPath(doc, '$')).toEqual({ found: true, value: doc });
    expect(getJsonPath(doc, '$.nope')).toEqual({ found: false });
    expect(getJsonPath(doc, '$.nested.list[9]')).toEqual({ found: false });
    expect(getJsonPath(doc, '$.status.length')).toEqual({ found: false });
    expect(getJsonPath(doc, '$.nested[0]')).toEqual({ found: false });
    expect(getJsonPath(doc, '$.toString')).toEqual({ found: false });
  });

  it('says what is wrong with a bad path and where', () => {
    expect(() => parseJsonPath('status')).toThrow(
      'invalid JSON path "status": expected $ at the start at character 1',
    );
    expect(() => parseJsonPath('$.a[')).toThrow(
      /expected an index or a quoted key after "\[" at character 5/,
    );
    expect(() => parseJsonPath(`$['a`)).toThrow(/unterminated quoted key/);
    expect(() => parseJsonPath('$.')).toThrow(/expected a field name after "\."/);
    expect(() => parseJsonPath('$x')).toThrow(/unexpected "x" at character 2/);
  });
});
