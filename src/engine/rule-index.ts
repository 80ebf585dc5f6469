// Finds the rules that can match a context without scanning the ones that cannot.
//
// A rule whose condition is (or is an `and` containing) `field eq scalar` or `field in [scalars]`
// can only match when the context's value at `field` is one of those scalars. Rules are bucketed by
// such a guard field and value; lookups return the bucket merged with the unguarded rules, in rule
// order. The candidates are a superset of the matching rules (every candidate is still tested), so
// indexed and linear evaluation decide identically (a property test holds them to it).

import type { Condition } from '../policy/types';
import { isScalar } from './deep-equal';
import { getterFor, type Getter } from './path';
import type { CompiledRule } from './rule';

/** A field is worth an index only when it guards several rules. */
const MIN_RULES_PER_INDEX = 3;
/** Precompute bucket ∪ unguarded lists while that costs at most this many references. */
const MAX_PRECOMPUTED_REFS = 250_000;

type Scalar = string | number | boolean;
interface Guard { field: string; values: Scalar[] }

interface Bucket { rules: CompiledRule[]; merged?: CompiledRule[] }
interface FieldIndex { field: string; get: Getter; buckets: Map<Scalar, Bucket> }

export type CandidateFinder = (context: unknown) => readonly CompiledRule[];

export function scanAll(rules: CompiledRule[]): CandidateFinder {
  return () => rules;
}

export function buildIndex(rules: CompiledRule[], minRulesPerIndex = MIN_RULES_PER_INDEX): CandidateFinder {
  const guardsByRule = rules.map((r) => guardsOf(r.source.condition));
  const rulesPerField = new Map<string, number>();
  for (const guards of guardsByRule) {
    for (const field of new Set(guards.map((g) => g.field))) rulesPerField.set(field, (rulesPerField.get(field) ?? 0) + 1);
  }

  const indexes = new Map<string, FieldIndex>();
  const unguarded: CompiledRule[] = [];
  rules.forEach((rule, i) => {
    const guard = bestGuard(guardsByRule[i], rulesPerField, minRulesPerIndex);
    if (!guard) return void unguarded.push(rule);
    let index = indexes.get(guard.field);
    if (!index) indexes.set(guard.field, (index = { field: guard.field, get: getterFor(guard.field), buckets: new Map() }));
    for (const value of new Set(guard.values)) {
      let bucket = index.buckets.get(value);
      if (!bucket) index.buckets.set(value, (bucket = { rules: [] }));
      bucket.rules.push(rule);
    }
  });
  if (indexes.size === 0) return scanAll(rules);

  const fieldIndexes = [...indexes.values()];
  const bucketCount = fieldIndexes.reduce((n, ix) => n + ix.buckets.size, 0);
  if (bucketCount * unguarded.length <= MAX_PRECOMPUTED_REFS) {
    for (const ix of fieldIndexes) for (const b of ix.buckets.values()) b.merged = mergeInOrder(b.rules, unguarded);
  }

  if (fieldIndexes.length === 1) {
    const [ix] = fieldIndexes;
    return (ctx) => {
      const x = ix.get(ctx);
      if (x === undefined) return unguarded;
      if (Array.isArray(x)) return mergeInOrder(unionOfElements(ix, x), unguarded);
      const bucket = ix.buckets.get(x as Scalar);
      if (!bucket) return unguarded;
      return bucket.merged ?? mergeInOrder(bucket.rules, unguarded);
    };
  }

  return (ctx) => {
    let single: Bucket | undefined;
    let found: CompiledRule[] | undefined;
    for (let i = 0; i < fieldIndexes.length; i++) {
      const ix = fieldIndexes[i];
      const x = ix.get(ctx);
      if (x === undefined) continue;
      const rulesHere = Array.isArray(x) ? unionOfElements(ix, x) : ix.buckets.get(x as Scalar)?.rules;
      if (!rulesHere || rulesHere.length === 0) continue;
      if (!found && !single && !Array.isArray(x)) { single = ix.buckets.get(x as Scalar); continue; }
      found = mergeInOrder(found ?? single?.rules ?? [], rulesHere);
      single = undefined;
    }
    if (single) return single.merged ?? mergeInOrder(single.rules, unguarded);
    return found ? mergeInOrder(found, unguarded) : unguarded;
  };
}

/** Guards of a condition: its own eq/in leaf, or those of the leaves of a top-level `and` (recursively). */
function guardsOf(condition: Condition): Guard[] {
  if (condition === null || typeof condition !== 'object') return [];
  if (condition.operator === 'and') return condition.conditions.flatMap(guardsOf);
  // A quantifier's leaves test list elements (`$.name`), not context fields: never a guard.
  if (!('field' in condition) || !('value' in condition) || condition.valueField !== undefined) return [];
  const { operator, field, value } = condition;
  if (operator === 'eq' && isScalar(value)) return [{ field, values: [value] }];
  if (operator === 'in' && Array.isArray(value) && value.length > 0 && value.every(isScalar)) {
    return [{ field, values: value as Scalar[] }];
  }
  return [];
}

/** Prefer the field that groups the most rules, then the guard with the fewest values. */
function bestGuard(guards: Guard[], rulesPerField: Map<string, number>, minRules: number): Guard | undefined {
  let best: Guard | undefined;
  for (const g of guards) {
    const n = rulesPerField.get(g.field) ?? 0;
    if (n < minRules) continue;
    if (!best) { best = g; continue; }
    const bestN = rulesPerField.get(best.field) ?? 0;
    if (n > bestN || (n === bestN && g.values.length < best.values.length)) best = g;
  }
  return best;
}

/** A list value shares an element with an `in` guard: the union of those elements' buckets. */
function unionOfElements(ix: FieldIndex, elements: unknown[]): CompiledRule[] {
  let out: CompiledRule[] = [];
  for (const e of elements) {
    const bucket = isScalar(e) ? ix.buckets.get(e) : undefined;
    if (bucket) out = mergeInOrder(out, bucket.rules);
  }
  return out;
}

/** Merge two rule lists sorted by `order`, dropping duplicates. */
export function mergeInOrder(a: readonly CompiledRule[], b: readonly CompiledRule[]): CompiledRule[] {
  if (a.length === 0) return b as CompiledRule[];
  if (b.length === 0) return a as CompiledRule[];
  const out: CompiledRule[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i];
    const y = b[j];
    if (x.order < y.order) { out.push(x); i++; }
    else if (y.order < x.order) { out.push(y); j++; }
    else { out.push(x); i++; j++; }
  }
  while (i < a.length) out.push(a[i++]);
  while (j < b.length) out.push(b[j++]);
  return out;
}
