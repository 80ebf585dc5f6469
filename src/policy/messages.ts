// Plain-language messages for zod's standard issues, passed as the `error` map wherever the
// language schemas are parsed. Messages set on a schema itself take precedence over these.
import type * as z from 'zod';
import { didYouMean } from './suggest';

type RawIssue = z.core.$ZodRawIssue;

export function languageErrors(issue: RawIssue): string | undefined {
  const key = issue.path?.length ? issue.path[issue.path.length - 1] : undefined;
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined && typeof key === 'string') return `missing required key "${key}"`;
      return `expected ${describeExpected(String(issue.expected))}, got ${describeValue(issue.input)}`;
    case 'invalid_value': {
      if (issue.input === undefined && typeof key === 'string') return `missing required key "${key}"`;
      const values = (issue.values as unknown[]).map(String);
      const what = typeof key === 'string' ? `${key} ` : 'value ';
      const hint = typeof issue.input === 'string' ? didYouMean(issue.input, values) : '';
      return `unknown ${what}${describeValue(issue.input)} (expected one of ${values.join(', ')})${hint}`;
    }
    case 'too_small':
      if (issue.origin === 'array') return `needs at least ${issue.minimum} item${issue.minimum === 1 ? '' : 's'}`;
      if (issue.origin === 'string') return 'must not be empty';
      return `must be ${issue.inclusive ? 'at least' : 'greater than'} ${issue.minimum}`;
    case 'too_big':
      if (issue.origin === 'array') return `takes at most ${issue.maximum} item${issue.maximum === 1 ? '' : 's'}`;
      if (issue.origin === 'string') return `must be at most ${issue.maximum} characters`;
      return `must be ${issue.inclusive ? 'at most' : 'less than'} ${issue.maximum}`;
    default:
      return undefined;
  }
}

const EXPECTED: Record<string, string> = {
  object: 'a mapping',
  record: 'a mapping',
  array: 'a list',
  string: 'a string',
  number: 'a finite number',
  int: 'an integer',
  boolean: 'true or false',
};

function describeExpected(expected: string): string {
  return EXPECTED[expected] ?? expected;
}

/** How a value is named in a message: strings quoted, collections by kind. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return JSON.stringify(value);
  return String(value);
}
