// Walking condition trees by path. Tolerant of malformed shapes (from bundles that never went
// through the schema): what cannot be read is skipped here and reported by invalid-condition.
import type { Condition, LeafCondition } from '../policy/types';

export interface ConditionAt {
  condition: Condition;
  /** Path inside the policy: `rules[0].condition.conditions[1]`. */
  path: string;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export function isLeaf(condition: unknown): condition is LeafCondition {
  return isObject(condition) && typeof condition.operator === 'string' && !['and', 'or', 'not'].includes(condition.operator);
}

/** The direct sub-conditions of and / or / not, with their paths. */
export function childrenOf(condition: Condition, path: string): ConditionAt[] {
  if (!isObject(condition)) return [];
  const c = condition as Record<string, unknown>;
  if (c.operator === 'not' && c.condition !== undefined) return [{ condition: c.condition as Condition, path: `${path}.condition` }];
  if (!['and', 'or', 'not'].includes(c.operator as string) || !Array.isArray(c.conditions)) return [];
  return (c.conditions as Condition[]).map((child, i) => ({ condition: child, path: `${path}.conditions[${i}]` }));
}

/** Every leaf of the tree, with its path. */
export function leavesOf(condition: Condition, path: string): Array<{ leaf: LeafCondition; path: string }> {
  if (isLeaf(condition)) return [{ leaf: condition, path }];
  return childrenOf(condition, path).flatMap((child) => leavesOf(child.condition, child.path));
}

/**
 * A text equal for conditions that mean the same as written: object keys sorted, and `not` with
 * `conditions: [C]` written as `condition: C`. For conflict detection, not a full equivalence.
 */
export function conditionKey(condition: unknown): string {
  return JSON.stringify(normalize(condition));
}

function normalize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalize);
  if (!isObject(value)) return value;
  const source = value.operator === 'not' && Array.isArray(value.conditions) && value.conditions.length === 1
    ? { operator: 'not', condition: value.conditions[0] }
    : value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(source).sort()) out[key] = normalize(source[key as keyof typeof source]);
  return out;
}
