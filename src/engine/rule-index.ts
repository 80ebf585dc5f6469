// Finds the rules that can match a context without scanning the ones that cannot.
//
// A rule whose condition is (or is an `and` containing) `field eq scalar` or `field in [scalars]`
// can only match when the context's value at `field` is one of those scalars. Rules are bucketed by
// such a guard field and value; a bucket holds only its own rules, the unguarded rules are one list
// the evaluator runs once per evaluation beside the bucket. The candidates are a superset of the
// matching rules (every candidate is still tested), so indexed and linear evaluation decide
// identically (a property test holds them to it).
//
// A rule found through its bucket by a scalar value already passed its guard leaf (the value is the
// bucket's key), so the bucket carries the rule's test without that leaf.

import type { Condition } from '../policy/types';
import { compileCondition } from './condition';
import { Code, useSlots, type LeafDescriptor } from './fast-leaf';
import { isScalar } from './deep-equal';
import { intern } from './intern';
import { KNOWN_IDS, knownBit } from './known-paths';
import { getterFor, type Getter } from './path';
import type { CompiledRule } from './rule';

/** A field is worth an index only when it guards several rules. */
const MIN_RULES_PER_INDEX = 3;

type Scalar = string | number | boolean;
type Test = (context: unknown) => boolean;
interface Guard { field: string; values: Scalar[]; leaf: Condition }

/**
 * Rules in rule order as one flat program the evaluator walks with one loop: per rule `rule, n` then n cells of leaves, as `op, value` pairs (all must
 * hold; none: it matches), or `rule, -1, test` for a condition that is not an `and` of fast leaves.
 * A leaf's op is its comparison (Code) times 32 plus its slot; a short `in` / `not_in` list is
 * inline, `op, length, elements...`; an op of NO_SLOT pairs with the leaf's descriptor, for a leaf
 * that reads its field itself. The list is the bucket itself (the index's Map holds it), so a
 * bucket found among 1,000 costs one or two cache lines rather than an object per part. A rule
 * found through its bucket carries its leaves, or its test, without the guard it passed.
 */
export type Candidates = readonly unknown[];
interface FieldIndex { field: string; get: Getter; buckets: Map<Scalar, Candidates> }

/** The unguarded rules (run on every context) and a finder for the guarded ones a context can match. */
export interface RuleIndex {
  unguarded: Candidates;
  /** With `slots` (readKnownInto of knownMask), a known guard field is read from them. */
  find: (context: unknown, slots?: readonly unknown[]) => Candidates;
  /** The known fields (knownBit) any candidate's leaves read: the evaluator reads them once up front. */
  knownMask: number;
}

export const NO_CANDIDATES: Candidates = Object.freeze([]);

/** The rules of a program, in its order (for the careful pass and merging buckets: not the hot path). */
export function rulesOf(program: Candidates): CompiledRule[] {
  const rules: CompiledRule[] = [];
  for (let p = 0; p < program.length;) {
    rules.push(program[p] as CompiledRule);
    const n = program[p + 1] as number;
    p += n < 0 ? 3 : 2 + n;
  }
  return rules;
}

/** A leaf's op: its comparison (Code) times 32 plus its slot; just NO_SLOT when it reads its field itself. */
export const NO_SLOT = 31;

/** Candidates under construction: per rule, its leaves or (when it has none in fast form) its test. */
class CandidateList {
  readonly rules: CompiledRule[] = [];
  readonly tests: Array<Test | undefined> = [];
  readonly lists: Array<readonly LeafDescriptor[] | undefined> = [];

  add(rule: CompiledRule, leaves: readonly LeafDescriptor[] | undefined, test: () => Test): void {
    this.rules.push(rule);
    this.lists.push(leaves);
    this.tests.push(leaves === undefined ? test() : undefined);
  }

