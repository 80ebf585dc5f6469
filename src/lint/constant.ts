// Static truth of a condition: always true, always false, or it depends on the request. Sound but
// incomplete: it only claims a constant it can prove from the spec's §2 semantics, e.g. an `and`
// holding `false`, an `or` holding `true`, `in: []`, or two leaves of one `and` that contradict.
import type { Condition, LeafCondition } from '../policy/types';
import { childrenOf, isLeaf } from './conditions';
import { contradiction, tautology } from './leaf-logic';

export interface StaticTruth {
  value: boolean;
  /** Why, in words that complete "always true/false because ...". */
  why: string;
}

export function staticTruth(condition: Condition): StaticTruth | undefined {
  if (condition === true || condition === false) return { value: condition, why: `it is the constant ${condition}` };
  if (isLeaf(condition)) return leafTruth(condition);
  if (typeof condition !== 'object' || condition === null) return undefined;
  const children = childrenOf(condition, '').map((c) => c.condition);
  switch (condition.operator) {
    case 'and': return junctionTruth(children, false);
    case 'or': return junctionTruth(children, true);
    case 'not': {
      if (children.length !== 1) return undefined;
      const inner = staticTruth(children[0]);
      return inner && { value: !inner.value, why: `it negates something always ${inner.value} (${inner.why})` };
    }
    case 'any': case 'all': case 'none': return quantifierTruth(condition.operator, children[0]);
    default: return undefined;
  }
}

/**
 * A quantifier whose condition is constant: any of an always-false condition is false and none of
 * one is true; all of an always-true condition is true. The rest depends on the list's length.
 */
function quantifierTruth(operator: 'any' | 'all' | 'none', inner: Condition | undefined): StaticTruth | undefined {
  const truth = inner === undefined ? undefined : staticTruth(inner);
  if (!truth) return undefined;
  const why = `its condition is always ${truth.value} (${truth.why})`;
  if (operator === 'any' && !truth.value) return { value: false, why };
  if (operator === 'none' && !truth.value) return { value: true, why };
  if (operator === 'all' && truth.value) return { value: true, why };
  return undefined;
}

/** `in: []` never holds and `not_in: []` always does; other leaves depend on the request. */
function leafTruth(leaf: LeafCondition): StaticTruth | undefined {
  if (!Array.isArray(leaf.value) || leaf.value.length > 0 || leaf.valueField !== undefined) return undefined;
  if (leaf.operator === 'in') return { value: false, why: 'nothing is in an empty list' };
  if (leaf.operator === 'not_in') return { value: true, why: 'nothing is in an empty list' };
  return undefined;
}

/**
 * and (`dominant` false) / or (`dominant` true): one child equal to the dominant value decides it;
 * all children equal to the other value (or none at all) give the other value.
 */
function junctionTruth(children: Condition[], dominant: boolean): StaticTruth | undefined {
  const name = dominant ? 'or' : 'and';
  if (children.length === 0) return { value: !dominant, why: `an empty ${name} is ${!dominant}` };
  const truths = children.map(staticTruth);
  const deciding = truths.findIndex((t) => t?.value === dominant);
  if (deciding >= 0) {
    const child = children[deciding];
    const why = typeof child === 'boolean' ? `it contains ${child}` : `conditions[${deciding}] is always ${dominant} (${truths[deciding]!.why})`;
    return { value: dominant, why };
  }
  if (truths.every((t) => t?.value === !dominant)) return { value: !dominant, why: `all its conditions are always ${!dominant}` };
  const leaves = children.filter(isLeaf);
  const found = dominant ? tautology(leaves) : contradiction(leaves);
  return found === undefined ? undefined : { value: dominant, why: found };
}
