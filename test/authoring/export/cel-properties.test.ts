// The CEL export decides as our engine does: random policy sets and contexts, evaluated here and by
// cel-js, must give the same decision per stage and the same matched rules.
import { Environment } from '@marcbachmann/cel-js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { exportCel } from '../../../src/authoring/export/cel';
import { planExport } from '../../../src/authoring/export/plan';
import { compileBundle, loadBundle } from '../../../src/engine/index';
import type { Condition, JsonValue, LeafCondition } from '../../../src/policy/types';
import { arbitraryPolicies } from '../../policy/arbitraries';
import { fewTiers, mapLeaves, mapPolicyLeaves, wildContext } from './support';

interface CelDocument {
  decisions: Record<string, { expression: string }>;
  rules: Array<{ id: string; stage: string; match: string }>;
}

// cel-js runs JavaScript RegExp, not RE2: keep to patterns both read alike (no flags, no . or \s).
const PORTABLE_PATTERNS = ['^gpt-4', 'claude', '^[a-z]+$', 'free|pro', '\\d+', '^$'];
const portableRegex = (leaf: LeafCondition): Condition =>
  leaf.operator !== 'matches' ? leaf : { operator: 'matches', field: leaf.field, value: PORTABLE_PATTERNS[String(leaf.value).length % PORTABLE_PATTERNS.length] };

/** team.tier read through keys that are not CEL identifiers (budget ids have dashes). */
const ODD_TIER = 'team.the-tier.value';
const oddKeys = (leaf: LeafCondition): LeafCondition => ({
  ...leaf,
  field: leaf.field === 'team.tier' ? ODD_TIER : leaf.field,
  ...(leaf.valueField === 'team.tier' ? { valueField: ODD_TIER } : {}),
});
const withOddKeys = (context: Record<string, JsonValue>): Record<string, JsonValue> => {
  const team = context.team;
  if (typeof team !== 'object' || team === null || Array.isArray(team) || !('tier' in team)) return context;
  return { ...context, team: { ...team, 'the-tier': { value: team.tier } } };
};

const env = new Environment().registerVariable('context', 'map');

describe('CEL export', () => {
  it('decides like the engine on random policy sets and contexts', async () => {
    await fc.assert(
      fc.asyncProperty(arbitraryPolicies(3), fc.constantFrom('allow' as const, 'deny' as const), fc.array(wildContext(), { minLength: 1, maxLength: 8 }), fc.boolean(), async (generated, defaultDecision, generatedContexts, fcOdd) => {
        const contexts = fcOdd ? generatedContexts.map(withOddKeys) : generatedContexts;
        const policies = fewTiers(mapPolicyLeaves(generated, (leaf) => mapLeaves(portableRegex(leaf), (l) => (fcOdd ? oddKeys(l) : l))));
        const evaluator = loadBundle(await compileBundle(policies, { version: '1.0.0', defaultDecision }));
        const result = exportCel(planExport(policies, defaultDecision));
        const doc = parse(result.files[0].text) as CelDocument;
        expect(result.exported.length).toBe(doc.rules.length);
        const decisions = Object.fromEntries(Object.entries(doc.decisions).map(([stage, d]) => [stage, env.parse(d.expression)]));
        const matchers = doc.rules.map((r) => ({ ...r, test: env.parse(r.match) }));
        for (const context of contexts) {
          for (const stage of ['request', 'response'] as const) {
            const ours = evaluator.evaluate(context, { stage });
            const theirs = decisions[stage] ? decisions[stage]({ context }) : 'allow';
            expect(theirs, `${stage} decision for ${JSON.stringify(context)}`).toBe(ours.decision);
            const matched = matchers.filter((m) => m.stage === stage && m.test({ context }) === true).map((m) => m.id);
            expect(matched).toEqual(ours.matchedRules.map((m) => `${m.policyId}/${m.ruleId}`));
          }
        }
      }),
      { numRuns: 60 },
    );
  }, 60_000);
});
