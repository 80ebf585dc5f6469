// Leaf comparisons (spec §2 "Leaf operators") compiled to closures specialised on the value's type.
// Missing is `undefined`. Negated operators are exact negations of their positive form.

import { RE2JS } from 're2js';
import { isLeafOperator, positiveForm } from '../policy/operators';
import type { ConditionTrace, JsonValue, LeafCondition, LeafOperator } from '../policy/types';
import { deepEqual, isScalar } from './deep-equal';
import { CompileFailure } from './failure';
import { describeLeaf, evalLeaf, type LeafDescriptor } from './fast-leaf';
import { isElementPath, scopedGetterFor, type ScopedGetter } from './path';

/** A compiled condition. `element` is the current list element inside a quantifier (spec §10). */
export interface CompiledNode {
  test(context: unknown, element?: unknown): boolean;
  trace(context: unknown, element?: unknown): ConditionTrace;
  /** The leaf as data, when it has that fast form: an `and` of such leaves runs them in one loop. */
  leaf?: LeafDescriptor;
  /** An `and` of such leaves (`true`: none), as one list; see leafList. */
  leaves?: readonly LeafDescriptor[];
}

/**
 * The condition as a list of fast leaves that must all hold, when it is one: the rule index puts
 * them in its flat program, run without a call through `test`. (A lone leaf's list is made only
 * here, for a rule, not for every leaf.)
 */
export function leafList(node: CompiledNode): readonly LeafDescriptor[] | undefined {
  return node.leaves ?? (node.leaf ? [node.leaf] : undefined);
}

type Test = (context: unknown, element?: unknown) => boolean;

type Predicate = (x: unknown) => boolean;
type DynamicPredicate = (x: unknown, v: unknown) => boolean;


/** `inQuantifier`: whether `$` paths are allowed here (spec §10: only inside any/all/none). */
export function compileLeaf(leaf: LeafCondition, path: string, inQuantifier = false): CompiledNode {
  const { operator, field } = leaf;
  if (!isLeafOperator(operator)) throw new CompileFailure(`${path}.operator`, `unknown operator "${String(operator)}"`);
  const get = fieldGetter(field, `${path}.field`, inQuantifier);
  // Element paths skip the fused forms: those read the context only.
  const fused = (op: LeafOperator, f: string, v: unknown): LeafDescriptor | undefined => (isElementPath(f) ? undefined : describeLeaf(op, f, v, leaf));

  if (operator === 'exists' || operator === 'not_exists') {
    const want = operator === 'exists';
    const d = fused(operator, field, undefined);
    const test: Test = d ? (ctx) => evalLeaf(d, ctx) : ((ctx, el) => (get(ctx, el) !== undefined) === want);
    return withTrace(leaf, test, (ctx, el) => ({ x: get(ctx, el), v: undefined }), d);
  }

  const { operator: positive, negated: negate } = positiveForm(operator);

  if (leaf.valueField !== undefined) {
    if (operator === 'matches') throw new CompileFailure(`${path}.valueField`, 'matches needs a literal string value, not valueField');
    const getV = fieldGetter(leaf.valueField, `${path}.valueField`, inQuantifier);
    const predicate = dynamicPredicate(positive);
    // A missing valueField makes the positive form false, so its negation true.
    const test: Test = negate
      ? (ctx, el) => { const v = getV(ctx, el); return v === undefined || !predicate(get(ctx, el), v); }
      : (ctx, el) => { const v = getV(ctx, el); return v !== undefined && predicate(get(ctx, el), v); };
    return withTrace(leaf, test, (ctx, el) => ({ x: get(ctx, el), v: getV(ctx, el) }));
  }

  checkValue(operator, leaf.value, leaf.flags, path);
  const d = fused(operator, field, leaf.value);
  const test: Test = d ? (ctx) => evalLeaf(d, ctx) : constantTest(operator, get, leaf.value, leaf.flags, path);
  return withTrace(leaf, test, (ctx, el) => ({ x: get(ctx, el), v: leaf.value }), d);
}

