// An atom is one test a rule makes (a tier, a model list, a cost threshold, an exception ...),
// together with the facts that make it true and the facts that make it false. The rule's
// condition is built from atoms, and so are its tests: every atom is tried on both sides, which
// is how a generated policy gets "cases on both sides of every threshold and every exception".
import type { Condition, JsonValue } from '../../../policy/types';

/** Context facts by dotted path; `undefined` means the field is absent. */
export type Facts = Record<string, JsonValue | undefined>;

export interface Atom {
  condition: Condition;
  /** Facts under which the atom holds; the first is the one the other atoms' tests use. */
  holds: Facts[];
  /** Facts under which it does not. */
  fails: Facts[];
  /** Fields worth showing in the rule's reason. */
  shows: string[];
}

/** The next value above `v` that still reads as a neighbour: 2 -> 2.1, 0.8 -> 0.81, 0.003 -> 0.0031; whole counts step by 1. */
export function stepAbove(v: number, whole: boolean): number {
  return round(v + step(v, whole));
}

export function stepBelow(v: number, whole: boolean): number {
  return round(v - step(v, whole));
}

function step(v: number, whole: boolean): number {
  if (whole) return 1;
  if (v === 0) return 0.01;
  return 10 ** (Math.floor(Math.log10(Math.abs(v))) - 1);
}

function round(v: number): number {
  return Number(v.toPrecision(12));
}

export type Comparison = 'gt' | 'gte' | 'lt' | 'lte';

/** `field <op> value`, tried at the value and one step to each side that changes the answer. */
export function threshold(field: string, op: Comparison, value: number, whole: boolean): Atom {
  const above = stepAbove(value, whole);
  const below = stepBelow(value, whole);
  const cases: Record<Comparison, { holds: number[]; fails: number[] }> = {
    gt: { holds: [above], fails: [value] },
    gte: { holds: [value], fails: [below] },
    lt: { holds: [below], fails: [value] },
    lte: { holds: [value], fails: [above] },
  };
  const { holds, fails } = cases[op];
  return {
    condition: { operator: op, field, value },
    holds: holds.map((v) => ({ [field]: v })),
    fails: [...fails.map((v) => ({ [field]: v })), { [field]: undefined }],
    shows: [field],
  };
}

/** `field` equal to one of `values` (one value: eq). `others` are values it may take instead. */
export function oneOf(field: string, values: string[], others: string[]): Atom {
  const condition: Condition = values.length === 1
    ? { operator: 'eq', field, value: values[0] }
    : { operator: 'in', field, value: values };
  return { condition, holds: values.map((v) => ({ [field]: v })), fails: [{ [field]: others[0] }, { [field]: undefined }], shows: [field] };
}

/** `field` outside `values`, including a request that does not say (not_in is true on a missing field). */
export function noneOf(field: string, values: string[], others: string[]): Atom {
  return {
    condition: { operator: 'not_in', field, value: values },
    holds: [{ [field]: others[0] }, { [field]: undefined }],
    fails: values.map((v) => ({ [field]: v })),
    shows: [field],
  };
}

/** A list field (user.roles) holding one of `values`. */
export function listHas(field: string, values: string[]): Atom {
  const condition: Condition = values.length === 1
    ? { operator: 'contains', field, value: values[0] }
    : { operator: 'in', field, value: values };
  return { condition, holds: values.map((v) => ({ [field]: [v] })), fails: [{ [field]: ['someone-else'] }, { [field]: undefined }], shows: [] };
}

export function isTrue(field: string): Atom {
  return { condition: { operator: 'eq', field, value: true }, holds: [{ [field]: true }], fails: [{ [field]: false }, { [field]: undefined }], shows: [field] };
}

export function absent(field: string, example: string): Atom {
  return { condition: { operator: 'not_exists', field }, holds: [{ [field]: undefined }], fails: [{ [field]: example }], shows: [] };
}

/** Alternatives for a string value that differ from every value in `taken`. */
export function othersThan(taken: string[], candidates: string[], fallback: string): string[] {
  const free = candidates.filter((c) => !taken.includes(c));
  return free.length ? free : [fallback];
}
