// One walk over a condition tree for every target: each supplies how to write constants,
// and/or/not and leaves; a construct it cannot write throws Untranslatable with where it is.
import type { Condition, LeafCondition } from '../../policy/types';

export class Untranslatable extends Error {
  constructor(readonly at: string, message: string) {
    super(message);
    this.name = 'Untranslatable';
  }
}

export interface ConditionWriter<T> {
  constant(value: boolean): T;
  and(children: T[]): T;
  or(children: T[]): T;
  not(child: T): T;
  /** `at` is the leaf's path in the rule, e.g. `condition.conditions[1]`. */
  leaf(leaf: LeafCondition, at: string): T;
}

export function writeCondition<T>(condition: Condition, writer: ConditionWriter<T>, at = 'condition'): T {
  if (typeof condition === 'boolean') return writer.constant(condition);
  switch (condition.operator) {
    case 'and':
    case 'or': {
      const children = condition.conditions.map((c, i) => writeCondition(c, writer, `${at}.conditions[${i}]`));
      return condition.operator === 'and' ? writer.and(children) : writer.or(children);
    }
    case 'not':
      return condition.condition !== undefined
        ? writer.not(writeCondition(condition.condition, writer, `${at}.condition`))
        : writer.not(writeCondition((condition.conditions ?? [])[0], writer, `${at}.conditions[0]`));
    default: {
      const op = (condition as { operator: string }).operator;
      if (LEAF_OPERATORS.has(op)) return writer.leaf(condition as LeafCondition, at);
      throw new Untranslatable(at, `operator "${op}" is not supported by export`);
    }
  }
}

const LEAF_OPERATORS = new Set([
  'eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'not_in', 'contains', 'not_contains',
  'matches', 'starts_with', 'ends_with', 'exists', 'not_exists',
]);

/** The positive operator a negated one is the exact negation of (spec §2). */
export const NEGATION: Readonly<Record<string, LeafCondition['operator']>> = { ne: 'eq', not_in: 'in', not_contains: 'contains', not_exists: 'exists' };

/** Splits a leaf into its positive form and whether to negate it. */
export function positiveForm(leaf: LeafCondition): { operator: LeafCondition['operator']; negated: boolean } {
  const positive = NEGATION[leaf.operator];
  return positive ? { operator: positive, negated: true } : { operator: leaf.operator, negated: false };
}
