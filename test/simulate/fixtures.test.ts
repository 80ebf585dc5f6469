// JSONL fixtures: one context per line, blank lines skipped, bad lines named by line and column.
import { describe, expect, it } from 'vitest';
import { parseFixtures } from '../../src/simulate/fixtures';

describe('parseFixtures', () => {
  it('reads one object per line, skipping blank lines and tolerating CRLF', () => {
    const { contexts, problems } = parseFixtures('{"a": 1}\r\n\n  \n{"b": {"c": [1]}}\n', 'f.jsonl');
    expect(problems).toEqual([]);
    expect(contexts).toEqual([{ line: 1, context: { a: 1 } }, { line: 4, context: { b: { c: [1] } } }]);
  });

  it('names each bad line: JSON errors with their column, non-objects with what they are', () => {
    const { contexts, problems } = parseFixtures('{"ok": true}\n{"a": }\n[1]\n"text"\n', 'f.jsonl');
    expect(contexts).toHaveLength(1);
    expect(problems).toEqual([
      { line: 2, message: 'f.jsonl:2:7: invalid JSON: unexpected character "}" (expected a value)' },
      { line: 3, message: 'f.jsonl:3: expected a JSON object (one context per line), got an array' },
      { line: 4, message: 'f.jsonl:4: expected a JSON object (one context per line), got "text"' },
    ]);
  });
});
