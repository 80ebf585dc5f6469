// type-mismatch: a leaf that compares a field of a known type (known-fields.ts, spec §7) with a
// value of another, which spec §2 makes a plain false (or, negated, a plain true) on every request.
// An error (publish stops): a deny rule that can never fire must not ship. The usual cause is YAML
// quoting: `value: "1.5"` against llm.estimatedCost, `value: "true"` against llm.stream, or `eq`
// on a list field where `contains` was meant. A quantifier over a field that is not a list is
// only a warning: it is no comparison, and `all`/`none` over the empty list is a legitimate true.
import { positiveForm } from '../../policy/operators';
import type { JsonValue, LeafCondition, QuantifiedCondition } from '../../policy/types';
import { leavesOf, quantifiersOf, resolveElement } from '../conditions';
import { findingAt, type LintFinding } from '../finding';
import { checkField, type FieldType } from '../known-fields';
import { show, typeName } from '../leaf-logic';
import type { Check, RuleEntry } from '../lint-set';


export const checkTypeMismatches: Check = (set) =>
  set.rules.flatMap((entry) => {
    if (entry.compileFailure) return [];
    const root = `${entry.path}.condition`;
    return [
      ...quantifiersOf(entry.rule.condition, root).flatMap((q) => listFinding(entry, q.quantifier, q.path, set.budgetIds, q.element)),
      ...leavesOf(entry.rule.condition, root).flatMap(({ leaf, path, element }) => leafFinding(entry, leaf, path, set.budgetIds, element)),
    ];
  });

/** A quantifier over a field known not to be a list sees the empty list: any is false, all and none true. */
function listFinding(entry: RuleEntry, q: QuantifiedCondition, path: string, budgetIds: readonly string[], element?: string): LintFinding[] {
  const verdict = checkField(resolveElement(q.field, element), { stage: entry.stage, budgetIds });
  if (!verdict.known || verdict.type === undefined || verdict.type === 'list') return [];
  return [findingAt(entry.policy, `${path}.field`, {
    severity: 'warning',
    code: 'type-mismatch',
    message: `${q.operator} over ${q.field} is always ${q.operator !== 'any'}: ${q.field} is a ${verdict.type}, not a list`,
    suggestion: `quantify over a list field (llm.tools, llm.toolResults, response.toolCalls, llm.messages ...), or test ${q.field} with a leaf`,
  }, entry.rule.id)];
}

function leafFinding(entry: RuleEntry, leaf: LeafCondition, path: string, budgetIds: readonly string[], element?: string): LintFinding[] {
  if (leaf.value === undefined || leaf.valueField !== undefined) return [];
  const verdict = checkField(resolveElement(leaf.field, element), { stage: entry.stage, budgetIds });
  if (!verdict.known || verdict.type === undefined) return [];
  const problem = mismatch(leaf.operator, leaf.value, verdict.type, verdict.itemType);
  if (!problem) return [];
  const outcome = positiveForm(leaf.operator).negated ? 'always holds' : 'never holds';
  return [findingAt(entry.policy, `${path}.value`, {
    severity: 'error',
    code: 'type-mismatch',
    message: `${show(leaf)} ${outcome}: ${leaf.field} is a ${verdict.type}, ${problem}`,
    suggestion: suggestionFor(leaf, verdict.type, verdict.itemType),
  }, entry.rule.id)];
}

/** What is wrong with comparing a `type` field by `operator` with `value`, if anything. */
function mismatch(operator: string, value: JsonValue, type: FieldType, itemType: FieldType | undefined): string | undefined {
  const valueType = typeName(value);
  switch (operator) {
    case 'gt': case 'gte': case 'lt': case 'lte':
      if (type === 'list' || type === 'boolean') return 'and ordering compares only numbers or strings';
      return valueType === type ? undefined : `but the value is a ${valueType}`;
    case 'eq': case 'ne':
      if (type === 'list') return Array.isArray(value) ? undefined : 'and eq compares the whole list';
      return valueType === type ? undefined : `but the value is a ${valueType}`;
    case 'in': case 'not_in': {
      const wanted = type === 'list' ? itemType : type;
      if (!Array.isArray(value) || value.length === 0 || wanted === undefined) return undefined;
      return value.some((v) => typeName(v) === wanted) ? undefined : `but no value in the list is a ${wanted}`;
    }
    case 'contains': case 'not_contains':
      if (type === 'number' || type === 'boolean') return 'and contains tests only strings and lists';
      if (type === 'string') return valueType === 'string' ? undefined : `but the value is a ${valueType}`;
      return itemType === undefined || valueType === itemType ? undefined : `whose items are ${itemType}s, but the value is a ${valueType}`;
    case 'matches': case 'starts_with': case 'ends_with':
      return type === 'string' ? undefined : `and ${operator} tests only strings`;
    default:
      return undefined;
  }
}

function suggestionFor(leaf: LeafCondition, type: FieldType, itemType: FieldType | undefined): string {
  const v = leaf.value;
  if (type === 'list' && (leaf.operator === 'eq' || leaf.operator === 'ne')) {
    return `to test for one element, use ${leaf.operator === 'eq' ? 'contains' : 'not_contains'}`;
  }
  if (type === 'list' && itemType !== undefined) return `use ${itemType} values: ${leaf.field} holds ${itemType}s`;
  if (type === 'number' && typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return `write value: ${Number(v)} without quotes`;
  if (type === 'boolean' && (v === 'true' || v === 'false')) return `write value: ${v} without quotes`;
  if (type === 'string' && (typeof v === 'number' || typeof v === 'boolean')) return `quote the value: "${String(v)}"`;
  return `compare ${leaf.field} with a ${type}`;
}
