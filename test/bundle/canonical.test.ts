import fc from 'fast-check';
import canonicalize from 'canonicalize';
import { describe, expect, it } from 'vitest';
import { canonicalCopy, canonicalJson } from '../../src/bundle/canonical';
import { PolicyError } from '../../src/policy/errors';

describe('canonicalJson numbers (RFC 8785 §3.2.2.3, ES6 Number-to-string)', () => {
  it.each([
    [0, '0'],
    [-0, '0'],
    [1, '1'],
    [-1.5, '-1.5'],
    [0.1, '0.1'],
    [1e21, '1e+21'],
    [1e20, '100000000000000000000'],
    [1e-7, '1e-7'],
    [0.000001, '0.000001'],
    [333333333.33333329, '333333333.3333333'],
    [5e-324, '5e-324'],
    [1.7976931348623157e308, '1.7976931348623157e+308'],
    [9007199254740992, '9007199254740992'],
    [295147905179352830000, '295147905179352830000'],
  ])('%s prints as %s', (n, text) => {
    expect(canonicalJson(n)).toBe(text);
  });
});

describe('canonicalJson objects and strings', () => {
  it('sorts keys by UTF-16 code units, as the RFC 8785 example does', () => {
    const value = { '\u20ac': 'Euro Sign', '\r': 'Carriage Return', '\ufb33': 'Hebrew Letter Dalet With Dagesh', '1': 'One', '\ud83d\ude00': 'Emoji: Grinning Face', '\u0080': 'Control', '\u00f6': 'Latin Small Letter O With Diaeresis' };
    // Read the keys off the text: a parsed object would list the integer-like key "1" first.
    const keys = [...canonicalJson(value).matchAll(/"((?:[^"\\]|\\.)*)":/g)].map((m) => JSON.parse(`"${m[1]}"`));
    expect(keys).toEqual(['\r', '1', '\u0080', '\u00f6', '\u20ac', '\ud83d\ude00', '\ufb33']);
  });

  it('matches the RFC 8785 §3.2.2 sample output', () => {
    const input = { numbers: [333333333.33333329, 1e30, 4.5, 2e-3, 0.000000000000000000000000001], string: '\u20ac$\u000f\u000aA\'\u0042\u0022\u005c\\"/', literals: [null, true, false] };
    expect(canonicalJson(input)).toBe(
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    );
  });

  it('has no whitespace and nests sorted objects', () => {
    expect(canonicalJson({ b: [{ d: 1, c: 2 }], a: { z: null, y: 'x' } })).toBe('{"a":{"y":"x","z":null},"b":[{"c":2,"d":1}]}');
  });

  it('leaves out object properties that are undefined, as a JSON round trip would', () => {
    expect(canonicalJson({ a: 1, b: undefined })).toBe('{"a":1}');
  });

  it('uses toJSON, so a Date prints as its ISO string', () => {
    expect(canonicalJson({ at: new Date(Date.UTC(2026, 10, 22, 10)) })).toBe('{"at":"2026-11-22T10:00:00.000Z"}');
  });
});

describe('canonicalJson refuses what is not JSON', () => {
  it.each<[string, unknown, string]>([
    ['undefined inside an array', [1, undefined], '[1]'],
    ['a hole in an array', [1, , 3], '[1]'], // eslint-disable-line no-sparse-arrays
    ['NaN', { a: NaN }, 'a'],
    ['Infinity', { a: [Infinity] }, 'a[0]'],
    ['-Infinity', -Infinity, ''],
    ['a function', { f: () => 1 }, 'f'],
    ['a symbol', { s: Symbol('x') }, 's'],
    ['a bigint', { n: 10n }, 'n'],
    ['a Map', { m: new Map([[1, 2]]) }, 'm'],
    ['a Uint8Array', { bytes: new Uint8Array([1]) }, 'bytes'],
    ['a lone surrogate', { text: 'a\ud800b' }, 'text'],
    ['a lone surrogate in a key', { ['\udc00']: 1 }, ''],
    ['undefined at the top', undefined, ''],
  ])('%s', (_name, value, path) => {
    let error: unknown;
    try {
      canonicalJson(value);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PolicyError);
    expect((error as PolicyError).code).toBe('bundle_error');
    expect((error as PolicyError).message).toContain(` at ${path || 'the top level'}`);
  });

  it('accepts a surrogate pair', () => {
    expect(canonicalJson('😀')).toBe('"😀"');
  });
});

describe('canonicalJson properties', () => {
  const json = fc.jsonValue();

  it('is a fixed point of parse-then-canonicalize', () => {
    fc.assert(
      fc.property(json, (value) => {
        const text = canonicalJson(value);
        expect(canonicalJson(JSON.parse(text))).toBe(text);
      }),
    );
  });

  it('does not depend on key order', () => {
    fc.assert(
      fc.property(json, fc.integer(), (value, seed) => {
        expect(canonicalJson(shuffleKeys(value, seed))).toBe(canonicalJson(value));
      }),
    );
  });

  it('prints exactly what the canonicalize package (an independent RFC 8785 implementation) prints', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 5 }), (value) => {
        expect(canonicalJson(value)).toBe(canonicalize(value));
      }),
      { numRuns: 500 },
    );
  });

  it('canonicalCopy is a deep copy with the same canonical form, keys in canonical order', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 5 }), (value) => {
        const copy = canonicalCopy(value);
        // V8 lists integer-like keys ("0") first whatever the insertion order; canonicalJson notices
        // and sorts them, so only the canonical form is guaranteed, not JSON.stringify's order.
        expect(canonicalJson(copy)).toBe(canonicalJson(value));
        expect(copy).toEqual(JSON.parse(JSON.stringify(value)));
      }),
      { numRuns: 300 },
    );
    const source = JSON.parse('{"b":1,"__proto__":{"x":1},"a":[{"d":2,"c":new Date(0)}]}'.replace('new Date(0)', '"t"'));
    const copy = canonicalCopy(source);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(JSON.stringify(copy)).toBe('{"__proto__":{"x":1},"a":[{"c":"t","d":2}],"b":1}');
    expect(canonicalCopy({ when: new Date(0) })).toEqual({ when: '1970-01-01T00:00:00.000Z' });
    expect(() => canonicalCopy({ a: [1, Number.NaN] })).toThrow(/a\[1\]/);
  });

  it('agrees with JSON.parse on the value', () => {
    fc.assert(
      fc.property(json, (value) => {
        expect(JSON.parse(canonicalJson(value))).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });
});

/** The same value with every object's keys inserted in a seed-dependent order. */
function shuffleKeys(value: unknown, seed: number): unknown {
  if (Array.isArray(value)) return value.map((v, i) => shuffleKeys(v, seed + i));
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value);
  const rotated = entries.map((_, i) => entries[(i + Math.abs(seed)) % entries.length]).reverse();
  return Object.fromEntries(rotated.map(([k, v]) => [k, shuffleKeys(v, seed * 31 + 7)]));
}
