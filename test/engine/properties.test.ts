// Properties the engine must hold for every valid policy set and every context.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileBundle, loadBundle } from '../../src/engine/index';
import type { Decision, LeafCondition, Policy } from '../../src/policy/types';
import { arbitraryContext, arbitraryLeaf, arbitraryPolicies } from '../policy/arbitraries';

/**
 * Property runs do a fixed amount of work (numRuns) that takes seconds idle and several times that on
 * a busy 2-core machine: the budget is generous so load can never fail them, only a wrong answer can.
 */
const PROPERTY_TIMEOUT_MS = 120_000;

const withoutTiming = ({ evaluationMicros, ...rest }: Decision) => rest;

/** Contexts over the arbitraries' fields, sometimes with a namespace so scoping is exercised too. */
const contexts = fc.array(
  fc.tuple(arbitraryContext(), fc.constantFrom(undefined, 'production', 'staging', 'dev')).map(([ctx, env]) =>
    env ? { ...ctx, project: { environment: env } } : ctx),
  { minLength: 1, maxLength: 8 },
);

describe('engine properties', () => {
  it('the rule index and a linear scan decide identically', async () => {
    await fc.assert(
      fc.asyncProperty(arbitraryPolicies(4), contexts, fc.constantFrom(1, 2, 3), async (policies, ctxs, minRulesPerIndex) => {
        const bundle = await compileBundle(policies, { version: '1.0.0', createdAt: '2026-01-01T00:00:00Z' });
        const indexed = loadBundle(bundle, { minRulesPerIndex });
        const scanned = loadBundle(bundle, { index: false });
        for (const ctx of ctxs) {
          for (const stage of ['request', 'response'] as const) {
            expect(withoutTiming(indexed.evaluate(ctx, { stage }))).toEqual(withoutTiming(scanned.evaluate(ctx, { stage })));
          }
        }
      }),
      { numRuns: 300 },
    );
  }, PROPERTY_TIMEOUT_MS);

  it('explain changes nothing but adding a trace', async () => {
    await fc.assert(
      fc.asyncProperty(arbitraryPolicies(3), contexts, async (policies, ctxs) => {
        const evaluator = loadBundle(await compileBundle(policies, { version: '1.0.0' }));
        for (const ctx of ctxs) {
          const { trace, ...explained } = withoutTiming(evaluator.evaluate(ctx, { explain: true }));
          expect(explained).toEqual(withoutTiming(evaluator.evaluate(ctx)));
          expect(trace?.filter((t) => t.matched).length).toBe(explained.matchedRules.length);
        }
      }),
      { numRuns: 150 },
    );
  }, PROPERTY_TIMEOUT_MS);

  it('shadow rules change nothing but `shadow`, which lists what they would have matched, in rule order', async () => {
    // `tried` is added in shadow mode (by metadata.mode or on every rule) beside the enforced set.
    const shadowed = (policies: Policy[], byMetadata: boolean): Policy[] =>
      policies.map((p) => ({
        ...p,
        metadata: { ...p.metadata, id: `shadow-${p.metadata.id}`, ...(byMetadata ? { mode: 'shadow' as const } : {}) },
        rules: byMetadata ? p.rules : p.rules.map((r) => ({ ...r, mode: 'shadow' as const })),
      }));
    await fc.assert(
      fc.asyncProperty(arbitraryPolicies(3), arbitraryPolicies(2), fc.boolean(), contexts, async (enforced, tried, byMetadata, ctxs) => {
        const alone = loadBundle(await compileBundle(enforced, { version: '1.0.0', createdAt: '2026-01-01T00:00:00Z' }));
        const both = loadBundle(await compileBundle([...enforced, ...shadowed(tried, byMetadata)], { version: '1.0.0', createdAt: '2026-01-01T00:00:00Z' }));
        const triedAlone = loadBundle(await compileBundle(shadowed(tried, false).map((p) => ({ ...p, rules: p.rules.map(({ mode: _m, ...r }) => r) })), { version: '1.0.0' }));
        const hasShadow = tried.some((p) => (p.status ?? 'active') === 'active' && p.rules.some((r) => r.enabled !== false));
        for (const ctx of ctxs) {
          for (const stage of ['request', 'response'] as const) {
            const { shadow, bundle: _b, ...withShadow } = withoutTiming(both.evaluate(ctx, { stage }));
            const { bundle: _a, ...without } = withoutTiming(alone.evaluate(ctx, { stage }));
            expect(withShadow).toEqual(without);
            if (!hasShadow) {
              expect(shadow).toBeUndefined();
              continue;
            }
            const wouldMatch = triedAlone.evaluate(ctx, { stage }).matchedRules.map(({ policyId, ruleId, decision }) => ({ policyId, ruleId, decision }));
            expect(shadow).toEqual(wouldMatch);
          }
        }
      }),
      { numRuns: 300 },
    );
  }, PROPERTY_TIMEOUT_MS);

  it('negated operators are exact negations, on every context', async () => {
    const NEGATED: Record<string, LeafCondition['operator']> = { eq: 'ne', in: 'not_in', contains: 'not_contains', exists: 'not_exists' };
    const positiveLeaf = arbitraryLeaf().filter((leaf) => leaf.operator in NEGATED);
    await fc.assert(
      fc.asyncProperty(positiveLeaf, contexts, async (leaf, ctxs) => {
        const negated = { ...leaf, operator: NEGATED[leaf.operator] } as LeafCondition;
        const single = (condition: LeafCondition): Policy[] => [{ metadata: { id: 'p' }, rules: [{ id: 'r', condition, action: { decision: 'deny' } }] }];
        const positive = loadBundle(await compileBundle(single(leaf), { version: '1.0.0' }));
        const negative = loadBundle(await compileBundle(single(negated), { version: '1.0.0' }));
        for (const ctx of ctxs) expect(positive.evaluate(ctx).allowed).toBe(!negative.evaluate(ctx).allowed);
      }),
      { numRuns: 400 },
    );
  }, PROPERTY_TIMEOUT_MS);

  it('evaluate never throws on any JSON context', async () => {
    await fc.assert(
      fc.asyncProperty(arbitraryPolicies(3), fc.array(fc.jsonValue({ maxDepth: 4 }), { maxLength: 6 }), async (policies, values) => {
        const evaluator = loadBundle(await compileBundle(policies, { version: '1.0.0' }));
        for (const value of values) {
          const decision = evaluator.evaluate(value as object, { explain: true });
          expect(['allow', 'deny', 'needs_approval']).toContain(decision.decision);
        }
      }),
      { numRuns: 200 },
    );
  }, PROPERTY_TIMEOUT_MS);
});
