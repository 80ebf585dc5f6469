// unknown-field (warning): a condition field or valueField, a reason placeholder or a budget scope
// that nothing in the request context provides (known-fields.ts: spec §6 and §7, response fields
// for stage: response rules, metadata.* and request.* as open namespaces, budget.<id>.* for the
// budgets in the set). Such a field is always missing, which silently changes what a rule does;
// the suggestion names the nearest known field.
import { leavesOf } from '../conditions';
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
  const leafFields = leavesOf(entry.rule.condition, `${entry.path}.condition`).flatMap(({ leaf, path }) => [
    ...fieldFinding(entry.policy, `${path}.field`, leaf.field, scope, entry.rule.id),
    ...fieldFinding(entry.policy, `${path}.valueField`, leaf.valueField, scope, entry.rule.id),
  ]);
  const reasonFields = placeholdersOf(entry.rule.action.reason).flatMap((field) =>
    fieldFinding(entry.policy, `${entry.path}.action.reason`, field, scope, entry.rule.id, 'in the reason, '));
  return [...leafFields, ...reasonFields];
}

function fieldFinding(policy: Policy, path: string, field: unknown, scope: FieldScope, ruleId?: string, where = ''): LintFinding[] {
  if (typeof field !== 'string' || field === '') return [];
  const verdict = checkField(field, scope);
  if (verdict.known) return [];
  return [findingAt(policy, path, { severity: 'warning', code: 'unknown-field', message: `${where}${verdict.message}`, suggestion: verdict.suggestion }, ruleId)];
}
