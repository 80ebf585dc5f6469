// Shared by the export tests: rewriting generated conditions into a target's subset, and contexts
// that stress the guards (values of the wrong type where the policies expect others).
import fc from 'fast-check';
import type { Condition, JsonValue, LeafCondition, Policy } from '../../../src/policy/types';
import { arbitraryContext, FIELD_PATHS } from '../../policy/arbitraries';

export function mapLeaves(condition: Condition, f: (leaf: LeafCondition) => Condition): Condition {
  if (typeof condition === 'boolean') return condition;
  switch (condition.operator) {
    case 'and': case 'or': return { ...condition, conditions: condition.conditions.map((c) => mapLeaves(c, f)) };
    case 'not': return condition.condition !== undefined
      ? { ...condition, condition: mapLeaves(condition.condition, f) }
      : { ...condition, conditions: (condition.conditions ?? []).map((c) => mapLeaves(c, f)) };
    case 'any': case 'all': case 'none': return condition;
    default: return f(condition);
  }
}

export function mapPolicyLeaves(policies: Policy[], f: (leaf: LeafCondition) => Condition): Policy[] {
  return policies.map((p) => ({ ...p, rules: p.rules.map((r) => ({ ...r, condition: mapLeaves(r.condition, f) })) }));
}

export function setPath(target: Record<string, JsonValue>, path: string, value: JsonValue): void {
  const keys = path.split('.');
  let at: Record<string, JsonValue> = target;
  for (const key of keys.slice(0, -1)) {
    const next = at[key];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) at[key] = {};
    at = at[key] as Record<string, JsonValue>;
  }
  at[keys[keys.length - 1]] = value;
}

/** Request namespaces for scoping, through either field the spec reads. */
export const NAMESPACES = [undefined, 'production', 'staging', 'dev', ''] as const;

/** arbitraryContext, with a namespace sometimes, and sometimes any JSON where a field is expected. */
export function wildContext(): fc.Arbitrary<Record<string, JsonValue>> {
  const odd = fc.array(fc.tuple(fc.constantFrom(...FIELD_PATHS, 'team', 'llm', 'messages', 'messages.0', 'user'), fc.jsonValue({ maxDepth: 2 }).map((v) => v as JsonValue)), { maxLength: 2 });
  return fc.tuple(arbitraryContext(), fc.constantFrom(...NAMESPACES), fc.constantFrom(...NAMESPACES), odd).map(([ctx, env, ns, overrides]) => {
    const out = structuredClone(ctx);
    if (env !== undefined) setPath(out, 'project.environment', env);
    if (ns !== undefined) setPath(out, 'metadata.namespace', ns);
    for (const [path, value] of overrides) setPath(out, path, value);
    return out;
  });
}

/** Priorities folded onto three tiers, so rules often tie and often outrank each other. */
export function fewTiers(policies: Policy[]): Policy[] {
  const fold = (p: number | undefined) => (p === undefined ? undefined : ((p % 3) + 3) % 3);
  return policies.map((p) => ({
    ...p,
    metadata: { ...p.metadata, ...(p.metadata.priority !== undefined ? { priority: fold(p.metadata.priority) } : {}) },
    rules: p.rules.map((r) => (r.priority === undefined ? r : { ...r, priority: fold(r.priority) })),
  }));
}
