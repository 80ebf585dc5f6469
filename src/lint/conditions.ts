// Walking condition trees by path. Tolerant of malformed shapes (from bundles that never went
// through the schema): what cannot be read is skipped here and reported by invalid-condition.
import { isElementPath } from '../policy/element-paths';
import type { Condition, LeafCondition, QuantifiedCondition } from '../policy/types';

export interface ConditionAt {
  condition: Condition;
  /** Path inside the policy: `rules[0].condition.conditions[1]`. */
  path: string;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const BRANCHES = ['and', 'or', 'not'];
const QUANTIFIERS = ['any', 'all', 'none'];

export function isLeaf(condition: unknown): condition is LeafCondition {
  return isObject(condition) && typeof condition.operator === 'string' && ![...BRANCHES, ...QUANTIFIERS].includes(condition.operator);
}

export function isQuantifier(condition: unknown): condition is QuantifiedCondition {
  return isObject(condition) && QUANTIFIERS.includes(condition.operator as string);
}

/** The direct sub-conditions of and / or / not and of a quantifier, with their paths. */
export function childrenOf(condition: Condition, path: string): ConditionAt[] {
  if (!isObject(condition)) return [];
  const c = condition as Record<string, unknown>;
  if ((c.operator === 'not' || isQuantifier(c)) && c.condition !== undefined) return [{ condition: c.condition as Condition, path: `${path}.condition` }];
  if (!BRANCHES.includes(c.operator as string) || !Array.isArray(c.conditions)) return [];
  return (c.conditions as Condition[]).map((child, i) => ({ condition: child, path: `${path}.conditions[${i}]` }));
}

export interface LeafAt {
  leaf: LeafCondition;
  path: string;
  /** Inside a quantifier: the context path `$` stands for, as the list's first item (`response.toolCalls.0`). */
  element?: string;
}

/** Every leaf of the tree, with its path (and, inside a quantifier, what `$` is). */
export function leavesOf(condition: Condition, path: string, element?: string): LeafAt[] {
  if (isLeaf(condition)) return [{ leaf: condition, path, element }];
  const inner = isQuantifier(condition) && typeof condition.field === 'string' ? `${resolveElement(condition.field, element)}.0` : element;
  return childrenOf(condition, path).flatMap((child) => leavesOf(child.condition, child.path, inner));
}

/** Every quantifier of the tree, with its path and the `$` of the quantifier around it, if any. */
export function quantifiersOf(condition: Condition, path: string, element?: string): Array<{ quantifier: QuantifiedCondition; path: string; element?: string }> {
  const own = isQuantifier(condition) ? [{ quantifier: condition, path, element }] : [];
  const inner = isQuantifier(condition) && typeof condition.field === 'string' ? `${resolveElement(condition.field, element)}.0` : element;
  return [...own, ...childrenOf(condition, path).flatMap((child) => quantifiersOf(child.condition, child.path, inner))];
}

/** A `$` path as the context path it reads when `$` is `element`; other paths as they are. */
export function resolveElement(field: string, element: string | undefined): string {
  if (element === undefined || !isElementPath(field)) return field;
  return field === '$' ? element : `${element}${field.slice(1)}`;
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
