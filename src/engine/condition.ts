// Condition trees compiled to closures. and/or short-circuit left to right (spec §2); quantifiers
// (spec §10) run their condition on each element of a list, passed to the closures as `element`.

import type { Condition, ConditionTrace, LeafCondition, QuantifiedCondition, QuantifierOperator } from '../policy/types';
import { CompileFailure } from './failure';
import { evalAllLeaves, type LeafDescriptor } from './fast-leaf';
import { compileLeaf, fieldGetter, type CompiledNode } from './leaf';

export type { CompiledNode };

type Test = CompiledNode['test'];

const TRUE: CompiledNode = { test: () => true, trace: () => ({ kind: 'const', result: true }), leaves: [] };
const FALSE: CompiledNode = { test: () => false, trace: () => ({ kind: 'const', result: false }) };
const QUANTIFIERS = new Set<string>(['any', 'all', 'none']);

/** `inQuantifier`: inside any/all/none, where `$` paths name the current element. */
export function compileCondition(condition: Condition, path: string, inQuantifier = false): CompiledNode {
  if (condition === true) return TRUE;
  if (condition === false) return FALSE;
  if (condition === null || typeof condition !== 'object' || Array.isArray(condition)) {
    throw new CompileFailure(path, `a condition must be an object or true/false, got ${JSON.stringify(condition)}`);
  }
  switch (condition.operator) {
    case 'and':
    case 'or': {
      if (!Array.isArray(condition.conditions)) throw new CompileFailure(`${path}.conditions`, `${condition.operator} needs a conditions list`);
      const children = condition.conditions.map((c, i) => compileCondition(c, `${path}.conditions[${i}]`, inQuantifier));
      return condition.operator === 'and' ? all(children) : any(children);
    }
    case 'not': {
      const inner = notOperand(condition, path, inQuantifier);
      return {
        test: (ctx, el) => !inner.test(ctx, el),
        trace: (ctx, el) => {
          const child = inner.trace(ctx, el);
          return { kind: 'not', result: !child.result, children: [child] };
        },
      };
    }
    default:
      if (QUANTIFIERS.has(condition.operator)) return quantifier(condition as QuantifiedCondition, path, inQuantifier);
      return compileLeaf(condition as LeafCondition, path, inQuantifier);
  }
}

function notOperand(condition: { condition?: Condition; conditions?: Condition[] }, path: string, inQuantifier: boolean): CompiledNode {
  const hasOne = condition.condition !== undefined;
  const list = condition.conditions;
  if (hasOne === (list !== undefined)) throw new CompileFailure(path, 'not takes exactly one of condition or conditions');
  if (hasOne) return compileCondition(condition.condition as Condition, `${path}.condition`, inQuantifier);
  if (!Array.isArray(list) || list.length !== 1) throw new CompileFailure(`${path}.conditions`, 'not takes a conditions list of exactly one');
  return compileCondition(list[0], `${path}.conditions[0]`, inQuantifier);
}

/**
 * any / all / none over the list at `field` (which may itself be a `$` path in a nested
 * quantifier). A missing field or a non-list is the empty list: any false, all and none true.
 */
function quantifier(q: QuantifiedCondition, path: string, inQuantifier: boolean): CompiledNode {
  const { operator, field } = q;
  const get = fieldGetter(field, `${path}.field`, inQuantifier);
  if (q.condition === undefined) throw new CompileFailure(`${path}.condition`, `${operator} needs a condition`);
  const inner = compileCondition(q.condition, `${path}.condition`, true);
  const t = inner.test;
  const some = (ctx: unknown, el: unknown): boolean => {
    const list = get(ctx, el);
    if (!Array.isArray(list)) return false;
    for (let i = 0; i < list.length; i++) if (t(ctx, list[i])) return true;
    return false;
  };
  let test: Test;
  if (operator === 'any') test = some;
  else if (operator === 'none') test = (ctx, el) => !some(ctx, el);
  else {
    test = (ctx, el) => {
      const list = get(ctx, el);
      if (!Array.isArray(list)) return true;
      for (let i = 0; i < list.length; i++) if (!t(ctx, list[i])) return false;
      return true;
    };
  }
  return { test, trace: (ctx, el) => traceQuantifier(operator, field, get(ctx, el), inner, ctx) };
}

/** The deciding element is the first whose result is `any`'s true, or `all`'s / `none`'s exception. */
function traceQuantifier(operator: QuantifierOperator, field: string, value: unknown, inner: CompiledNode, ctx: unknown): ConditionTrace {
  const list = Array.isArray(value) ? value : [];
  const decisive = operator !== 'all';
  const elements: Array<{ index: number; result: boolean }> = [];
  for (let index = 0; index < list.length; index++) {
    const result = inner.test(ctx, list[index]);
    if (result === decisive) {
      const quantified = operator === 'none' ? false : result;
      return { kind: 'quantifier', operator, field, result: quantified, size: list.length, decidedBy: { index, condition: inner.trace(ctx, list[index]) } };
    }
    elements.push({ index, result });
  }
  return { kind: 'quantifier', operator, field, result: operator !== 'any', size: list.length, elements };
}

function all(children: CompiledNode[]): CompiledNode {
  const tests = children.map((c) => c.test);
  // An `and` whose children are all fast leaves (or ands of them) is one list, run in one loop.
  let flat: LeafDescriptor[] | undefined = [];
  for (const child of children) {
    if (child.leaf !== undefined) flat.push(child.leaf);
    else if (child.leaves !== undefined) for (const d of child.leaves) flat.push(d);
    else { flat = undefined; break; }
  }
  let test: Test;
  if (tests.length === 0) test = () => true;
  else if (flat && tests.length > 1) test = (ctx) => evalAllLeaves(flat, ctx);
  else if (tests.length === 1) test = tests[0];
  else if (tests.length === 2) { const [a, b] = tests; test = (ctx, el) => a(ctx, el) && b(ctx, el); }
  else if (tests.length === 3) { const [a, b, c] = tests; test = (ctx, el) => a(ctx, el) && b(ctx, el) && c(ctx, el); }
  else test = (ctx, el) => { for (let i = 0; i < tests.length; i++) if (!tests[i](ctx, el)) return false; return true; };
  return { test, trace: (ctx, el) => traceChildren('and', children, ctx, el, false), leaves: flat };
}

function any(children: CompiledNode[]): CompiledNode {
  const tests = children.map((c) => c.test);
  let test: Test;
  if (tests.length === 0) test = () => false;
  else if (tests.length === 1) test = tests[0];
  else if (tests.length === 2) { const [a, b] = tests; test = (ctx, el) => a(ctx, el) || b(ctx, el); }
  else test = (ctx, el) => { for (let i = 0; i < tests.length; i++) if (tests[i](ctx, el)) return true; return false; };
  return { test, trace: (ctx, el) => traceChildren('or', children, ctx, el, true) };
}

/** Trace children in order up to the short-circuit point, as evaluation would. */
function traceChildren(kind: 'and' | 'or', children: CompiledNode[], ctx: unknown, el: unknown, stopOn: boolean): ConditionTrace {
  const traces: ConditionTrace[] = [];
  let result = !stopOn;
  for (const child of children) {
    const t = child.trace(ctx, el);
    traces.push(t);
    if (t.result === stopOn) { result = stopOn; break; }
  }
  return { kind, result, children: traces };
}
