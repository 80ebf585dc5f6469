// unknown-field (warning): a condition field or valueField, a reason placeholder or a budget scope
// that nothing in the request context provides (known-fields.ts: spec §6 and §7, response fields
// for stage: response rules, metadata.* and request.* as open namespaces, budget.<id>.* for the
// budgets in the set). Such a field is always missing, which silently changes what a rule does;
// the suggestion names the nearest known field. Inside a quantifier, `$.x` is checked against
// what the list's elements provide (llm.tools, llm.toolResults, response.toolCalls ...).
import { leavesOf, quantifiersOf, resolveElement } from '../conditions';
import { findingAt, type LintFinding } from '../finding';
import { checkField, type FieldScope } from '../known-fields';
import type { Check, RuleEntry } from '../lint-set';
import { placeholdersOf } from '../placeholders';
import type { Policy } from '../../policy/types';

export const checkUnknownFields: Check = (set) => [
  ...set.rules.flatMap((entry) => ruleFindings(entry, set.budgetIds)),
  ...set.limits.flatMap((entry) => fieldFinding(entry.policy, `${entry.path}.scope`, entry.limit.scope, { stage: 'request', budgetIds: set.budgetIds })),
];

function ruleFindings(entry: RuleEntry, budgetIds: readonly string[]): LintFinding[] {
  const scope: FieldScope = { stage: entry.stage, budgetIds };
  const root = `${entry.path}.condition`;
  const leafFields = leavesOf(entry.rule.condition, root).flatMap(({ leaf, path, element }) => [
    ...fieldFinding(entry.policy, `${path}.field`, leaf.field, scope, entry.rule.id, '', element),
    ...fieldFinding(entry.policy, `${path}.valueField`, leaf.valueField, scope, entry.rule.id, '', element),
  ]);
  const listFields = quantifiersOf(entry.rule.condition, root).flatMap(({ quantifier, path, element }) =>
    fieldFinding(entry.policy, `${path}.field`, quantifier.field, scope, entry.rule.id, '', element));
  const reasonFields = placeholdersOf(entry.rule.action.reason).flatMap((field) =>
    fieldFinding(entry.policy, `${entry.path}.action.reason`, field, scope, entry.rule.id, 'in the reason, '));
  return [...listFields, ...leafFields, ...reasonFields];
}

/** `element`: what `$` stands for here; the finding then speaks of `$.x`, as the rule is written. */
function fieldFinding(policy: Policy, path: string, field: unknown, scope: FieldScope, ruleId?: string, where = '', element?: string): LintFinding[] {
  if (typeof field !== 'string' || field === '') return [];
  const resolved = resolveElement(field, element);
  const verdict = checkField(resolved, scope);
  if (verdict.known) return [];
  const asWritten = (text: string): string => (resolved === field || element === undefined ? text : text.replaceAll(`"${resolved}"`, `"${field}"`).replaceAll(`${element}.`, '$.').replaceAll(element, '$'));
  return [findingAt(policy, path, { severity: 'warning', code: 'unknown-field', message: `${where}${asWritten(verdict.message)}`, suggestion: asWritten(verdict.suggestion) }, ruleId)];
}
