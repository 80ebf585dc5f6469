// The known context fields exist twice for speed (one getter each, and one switch the leaf
// interpreter inlines): both must read the same value for every field, present or not.
import { describe, expect, it } from 'vitest';
import { KNOWN_COUNT, KNOWN_IDS, KNOWN_PATHS, knownBit, readKnown, readKnownInto } from '../../src/engine/known-paths';

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

  it('readKnownInto reads what each field getter reads, into its slot, and no field not asked for', () => {
    const UNTOUCHED = Symbol('untouched');
    for (const [path, id] of KNOWN_IDS) {
      const [a, b] = path.split('.');
      const value = `value of ${path}`;
      const contexts = [{ [a]: { [b]: value } }, { [a]: { [b]: null } }, { [a]: 'not an object' }, {}, null, 7];
      for (const ctx of contexts) {
        const slots: unknown[] = new Array(KNOWN_COUNT).fill(UNTOUCHED);
        readKnownInto(ctx, knownBit(id), slots);
        expect(slots[id]).toBe(KNOWN_PATHS.get(path)!(ctx));
      }
      // With the field there, no other field is read (a throwing getter elsewhere is never touched).
      const slots: unknown[] = new Array(KNOWN_COUNT).fill(UNTOUCHED);
      readKnownInto({ [a]: { [b]: value } }, knownBit(id), slots);
      expect(slots.filter((s, i) => i !== id && s !== UNTOUCHED)).toEqual([]);
    }
  });

  it('readKnownInto with every bit reads every field at once', () => {
    const ctx = Object.fromEntries([...KNOWN_IDS.keys()].map((p) => p.split('.')[0]).map((head) => [head, {}]));
    for (const path of KNOWN_IDS.keys()) { const [a, b] = path.split('.'); (ctx[a] as Record<string, string>)[b] = path; }
    const slots: unknown[] = new Array(KNOWN_COUNT);
    readKnownInto(ctx, -1 >>> 0, slots);
    expect(slots).toEqual([...KNOWN_IDS.keys()]);
  });
});
