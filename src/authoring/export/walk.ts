// One walk over a condition tree for every target: each supplies how to write constants,
// and/or/not and leaves; a construct it cannot write throws Untranslatable with where it is.
import type { Condition, LeafCondition } from '../../policy/types';
import { isLeafOperator, positiveForm as positiveOf } from '../../policy/operators';

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
      if (isLeafOperator(op)) return writer.leaf(condition as LeafCondition, at);
      throw new Untranslatable(at, `operator "${op}" is not supported by export`);
    }
  }
}

/** Splits a leaf into its positive form and whether to negate it (the operator table's negations). */
export function positiveForm(leaf: LeafCondition): { operator: LeafCondition['operator']; negated: boolean } {
  return positiveOf(leaf.operator);
}
