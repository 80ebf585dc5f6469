// The leaf operators of spec §2 in one table: what each compares, which operator it is the exact
// negation of, what it gives on a missing field, and what value it takes. The schema, the
// compiler, lint, explain and the exporters read this instead of each listing the operators.
import type { LeafOperator } from './types';

/** What a leaf compares; operators of one kind share a value shape (and a schema). */
export type OperatorKind = 'equality' | 'ordering' | 'membership' | 'containment' | 'pattern' | 'affix' | 'presence';
/** The `value` a leaf takes: any JSON, a list, a number or string, a string, an RE2 pattern, or none. */
export type OperatorValue = 'any' | 'list' | 'number-or-string' | 'string' | 'regex' | 'none';

export interface OperatorInfo {
  kind: OperatorKind;
  /** The positive operator this one is the exact negation of (ne → eq), if it is a negated form. */
  negates?: LeafOperator;
  /** Its exact negation, either way round (eq ↔ ne), if the language has one. */
  negation?: LeafOperator;
  /** The leaf's result when the field is missing (spec §2: false for every positive form but not_exists). */
  onMissing: boolean;
  value: OperatorValue;
}

export const LEAF_OPERATOR_TABLE: Readonly<Record<LeafOperator, OperatorInfo>> = {
  eq: { kind: 'equality', negation: 'ne', onMissing: false, value: 'any' },
  ne: { kind: 'equality', negates: 'eq', negation: 'eq', onMissing: true, value: 'any' },
  gt: { kind: 'ordering', onMissing: false, value: 'number-or-string' },
  gte: { kind: 'ordering', onMissing: false, value: 'number-or-string' },
  lt: { kind: 'ordering', onMissing: false, value: 'number-or-string' },
  lte: { kind: 'ordering', onMissing: false, value: 'number-or-string' },
  in: { kind: 'membership', negation: 'not_in', onMissing: false, value: 'list' },
  not_in: { kind: 'membership', negates: 'in', negation: 'in', onMissing: true, value: 'list' },
  contains: { kind: 'containment', negation: 'not_contains', onMissing: false, value: 'any' },
  not_contains: { kind: 'containment', negates: 'contains', negation: 'contains', onMissing: true, value: 'any' },
  matches: { kind: 'pattern', onMissing: false, value: 'regex' },
  starts_with: { kind: 'affix', onMissing: false, value: 'string' },
  ends_with: { kind: 'affix', onMissing: false, value: 'string' },
  exists: { kind: 'presence', negation: 'not_exists', onMissing: false, value: 'none' },
  not_exists: { kind: 'presence', negates: 'exists', negation: 'exists', onMissing: true, value: 'none' },
};

/** Every leaf operator, in the table's order. */
export const LEAF_OPERATORS = Object.keys(LEAF_OPERATOR_TABLE) as LeafOperator[];

const hasOwn = Object.prototype.hasOwnProperty;

export function isLeafOperator(op: unknown): op is LeafOperator {
  return typeof op === 'string' && hasOwn.call(LEAF_OPERATOR_TABLE, op);
}

/** The operators of one kind, in the table's order. */
export function operatorsOfKind(kind: OperatorKind): LeafOperator[] {
  return LEAF_OPERATORS.filter((op) => LEAF_OPERATOR_TABLE[op].kind === kind);
}

/** A negated operator's positive form and `negated: true`; a positive one as it is. */
export function positiveForm(op: LeafOperator): { operator: LeafOperator; negated: boolean } {
  const positive = LEAF_OPERATOR_TABLE[op].negates;
  return positive ? { operator: positive, negated: true } : { operator: op, negated: false };
}