  build(): Candidates {
    const n = this.rules.length;
    if (n === 0) return NO_CANDIDATES;
    const program: unknown[] = [];
    for (let i = 0; i < n; i++) {
      const list = this.lists[i];
      if (list === undefined) { program.push(this.rules[i], -1, this.tests[i]); continue; }
      const at = program.length;
      program.push(this.rules[i], 0);
      for (const d of list) {
        if (d.slot < 0) program.push(NO_SLOT, d);
        // A short `in` list inline: its length, then its elements (no list object to load).
        else if (d.code === Code.In || d.code === Code.NotIn) program.push(d.code * 32 + d.slot, (d.v as unknown[]).length, ...(d.v as unknown[]));
        else program.push(d.code * 32 + d.slot, d.v);
      }
      program[at + 1] = program.length - at - 2;
    }
    return program;
  }
}

function withFullTests(rules: readonly CompiledRule[]): Candidates {
  const list = new CandidateList();
  for (const rule of rules) list.add(rule, rule.leaves, () => rule.test);
  return list.build();
}

/**
 * The known fields every evaluation reads anyway: the first leaf of each unguarded rule (and the
 * guard field, added by the caller). Read once up front, they save a call per leaf that reads them;
 * a field read only by later leaves is left to them, so no context object is touched that lazy
 * evaluation would not have touched (on cold contexts that costs more than the read saves).
 */
function alwaysRead(unguarded: readonly CompiledRule[]): number {
  let mask = 0;
  for (const rule of unguarded) {
    const first = rule.leaves?.[0];
    if (first !== undefined && first.known >= 0) mask |= knownBit(first.known);
  }
  return mask;
}

/**
 * Point every leaf the evaluator may run at the slots of `mask`, before any Candidates are built
 * (bucket lists hold the same descriptors as their rules' lists). The descriptors belong to this
 * index only: each load compiles its own rules.
 */
function assignSlots(rules: readonly CompiledRule[], mask: number): number {
  for (const rule of rules) if (rule.leaves) useSlots(rule.leaves, mask);
  return mask;
}

export function scanAll(rules: CompiledRule[]): RuleIndex {
  const knownMask = assignSlots(rules, alwaysRead(rules));
  return { unguarded: withFullTests(rules), find: () => NO_CANDIDATES, knownMask };
}