/** A field's getter; a `$` path outside a quantifier is a compile error (spec §10). */
export function fieldGetter(field: unknown, path: string, inQuantifier: boolean): ScopedGetter {
  if (typeof field !== 'string' || field === '' || field.split('.').includes('')) {
    throw new CompileFailure(path, `field must be a dotted path with non-empty segments, got ${JSON.stringify(field)}`);
  }
  if (isElementPath(field) && !inQuantifier) {
    throw new CompileFailure(path, `"${field}" refers to a list element: "$" paths are allowed only inside any, all or none`);
  }
  return scopedGetterFor(field);
}

/** The general form of a constant-value leaf (paths with array indexes or inherited names). */
function constantTest(op: LeafOperator, get: ScopedGetter, v: unknown, flags: string | undefined, path: string): Test {
  const { operator: positive, negated } = positiveForm(op);
  const predicate = constantPredicate(positive, v, flags, path);
  return !negated ? (ctx, el) => predicate(get(ctx, el)) : (ctx, el) => !predicate(get(ctx, el));
}

function withTrace(
  leaf: LeafCondition,
  test: Test,
  observe: (ctx: unknown, el?: unknown) => { x: unknown; v: unknown },
  descriptor?: LeafDescriptor,
): CompiledNode {
  return {
    test,
    leaf: descriptor,
    trace(ctx, el) {
      const { x, v } = observe(ctx, el);
      const trace: ConditionTrace = { kind: 'leaf', operator: leaf.operator, field: leaf.field, missing: x === undefined, result: test(ctx, el) };
      if (x !== undefined) trace.actual = x as JsonValue;
      if (v !== undefined) trace.expected = v as JsonValue;
      if (leaf.valueField !== undefined) trace.valueField = leaf.valueField;
      return trace;
    },
  };
}

function constantPredicate(op: LeafOperator, v: unknown, flags: string | undefined, path: string): Predicate {
  switch (op) {
    case 'eq':
      return isScalar(v) ? (x) => x === v : (x) => x !== undefined && deepEqual(x, v);
    case 'gt': case 'gte': case 'lt': case 'lte':
      return orderingPredicate(op, v, path);
    case 'in':
      if (!Array.isArray(v)) throw new CompileFailure(`${path}.value`, `${op} needs a list value`);
      return membership(v);
    case 'contains':
      if (typeof v === 'string') return (x) => (typeof x === 'string' ? x.includes(v) : Array.isArray(x) && x.includes(v));
      return isScalar(v)
        ? (x) => Array.isArray(x) && x.includes(v)
        : (x) => Array.isArray(x) && x.some((e) => deepEqual(e, v));
    case 'starts_with':
      if (typeof v !== 'string') throw new CompileFailure(`${path}.value`, 'starts_with needs a string value');
      return (x) => typeof x === 'string' && x.startsWith(v);
    case 'ends_with':
      if (typeof v !== 'string') throw new CompileFailure(`${path}.value`, 'ends_with needs a string value');
      return (x) => typeof x === 'string' && x.endsWith(v);
    case 'matches': {
      if (typeof v !== 'string') throw new CompileFailure(`${path}.value`, 'matches needs a string value');
      const re = compileRegex(v, flags, path);
      return (x) => typeof x === 'string' && re.test(x);
    }
    default:
      throw new CompileFailure(`${path}.operator`, `operator "${op}" does not take a value`);
  }
}

function checkValue(op: LeafOperator, v: unknown, flags: string | undefined, path: string): void {
  if (v === undefined) throw new CompileFailure(path, `operator "${op}" needs a value or valueField`);
  if (v === null) throw new CompileFailure(`${path}.value`, 'value must not be null (use not_exists)');
  if (typeof v === 'number' && !Number.isFinite(v)) throw new CompileFailure(`${path}.value`, 'numbers must be finite');
  if (flags !== undefined && op !== 'matches') throw new CompileFailure(`${path}.flags`, 'flags are allowed only on matches');
}

