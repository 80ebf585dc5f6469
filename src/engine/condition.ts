// Condition trees compiled to closures. and/or short-circuit left to right (spec §2).

import type { Condition, ConditionTrace, LeafCondition } from '../policy/types';
import { CompileFailure } from './failure';
import { compileLeaf, type CompiledNode } from './leaf';

export type { CompiledNode };

const TRUE: CompiledNode = { test: () => true, trace: () => ({ kind: 'const', result: true }) };
const FALSE: CompiledNode = { test: () => false, trace: () => ({ kind: 'const', result: false }) };

export function compileCondition(condition: Condition, path: string): CompiledNode {
  if (condition === true) return TRUE;
  if (condition === false) return FALSE;
  if (condition === null || typeof condition !== 'object' || Array.isArray(condition)) {
    throw new CompileFailure(path, `a condition must be an object or true/false, got ${JSON.stringify(condition)}`);
  }
  switch (condition.operator) {
    case 'and':
    case 'or': {
      if (!Array.isArray(condition.conditions)) throw new CompileFailure(`${path}.conditions`, `${condition.operator} needs a conditions list`);
      const children = condition.conditions.map((c, i) => compileCondition(c, `${path}.conditions[${i}]`));
      return condition.operator === 'and' ? all(children) : any(children);
    }
    case 'not': {
      const inner = notOperand(condition, path);
      return {
        test: (ctx) => !inner.test(ctx),
        trace: (ctx) => {
          const child = inner.trace(ctx);
          return { kind: 'not', result: !child.result, children: [child] };
        },
      };
    }
    default:
      return compileLeaf(condition as LeafCondition, path);
  }
}

function notOperand(condition: { condition?: Condition; conditions?: Condition[] }, path: string): CompiledNode {
  const hasOne = condition.condition !== undefined;
  const list = condition.conditions;
  if (hasOne === (list !== undefined)) throw new CompileFailure(path, 'not takes exactly one of condition or conditions');
  if (hasOne) return compileCondition(condition.condition as Condition, `${path}.condition`);
  if (!Array.isArray(list) || list.length !== 1) throw new CompileFailure(`${path}.conditions`, 'not takes a conditions list of exactly one');
  return compileCondition(list[0], `${path}.conditions[0]`);
}

function all(children: CompiledNode[]): CompiledNode {
  const tests = children.map((c) => c.test);
  let test: (ctx: unknown) => boolean;
  if (tests.length === 0) test = () => true;
  else if (tests.length === 1) test = tests[0];
  else if (tests.length === 2) { const [a, b] = tests; test = (ctx) => a(ctx) && b(ctx); }
  else if (tests.length === 3) { const [a, b, c] = tests; test = (ctx) => a(ctx) && b(ctx) && c(ctx); }
  else test = (ctx) => { for (let i = 0; i < tests.length; i++) if (!tests[i](ctx)) return false; return true; };
  return { test, trace: (ctx) => traceChildren('and', children, ctx, false) };
}

function any(children: CompiledNode[]): CompiledNode {
  const tests = children.map((c) => c.test);
  let test: (ctx: unknown) => boolean;
  if (tests.length === 0) test = () => false;
  else if (tests.length === 1) test = tests[0];
  else if (tests.length === 2) { const [a, b] = tests; test = (ctx) => a(ctx) || b(ctx); }
  else test = (ctx) => { for (let i = 0; i < tests.length; i++) if (tests[i](ctx)) return true; return false; };
  return { test, trace: (ctx) => traceChildren('or', children, ctx, true) };
}

/** Trace children in order up to the short-circuit point, as evaluation would. */
function traceChildren(kind: 'and' | 'or', children: CompiledNode[], ctx: unknown, stopOn: boolean): ConditionTrace {
  const traces: ConditionTrace[] = [];
  let result = !stopOn;
  for (const child of children) {
    const t = child.trace(ctx);
    traces.push(t);
    if (t.result === stopOn) { result = stopOn; break; }
  }
  return { kind, result, children: traces };
}
