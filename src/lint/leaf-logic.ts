// Pairs of leaves on one field that can never hold together (in an `and`) or that between them
// always hold (in an `or`), by the exact semantics of spec §2. Pairwise is enough: ranges on one
// line that meet pairwise meet all together.
import { deepEqual } from '../engine/deep-equal';
import { LEAF_OPERATOR_TABLE, LEAF_OPERATORS } from '../policy/operators';
import type { LeafCondition, LeafOperator } from '../policy/types';

/** Operators that are false on a missing field. */
const NEED_PRESENCE = new Set<LeafOperator>(LEAF_OPERATORS.filter((op) => !LEAF_OPERATOR_TABLE[op].onMissing));

/** Why the leaves of one `and` can never all hold, or undefined. */
export function contradiction(leaves: LeafCondition[]): string | undefined {
  return firstPair(leaves, (a, b) => (exclusive(a, b) ? `${show(a)} and ${show(b)} cannot both hold` : undefined));
}

/** Why at least one leaf of an `or` always holds, or undefined. */
export function tautology(leaves: LeafCondition[]): string | undefined {
  return firstPair(leaves, (a, b) => (negates(a, b) ? `one of ${show(a)} and ${show(b)} always holds` : undefined));
}

function firstPair(leaves: LeafCondition[], test: (a: LeafCondition, b: LeafCondition) => string | undefined): string | undefined {
  for (let i = 0; i < leaves.length; i++) {
    for (let j = i + 1; j < leaves.length; j++) {
      if (leaves[i].field !== leaves[j].field) continue;
      const found = test(leaves[i], leaves[j]);
      if (found) return found;
    }
  }
  return undefined;
}

/** `b` is the exact negation of `a`: same field and operand, negated operator. */
function negates(a: LeafCondition, b: LeafCondition): boolean {
  return LEAF_OPERATOR_TABLE[a.operator]?.negation === b.operator && a.valueField === b.valueField && deepEqual(a.value, b.value);
}

function exclusive(a: LeafCondition, b: LeafCondition): boolean {
  if (negates(a, b)) return true;
  if ((a.operator === 'not_exists' && NEED_PRESENCE.has(b.operator)) || (b.operator === 'not_exists' && NEED_PRESENCE.has(a.operator))) return true;
  if (a.valueField !== undefined || b.valueField !== undefined) return false;
  const typeA = requiredType(a);
  const typeB = requiredType(b);
  if (typeA === undefined || typeB === undefined) return false;
  if (typeA !== typeB) return true;
  if (a.operator === 'eq' && b.operator === 'eq') return !deepEqual(a.value, b.value);
  const rangeA = rangeOf(a);
  const rangeB = rangeOf(b);
  return rangeA !== undefined && rangeB !== undefined && !overlaps(rangeA, rangeB);
}

type TypeName = 'number' | 'string' | 'boolean' | 'list' | 'object';

/** The one JSON type a field must have for the leaf to hold, when there is one. */
function requiredType(leaf: LeafCondition): TypeName | undefined {
  switch (leaf.operator) {
    case 'eq': return typeName(leaf.value);
    case 'gt': case 'gte': case 'lt': case 'lte': {
      const t = typeName(leaf.value);
      return t === 'number' || t === 'string' ? t : undefined;
    }
    case 'matches': case 'starts_with': case 'ends_with': return 'string';
    default: return undefined;
  }
}

export function typeName(value: unknown): TypeName | undefined {
  if (Array.isArray(value)) return 'list';
  if (value === null || value === undefined) return undefined;
  const t = typeof value;
  return t === 'number' || t === 'string' || t === 'boolean' || t === 'object' ? (t as TypeName) : undefined;
}

interface Bound { value: number | string; inclusive: boolean }
interface Range { low?: Bound; high?: Bound }

function rangeOf(leaf: LeafCondition): Range | undefined {
  const v = leaf.value;
  if (typeof v !== 'number' && typeof v !== 'string') return undefined;
  switch (leaf.operator) {
    case 'eq': return { low: { value: v, inclusive: true }, high: { value: v, inclusive: true } };
    case 'gt': return { low: { value: v, inclusive: false } };
    case 'gte': return { low: { value: v, inclusive: true } };
    case 'lt': return { high: { value: v, inclusive: false } };
    case 'lte': return { high: { value: v, inclusive: true } };
    default: return undefined;
  }
}

function overlaps(a: Range, b: Range): boolean {
  return below(a.low, b.high) && below(b.low, a.high);
}

/** Some value is at or above `low` and at or below `high`. */
function below(low: Bound | undefined, high: Bound | undefined): boolean {
  if (!low || !high) return true;
  return low.value < high.value || (low.value === high.value && low.inclusive && high.inclusive);
}

/** `llm.estimatedCost gt 5`, `team.tier eq "free"`: the leaf as a reader would say it. */
export function show(leaf: LeafCondition): string {
  const operand = leaf.valueField !== undefined ? ` valueField ${leaf.valueField}` : leaf.value === undefined ? '' : ` ${JSON.stringify(leaf.value)}`;
  return `${leaf.field} ${leaf.operator}${operand}`;
}
