import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PolicyError } from '../../src/policy/errors';
import { formatPath, isCanonicalIndex, parsePath, splitFieldPath } from '../../src/policy/paths';

describe('splitFieldPath', () => {
  it('splits on dots', () => {
    expect(splitFieldPath('llm.estimatedCost')).toEqual(['llm', 'estimatedCost']);
    expect(splitFieldPath('messages.0.role')).toEqual(['messages', '0', 'role']);
    expect(splitFieldPath('user')).toEqual(['user']);
  });

  it('refuses empty segments with a schema_error', () => {
    for (const bad of ['', 'a..b', '.a', 'a.', '.']) {
      expect(() => splitFieldPath(bad)).toThrow(PolicyError);
      try {
        splitFieldPath(bad);
      } catch (error) {
        expect((error as PolicyError).code).toBe('schema_error');
      }
    }
  });

  it('gives back the segments that were joined', () => {
    const segment = fc.string({ minLength: 1 }).filter((s) => !s.includes('.'));
    fc.assert(fc.property(fc.array(segment, { minLength: 1 }), (segments) => {
      expect(splitFieldPath(segments.join('.'))).toEqual(segments);
    }));
  });
});

describe('isCanonicalIndex', () => {
  it('accepts non-negative integers written canonically', () => {
    for (const yes of ['0', '1', '12', '9007199254740991']) expect(isCanonicalIndex(yes)).toBe(true);
  });

  it('refuses everything else', () => {
    for (const no of ['01', '-1', '1.5', 'length', '', ' 1', '1e3', '+1', '0x1', '9007199254740993']) expect(isCanonicalIndex(no)).toBe(false);
  });
});

describe('formatPath and parsePath', () => {
  it('write paths the way errors name them', () => {
    expect(formatPath(['rules', 2, 'condition', 'conditions', 0, 'operator'])).toBe('rules[2].condition.conditions[0].operator');
    expect(formatPath([1, 'rules', 0])).toBe('[1].rules[0]');
    expect(formatPath(['metadata', 'source', 'a.b'])).toBe('metadata.source["a.b"]');
  });

  it('read back what they write', () => {
    const segment = fc.oneof(fc.nat(), fc.string());
    fc.assert(fc.property(fc.array(segment), (segments) => {
      expect(parsePath(formatPath(segments))).toEqual(segments);
    }));
  });

  it('refuse what is not a path', () => {
    expect(parsePath('rules[x]')).toBeUndefined();
    expect(parsePath('.rules')).toBeUndefined();
  });
});
