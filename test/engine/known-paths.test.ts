// The known context fields exist twice for speed (one getter each, and one switch the leaf
// interpreter inlines): both must read the same value for every field, present or not.
import { describe, expect, it } from 'vitest';
import { KNOWN_IDS, KNOWN_PATHS, readKnown } from '../../src/engine/known-paths';

describe('known paths', () => {
  it('readKnown reads what each field getter reads', () => {
    expect([...KNOWN_IDS.keys()]).toEqual([...KNOWN_PATHS.keys()]);
    for (const [path, id] of KNOWN_IDS) {
      const [a, b] = path.split('.');
      const value = `value of ${path}`;
      const contexts = [{ [a]: { [b]: value } }, { [a]: { [b]: null } }, { [a]: 'not an object' }, {}, null, 7];
      for (const ctx of contexts) expect(readKnown(id, ctx)).toBe(KNOWN_PATHS.get(path)!(ctx));
      expect(readKnown(id, { [a]: { [b]: value } })).toBe(value);
    }
  });
});
