// Schemas for the scalar pieces of the language: ids, field paths, semver, leaf values, regexes.
import * as z from 'zod';
import { RE2JS } from 're2js';
import { splitFieldPath } from './paths';
import { describeValue } from './messages';
import { isPlainObject } from './schema-helpers';
import type { JsonValue } from './types';

export const ID_PATTERN = /^[a-z0-9][a-z0-9._-]{0,127}$/;

/** semver.org's recommended pattern. */
const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

export const idSchema = z.string().regex(ID_PATTERN, {
  error: (issue) =>
    `invalid id ${describeValue(issue.input)}: use 1 to 128 lowercase letters, digits, ".", "_" or "-", starting with a letter or digit`,
});

export const semverSchema = z.string({
  // YAML reads `version: 1.0` as a number, so say how to write it.
  error: (issue) => (issue.code !== 'invalid_type' || issue.input === undefined ? undefined : `version must be a semver string such as "1.0.0", got ${describeValue(issue.input)}`),
}).regex(SEMVER, {
  error: (issue) => `version ${describeValue(issue.input)} is not semver (e.g. 1.0.0)`,
});

export const fieldPathSchema = z.string().superRefine((path, ctx) => {
  try {
    splitFieldPath(path);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message });
  }
});

/** Finite numbers, strings, booleans, nulls, lists and mappings: the first thing that is not. */
function nonJson(value: unknown, path: (string | number)[] = []): { path: (string | number)[]; message: string } | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : { path, message: `numbers must be finite, got ${value}` };
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = nonJson(value[i], [...path, i]);
      if (found) return found;
    }
    return undefined;
  }
  if (isPlainObject(value)) {
    for (const [key, item] of Object.entries(value)) {
      const found = nonJson(item, [...path, key]);
      if (found) return found;
    }
    return undefined;
  }
  return { path, message: `not a JSON value: ${typeof value}` };
}

export const jsonValueSchema = z.custom<JsonValue>(() => true).superRefine((value, ctx) => {
  const found = nonJson(value);
  if (found) ctx.addIssue({ code: 'custom', path: found.path, message: found.message });
});

/** What a leaf's `value` must be, by operator. */
export type LeafValueKind = 'any' | 'list' | 'number-or-string' | 'string';

const KIND_TESTS: Record<LeafValueKind, [(v: unknown) => boolean, string]> = {
  any: [() => true, 'any value'],
  list: [Array.isArray, 'a list'],
  'number-or-string': [(v) => typeof v === 'number' || typeof v === 'string', 'a number or a string'],
  string: [(v) => typeof v === 'string', 'a string'],
};

export function leafValueSchema(kind: LeafValueKind, operators: string) {
  const [test, expected] = KIND_TESTS[kind];
  return z.custom<JsonValue>(() => true).superRefine((value, ctx) => {
    if (value === null) {
      ctx.addIssue({ code: 'custom', message: 'value must not be null (to test that a field is missing, use the not_exists operator)' });
    } else if (!test(value)) {
      ctx.addIssue({ code: 'custom', message: `${operators} needs ${expected} as value, got ${describeValue(value)}` });
    } else {
      const found = nonJson(value);
      if (found) ctx.addIssue({ code: 'custom', path: found.path, message: found.message });
    }
  });
}

/** A `matches` pattern: must compile in RE2 (linear time; no backreferences or lookaround). */
export const regexSchema = z.string().superRefine((pattern, ctx) => {
  try {
    RE2JS.compile(pattern);
  } catch (error) {
    const reason = String((error as Error).message ?? error).replace(/^error parsing regexp: /, '');
    ctx.addIssue({ code: 'custom', message: `invalid regular expression (RE2 syntax): ${reason}` });
  }
});

export const flagsSchema = z.string().superRefine((flags, ctx) => {
  if (!/^[ims]+$/.test(flags) || new Set(flags).size !== flags.length) {
    ctx.addIssue({ code: 'custom', message: `flags ${describeValue(flags)} must be a non-empty string of distinct letters from i, m, s` });
  }
});

/** A safe integer; zod alone would call a string here "expected number". */
export const integerSchema = z.int({
  error: (issue) =>
    issue.code === 'invalid_type' && issue.input !== undefined ? `expected an integer, got ${describeValue(issue.input)}` : undefined,
});
/** A finite number greater than zero. */
export const positiveNumber = z.number().positive();
/** A whole number greater than zero. */
export const positiveInteger = integerSchema.positive();