export function buildIndex(rules: CompiledRule[], minRulesPerIndex = MIN_RULES_PER_INDEX): RuleIndex {
  const guardsByRule = rules.map((r) => guardsOf(r.source.condition));
  const rulesPerField = new Map<string, number>();
  for (const guards of guardsByRule) {
    for (const field of new Set(guards.map((g) => g.field))) rulesPerField.set(field, (rulesPerField.get(field) ?? 0) + 1);
  }

  const indexes = new Map<string, { field: string; get: Getter; buckets: Map<Scalar, CandidateList> }>();
  const unguarded: CompiledRule[] = [];
  rules.forEach((rule, i) => {
    const guard = bestGuard(guardsByRule[i], rulesPerField, minRulesPerIndex);
    if (!guard) return void unguarded.push(rule);
    let index = indexes.get(guard.field);
    if (!index) indexes.set(guard.field, (index = { field: guard.field, get: getterFor(guard.field), buckets: new Map() }));
    // The rule's leaves without the guard's; a rule not in that form compiles its condition without it.
    const rest = rule.leaves?.filter((d) => d.source !== guard.leaf);
    let restTest: Test | undefined;
    const test = () => (restTest ??= compileCondition(withoutLeaf(rule.source.condition, guard.leaf), 'condition').test);
    for (const value of new Set(guard.values)) {
      const key = typeof value === 'string' ? intern(value) : value;
      let bucket = index.buckets.get(key);
      if (!bucket) index.buckets.set(key, (bucket = new CandidateList()));
      bucket.add(rule, rest, test);
    }
  });
  if (indexes.size === 0) return scanAll(rules);
  // With one index, its guard field is read up front too (find takes it from the slots).
  const guardSlot = indexes.size === 1 ? KNOWN_IDS.get([...indexes.keys()][0]) ?? -1 : -1;
  const knownMask = assignSlots(rules, alwaysRead(unguarded) | (guardSlot >= 0 ? knownBit(guardSlot) : 0));
  const all = withFullTests(unguarded);
  const fieldIndexes: FieldIndex[] = [...indexes.values()].map((ix) => ({
    field: ix.field, get: ix.get, buckets: new Map([...ix.buckets].map(([key, list]) => [key, list.build()])),
  }));

  if (fieldIndexes.length === 1) {
    const [ix] = fieldIndexes;
    const slot = guardSlot;
    return {
      unguarded: all,
      knownMask,
      find: (ctx, slots) => {
        const x = slot >= 0 && slots !== undefined ? slots[slot] : ix.get(ctx);
        if (x === undefined) return NO_CANDIDATES;
        if (typeof x === 'object') return Array.isArray(x) ? withFullTests(unionOfElements(ix, x)) : NO_CANDIDATES;
        return ix.buckets.get(x as Scalar) ?? NO_CANDIDATES;
      },
    };
  }

  return {
    unguarded: all,
    knownMask,
    find: (ctx) => {
      let single: Candidates | undefined;
      let found: readonly CompiledRule[] | undefined;
      for (let i = 0; i < fieldIndexes.length; i++) {
        const ix = fieldIndexes[i];
        const x = ix.get(ctx);
        if (x === undefined) continue;
        if (!Array.isArray(x)) {
          const bucket = ix.buckets.get(x as Scalar);
          if (bucket === undefined) continue;
          if (!found && !single) { single = bucket; continue; }
          found = mergeInOrder(found ?? rulesOf(single!), rulesOf(bucket));
        } else {
          const here = unionOfElements(ix, x);
          if (here.length === 0) continue;
          found = mergeInOrder(found ?? (single ? rulesOf(single) : []), here);
        }
        single = undefined;
      }
      // One bucket found by a scalar: its guard-free tests hold. Several: each rule's whole test.
      if (single) return single;
      return found ? withFullTests(found) : NO_CANDIDATES;
    },
  };
}

/** Guards of a condition: its own eq/in leaf, or those of the leaves of a top-level `and` (recursively). */
function guardsOf(condition: Condition): Guard[] {
  if (condition === null || typeof condition !== 'object') return [];
  if (condition.operator === 'and') return condition.conditions.flatMap(guardsOf);
  // A quantifier's leaves test list elements (`$.name`), not context fields: never a guard.
  if (!('field' in condition) || !('value' in condition) || condition.valueField !== undefined) return [];
  const { operator, field, value } = condition;
  if (operator === 'eq' && isScalar(value)) return [{ field, values: [value], leaf: condition }];
  if (operator === 'in' && Array.isArray(value) && value.length > 0 && value.every(isScalar)) {
    return [{ field, values: value as Scalar[], leaf: condition }];
  }
  return [];
}

/** The condition with one leaf (found by identity) taken out of its `and`s; the leaf alone becomes `true`. */
function withoutLeaf(condition: Condition, leaf: Condition): Condition {
  if (condition === leaf) return true;
  if (condition === null || typeof condition !== 'object' || condition.operator !== 'and') return condition;
  return { ...condition, conditions: condition.conditions.filter((c) => c !== leaf).map((c) => withoutLeaf(c, leaf)) };
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
function unionOfElements(ix: FieldIndex, elements: unknown[]): readonly CompiledRule[] {
  let out: readonly CompiledRule[] = [];
  for (const e of elements) {
    const bucket = isScalar(e) ? ix.buckets.get(e) : undefined;
    if (bucket) out = mergeInOrder(out, rulesOf(bucket));
  }
  return out;
}

/** Merge two rule lists sorted by `order`, dropping duplicates. */
export function mergeInOrder(a: readonly CompiledRule[], b: readonly CompiledRule[]): readonly CompiledRule[] {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
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
