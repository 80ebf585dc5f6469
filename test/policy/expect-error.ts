// Test helper: write the bad policy with a ▸ where the error must point, and check the thrown
// PolicyError's code, path, line, column and message against it.
import { expect } from 'vitest';
import { PolicyError } from '../../src/policy/errors';
import { parsePolicies, type ParseOptions } from '../../src/policy/parse';

export const MARK = '▸';

export interface ExpectedError {
  code?: 'parse_error' | 'schema_error';
  path?: string;
  message: string | RegExp;
  document?: number;
}

/** The text without its marker, and the marker's 1-based line and column. */
export function unmark(marked: string): { text: string; line: number; column: number } {
  const at = marked.indexOf(MARK);
  if (at < 0 || marked.indexOf(MARK, at + 1) >= 0) throw new Error('mark the error position with exactly one ▸');
  const before = marked.slice(0, at);
  const line = before.split('\n').length;
  return { text: marked.slice(0, at) + marked.slice(at + 1), line, column: at - before.lastIndexOf('\n') };
}

export function catchPolicyError(run: () => unknown): PolicyError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(PolicyError);
    return error as PolicyError;
  }
  throw new Error('expected a PolicyError, but nothing was thrown');
}

export function expectPolicyError(marked: string, expected: ExpectedError, opts: ParseOptions = { filename: 'policy.yaml' }): PolicyError {
  const { text, line, column } = unmark(marked);
  const error = catchPolicyError(() => parsePolicies(text, opts));
  expect({ code: error.code, path: error.path, line: error.line, column: error.column }).toEqual({
    code: expected.code ?? 'schema_error',
    path: expected.path,
    line,
    column,
  });
  if (typeof expected.message === 'string') expect(error.message).toContain(expected.message);
  else expect(error.message).toMatch(expected.message);
  expect(error.file).toBe(opts.filename);
  if (expected.document !== undefined) expect(error.document).toBe(expected.document);
  return error;
}
