// The Cedar export decides as our engine does, within what Cedar can express: random policy sets
// (rewritten into that subset, and required to export whole) and random contexts, evaluated here
// and by Cedar itself (cedar-wasm), must give the same decision per stage.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toCedarContext } from '../../../src/authoring/export/cedar-context';
import { exportCedar } from '../../../src/authoring/export/cedar';
import { planExport } from '../../../src/authoring/export/plan';
import { compileBundle, loadBundle } from '../../../src/engine/index';
import type { Condition, JsonValue, LeafCondition } from '../../../src/policy/types';
import { arbitraryContext, arbitraryPolicies } from '../../policy/arbitraries';
import { fewTiers, mapPolicyLeaves, NAMESPACES, setPath } from './support';
import { cedarDecision, cedarPolicySet, cedarValidationErrors } from './cedar-support';

const SET_FIELD = 'user.roles';
const STRING_FIELDS = new Set(['team.id', 'team.tier', 'llm.model']);

/** Numbers Cedar decimals hold exactly: two places, within ±1e6. */
function decimalFriendly(value: JsonValue): JsonValue {
  if (typeof value === 'number') return Math.max(-1e6, Math.min(1e6, Math.round(value * 100) / 100)) || 0;
  if (Array.isArray(value)) return value.map(decimalFriendly);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, decimalFriendly(v)]));
  return value;
}

/** Rewrites a generated leaf into Cedar's subset: no list indexes, regexes, string ordering ... */
function intoCedarSubset(leaf: LeafCondition): Condition {
  const field = leaf.field === 'messages.0.role' ? 'team.id' : leaf.field;
  const out: LeafCondition = { ...leaf, field };
  if (out.valueField === 'messages.0.role') out.valueField = 'llm.model';
  if (out.operator === 'matches') return { operator: 'starts_with', field, value: String(leaf.value) };
  const ordering = ['gt', 'gte', 'lt', 'lte'].includes(out.operator);
  if (out.valueField !== undefined) {
    const strings = STRING_FIELDS.has(field) && STRING_FIELDS.has(out.valueField);
    const listEquality = ['eq', 'ne'].includes(out.operator) && (field === SET_FIELD || out.valueField === SET_FIELD);
    if (listEquality || (strings && (ordering || ['contains', 'not_contains', 'starts_with', 'ends_with'].includes(out.operator)))) {
      return intoCedarSubset({ operator: out.operator, field, value: 'free' });
    }
    return out;
  }
  if (ordering && typeof out.value === 'string') return { operator: 'eq', field, value: out.value };
  if (['eq', 'ne'].includes(out.operator) && field === SET_FIELD && Array.isArray(out.value)) return { operator: 'contains', field, value: 'admin' };
  return { ...out, value: decimalFriendly(out.value as JsonValue) };
}

/** Contexts that keep the export's contract; some replace a whole object with a non-object. */
const contexts = fc.array(
  fc.tuple(arbitraryContext(), fc.constantFrom(...NAMESPACES), fc.constantFrom(...NAMESPACES), fc.option(fc.tuple(fc.constantFrom('team', 'llm', 'user'), fc.constantFrom<JsonValue>('x', 3, [], true)), { nil: undefined }))
    .map(([ctx, env, ns, flat]) => {
      const out = decimalFriendly(ctx) as Record<string, JsonValue>;
      if (env !== undefined) setPath(out, 'project.environment', env);
      if (ns !== undefined) setPath(out, 'metadata.namespace', ns);
      if (flat) out[flat[0]] = flat[1];
      return out;
    }),
  { minLength: 1, maxLength: 5 },
);

describe('Cedar export', () => {
  it('decides like the engine on random policy sets and contexts within the expressible subset', async () => {
    await fc.assert(
      fc.asyncProperty(arbitraryPolicies(3), fc.constantFrom('allow' as const, 'deny' as const), contexts, async (generated, defaultDecision, ctxs) => {
        const policies = fewTiers(mapPolicyLeaves(generated, intoCedarSubset));
        const evaluator = loadBundle(await compileBundle(policies, { version: '1.0.0', defaultDecision }));
        const result = exportCedar(planExport(policies, defaultDecision));
        expect(result.gaps.filter((g) => g.where.includes(': condition'))).toEqual([]);
        expect(cedarValidationErrors(result.files[0].text, result.files[1].text)).toEqual([]);
        const set = cedarPolicySet(result.files[0].text);
        for (const context of ctxs) {
          const cedarContext = toCedarContext(context, result.types);
          for (const stage of ['request', 'response'] as const) {
            const ours = evaluator.evaluate(context, { stage });
            expect(cedarDecision(set, stage, cedarContext), `${stage} decision for ${JSON.stringify(context)}`).toBe(ours.decision);
          }
        }
      }),
      { numRuns: 120 },
    );
  }, 60_000);
});