function orderingPredicate(op: LeafOperator, v: unknown, path: string): Predicate {
  if (typeof v === 'number') {
    switch (op) {
      case 'gt': return (x) => typeof x === 'number' && Number.isFinite(x) && x > v;
      case 'gte': return (x) => typeof x === 'number' && Number.isFinite(x) && x >= v;
      case 'lt': return (x) => typeof x === 'number' && Number.isFinite(x) && x < v;
      default: return (x) => typeof x === 'number' && Number.isFinite(x) && x <= v;
    }
  }
  if (typeof v === 'string') {
    switch (op) {
      case 'gt': return (x) => typeof x === 'string' && x > v;
      case 'gte': return (x) => typeof x === 'string' && x >= v;
      case 'lt': return (x) => typeof x === 'string' && x < v;
      default: return (x) => typeof x === 'string' && x <= v;
    }
  }
  throw new CompileFailure(`${path}.value`, `${op} needs a number or string value`);
}

/** `in`: a scalar equal to an element, or a list sharing an element. Scalars go through a Set. */
function membership(list: unknown[]): Predicate {
  const scalars = new Set(list.filter(isScalar));
  const others = list.filter((e) => !isScalar(e));
  const hasElement = others.length === 0
    ? (e: unknown) => scalars.has(e as string)
    : (e: unknown) => (isScalar(e) ? scalars.has(e) : others.some((o) => deepEqual(e, o)));
  return (x) => {
    if (x === undefined) return false;
    if (Array.isArray(x)) {
      for (let i = 0; i < x.length; i++) if (hasElement(x[i])) return true;
      return false;
    }
    return isScalar(x) && scalars.has(x);
  };
}

function dynamicPredicate(op: LeafOperator): DynamicPredicate {
  switch (op) {
    case 'eq': return (x, v) => x !== undefined && deepEqual(x, v);
    case 'gt': return (x, v) => comparable(x, v) && (x as number) > (v as number);
    case 'gte': return (x, v) => comparable(x, v) && (x as number) >= (v as number);
    case 'lt': return (x, v) => comparable(x, v) && (x as number) < (v as number);
    case 'lte': return (x, v) => comparable(x, v) && (x as number) <= (v as number);
    case 'in': return (x, v) => Array.isArray(v) && membership(v)(x);
    case 'contains': return (x, v) =>
      (typeof x === 'string' && typeof v === 'string' && x.includes(v)) ||
      (Array.isArray(x) && x.some((e) => deepEqual(e, v)));
    case 'starts_with': return (x, v) => typeof x === 'string' && typeof v === 'string' && x.startsWith(v);
    case 'ends_with': return (x, v) => typeof x === 'string' && typeof v === 'string' && x.endsWith(v);
    default: throw new Error(`unreachable: ${op}`);
  }
}

/** Ordering needs two finite numbers or two strings; any other pairing is false. */
function comparable(x: unknown, v: unknown): boolean {
  if (typeof x === 'number') return typeof v === 'number' && Number.isFinite(x) && Number.isFinite(v);
  return typeof x === 'string' && typeof v === 'string';
}

const FLAG_BITS: Record<string, number> = { i: RE2JS.CASE_INSENSITIVE, m: RE2JS.MULTILINE, s: RE2JS.DOTALL };

/** RE2 semantics: linear time on any input, so no request can stall an isolate. */
export function compileRegex(pattern: string, flags: string | undefined, path: string): RE2JS {
  let bits = 0;
  if (flags !== undefined) {
    if (flags === '' || !/^[ims]+$/.test(flags) || new Set(flags).size !== flags.length) {
      throw new CompileFailure(`${path}.flags`, `flags must be distinct letters from i, m, s, got "${flags}"`);
    }
    for (const f of flags) bits |= FLAG_BITS[f];
  }
  try {
    return RE2JS.compile(pattern, bits);
  } catch (err) {
    throw new CompileFailure(`${path}.value`, `invalid regular expression (RE2 syntax): ${(err as Error).message}`);
  }
}

