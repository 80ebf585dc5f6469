// The context paths a condition reads (fields and valueFields, in order), for code that must
// know what a bundle looks at: which enrichments to run, which budgets to fetch. Inside a
// quantifier, an element path is reported under its list: `$.injectionScore` in `any` over
// `llm.toolResults` reads `llm.toolResults.injectionScore` (the index is left out).
import { isElementPath } from './element-paths';
import type { Condition } from './types';

export function conditionFields(condition: Condition): string[] {
  const into: string[] = [];
  collect(condition, into, undefined);
  return into;
}

/** `element`: the list path `$` stands for, inside a quantifier. */
function collect(condition: Condition, into: string[], element: string | undefined): void {
  if (typeof condition !== 'object' || condition === null) return;
  if ('conditions' in condition && Array.isArray(condition.conditions)) for (const c of condition.conditions) collect(c, into, element);
  if (!('field' in condition)) {
    if ('condition' in condition && condition.condition !== undefined) collect(condition.condition, into, element);
    return;
  }
  const field = underList(condition.field, element);
  into.push(field);
  if ('condition' in condition) collect(condition.condition, into, field);
  else if (condition.valueField !== undefined) into.push(underList(condition.valueField, element));
}

function underList(path: string, element: string | undefined): string {
  if (element === undefined || !isElementPath(path)) return path;
  return path === '$' ? element : `${element}${path.slice(1)}`;
}
