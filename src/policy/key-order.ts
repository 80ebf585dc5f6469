// The order people write a policy in (spec language.md): metadata first (id, name, description ...
// source), then rules (id, name, description, condition, action), then budgets and rate limits.
// A bundle stores keys sorted (canonical JSON), so a policy read back from one is reordered before
// printing; keys not listed keep their place after the listed ones. Values are not changed.
import type { Policy } from './types';

const POLICY = ['metadata', 'status', 'mode', 'rules', 'budgets', 'rateLimits'];
const METADATA = ['id', 'name', 'description', 'version', 'namespace', 'priority', 'mode', 'tags', 'source'];
const RULE = ['id', 'name', 'description', 'enabled', 'priority', 'stage', 'onError', 'mode', 'condition', 'action'];
const ACTION = ['decision', 'reason', 'obligations'];
const CONDITION = ['operator', 'field', 'value', 'valueField', 'flags', 'condition', 'conditions'];
const LIMIT = ['id', 'scope', 'window', 'limit', 'onExceed', 'onUnavailable', 'lease'];
const OBLIGATION = ['type'];

type Obj = Record<string, unknown>;

/** `value`'s own keys, the listed ones first in that order. */
function ordered(value: Obj, keys: readonly string[], map: (key: string, v: unknown) => unknown = (_k, v) => v): Obj {
  const all = [...keys.filter((k) => Object.hasOwn(value, k)), ...Object.keys(value).filter((k) => !keys.includes(k))];
  return Object.fromEntries(all.map((k) => [k, map(k, value[k])]));
}

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const each = (v: unknown, f: (item: Obj) => Obj) => (Array.isArray(v) ? v.map((item) => (isObj(item) ? f(item) : item)) : v);

/** A condition (a boolean, a leaf or a combination) with its nested conditions in order too. */
function conditionOrder(condition: unknown): unknown {
  if (!isObj(condition)) return condition;
  return ordered(condition, CONDITION, (k, v) => (k === 'condition' ? conditionOrder(v) : k === 'conditions' ? each(v, (c) => conditionOrder(c) as Obj) : v));
}

function ruleOrder(rule: Obj): Obj {
  return ordered(rule, RULE, (k, v) => {
    if (k === 'condition') return conditionOrder(v);
    if (k === 'action' && isObj(v)) return ordered(v, ACTION, (ak, av) => (ak === 'obligations' ? each(av, (o) => ordered(o, OBLIGATION)) : av));
    return v;
  });
}

export function inAuthorOrder(policy: Policy): Policy {
  return ordered(policy as unknown as Obj, POLICY, (k, v) => {
    if (k === 'metadata' && isObj(v)) return ordered(v, METADATA);
    if (k === 'rules') return each(v, ruleOrder);
    if (k === 'budgets' || k === 'rateLimits') return each(v, (b) => ordered(b, LIMIT));
    return v;
  }) as unknown as Policy;
}
