// The context paths a condition reads (fields and valueFields, in order), for code that must
// know what a bundle looks at: which enrichments to run, which budgets to fetch.
import type { Condition } from './types';

export function conditionFields(condition: Condition): string[] {
  const into: string[] = [];
  collect(condition, into);
  return into;
}

function collect(condition: Condition, into: string[]): void {
  if (typeof condition === 'boolean') return;
  if ('conditions' in condition && Array.isArray(condition.conditions)) for (const c of condition.conditions) collect(c, into);
  if ('condition' in condition && condition.condition !== undefined) collect(condition.condition, into);
  if ('field' in condition) {
    into.push(condition.field);
    if (condition.valueField !== undefined) into.push(condition.valueField);
  }
}
