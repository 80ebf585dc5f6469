// Properties lint holds for every valid policy set: it never throws, its order is total, located
// and bundle input agree, and its claims about what can decide are true of the engine.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileCondition } from '../../src/engine/condition';
import { compileBundle, loadBundle } from '../../src/engine/index';
import { lint, type LintFinding } from '../../src/lint/index';
import { staticTruth } from '../../src/lint/constant';
import { compareFindings } from '../../src/lint/finding';
import { parsePolicies } from '../../src/policy/parse';
import { printPolicies } from '../../src/policy/print';
import type { Condition, Decision, Policy } from '../../src/policy/types';
import { arbitraryCondition, arbitraryContext, arbitraryPolicies } from '../policy/arbitraries';
import { asBundlePolicies } from './helpers';

/** Property runs take seconds; a busy machine must not fail them. */
const PROPERTY_TIMEOUT_MS = 120_000;

const CODES = new Set([
  'duplicate-id', 'missing-reason', 'conflict', 'unreachable', 'budget-sanity', 'invalid-condition', 'disabled',
  'unknown-field', 'constant-condition', 'obligations-on-deny', 'type-mismatch', 'unknown-pii-type', 'unknown-model', 'model-alias', 'malformed',
]);

const contexts = fc.array(
  fc.tuple(arbitraryContext(), fc.constantFrom(undefined, 'production', 'staging', 'dev')).map(([ctx, env]) =>
    env ? { ...ctx, project: { environment: env } } : ctx),
  { minLength: 1, maxLength: 6 },
);

/**
 * Policy sets where unreachable and conflict have something to say: most policies active, rules
 * enabled request rules at a few priorities, and `bits` turning some conditions into `true` or a
 * copy of the previous rule's condition.
 */
const shadowySets = fc.tuple(arbitraryPolicies(4), fc.nat(), fc.nat()).map(([policies, bits, more]) => {
  let k = 0;
  for (const policy of policies) {
    if ((more >> (k % 30)) & 1) policy.status = 'active';
    policy.rules.forEach((rule, i) => {
      const shift = 2 * (k++ % 15);
      const pick = (bits >> shift) & 3;
      if (pick === 1) rule.condition = true;
      if (pick === 2 && i > 0) rule.condition = structuredClone(policy.rules[i - 1].condition);
      if (((more >> shift) & 3) !== 0) {
        rule.priority = (more >> shift) & 1;
        delete rule.enabled;
        delete rule.stage;
      }
    });
  }
  return policies;
});

/** Leaves over one field `x` (and sometimes valueField `y`) from tiny pools, so pairs often clash. */
const SCALARS = [1, 2, 'a'];
const POOLS: Record<string, unknown[]> = {
  eq: [...SCALARS, [1]], ne: SCALARS, contains: SCALARS, not_contains: SCALARS,
  gt: SCALARS, gte: SCALARS, lt: SCALARS, lte: SCALARS,
  in: [[], [1], ['a', 2]], not_in: [[], [1]], starts_with: ['a', ''], ends_with: ['a'], matches: ['^a'],
};
const oneFieldLeaf = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...Object.keys(POOLS)).chain((operator) => fc.constantFrom(...POOLS[operator]).map((value) => ({ operator, field: 'x', value }))) },
  { weight: 1, arbitrary: fc.constantFrom('eq', 'ne', 'gt', 'lt', 'in', 'not_in').map((operator) => ({ operator, field: 'x', valueField: 'y' })) },
  { weight: 2, arbitrary: fc.constantFrom('exists', 'not_exists').map((operator) => ({ operator, field: 'x' })) },
) as fc.Arbitrary<Condition>;
const oneFieldCondition = fc.tuple(fc.constantFrom('and', 'or'), fc.array(oneFieldLeaf, { minLength: 2, maxLength: 3 }), fc.boolean())
  .map(([operator, conditions, negate]): Condition => {
    const junction = { operator, conditions } as Condition;
    return negate ? { operator: 'not', condition: junction } : junction;
  });
const SAMPLES = [undefined, 1, 1.5, 2, 'a', 'ab', '', true, [1], ['a', 2]];
const oneFieldContext = fc.record({ x: fc.constantFrom(...SAMPLES), y: fc.constantFrom(...SAMPLES) });

/** A finding without where it is in the files (`seeAlso` is a file position too). */
const unlocated = ({ file, line, column, seeAlso, ...rest }: LintFinding) => rest;
const key = (f: object) => JSON.stringify(f);

/** The rules whose decision is the final one, at the top matched priority (spec §3). */
function decidingRules(decision: Decision): Set<string> {
  const authoritative = decision.matchedRules.filter((m) => m.decision === 'allow' || m.decision === 'deny' || m.decision === 'needs_approval');
  if (authoritative.length === 0) return new Set();
  const top = Math.max(...authoritative.map((m) => m.priority));
  return new Set(authoritative.filter((m) => m.priority === top && m.decision === decision.decision).map((m) => `${m.policyId}/${m.ruleId}`));
}

describe('lint properties', () => {
  it('never throws, and returns findings with known codes in a total order', () => {
    fc.assert(
      fc.property(arbitraryPolicies(4), (policies) => {
        const findings = lint(policies);
        for (const f of findings) {
          expect(CODES.has(f.code)).toBe(true);
          expect(['error', 'warning', 'info']).toContain(f.severity);
        }
        for (let i = 1; i < findings.length; i++) expect(compareFindings(findings[i - 1], findings[i])).toBeLessThanOrEqual(0);
      }),
      { numRuns: 300 },
    );
  }, PROPERTY_TIMEOUT_MS);

  /** Lint of a set printed and parsed (located in set.yaml) finds what lint of its bundle form finds. */
  const locatedAgreesWithBundle = fc.property(arbitraryPolicies(3), (generated) => {
    const parsed = parsePolicies(printPolicies(generated, 'yaml'), { filename: 'set.yaml' });
    const located = lint(parsed);
    for (const f of located) {
      expect(f.file).toBe('set.yaml');
      expect(f.line).toBeGreaterThan(0);
    }
    const fromBundle = lint(asBundlePolicies(parsed));
    expect(located.map(unlocated).map(key).sort()).toEqual(fromBundle.map(key).sort());
  });

  it('finds the same in printed-and-parsed policies (located in the file) as in their bundle form', () => {
    fc.assert(locatedAgreesWithBundle, { numRuns: 150 });
  }, PROPERTY_TIMEOUT_MS);

  it('finds the same located and from the bundle for seed 354225901 (a duplicate id worded by file once)', () => {
    fc.assert(locatedAgreesWithBundle, { numRuns: 150, seed: 354225901 });
  }, PROPERTY_TIMEOUT_MS);

  it('is right when it calls a condition always true or always false', () => {
    fc.assert(
      fc.property(arbitraryCondition(), fc.array(arbitraryContext(), { minLength: 1, maxLength: 8 }), (condition, ctxs) => {
        const truth = staticTruth(condition);
        if (truth === undefined) return;
        const { test } = compileCondition(condition, 'condition');
        for (const ctx of ctxs) expect(test(ctx)).toBe(truth.value);
      }),
      { numRuns: 2000 },
    );
  }, PROPERTY_TIMEOUT_MS);

  it('is right about contradictions and tautologies between leaves on one field', () => {
    fc.assert(
      fc.property(oneFieldCondition, fc.array(oneFieldContext, { minLength: 10, maxLength: 20 }), (condition, ctxs) => {
        const truth = staticTruth(condition);
        if (truth === undefined) return;
        const { test } = compileCondition(condition, 'condition');
        for (const ctx of ctxs) expect(test(ctx)).toBe(truth.value);
      }),
      { numRuns: 5000 },
    );
  }, PROPERTY_TIMEOUT_MS);

  it('is right when it says a rule can never decide (unreachable, conflict)', async () => {
    await fc.assert(
      fc.asyncProperty(shadowySets, contexts, async (policies: Policy[], ctxs) => {
        const neverDecide = lint(policies)
          .filter((f) => f.code === 'unreachable' || f.code === 'conflict')
          .map((f) => `${f.policyId}/${f.ruleId}`);
        if (neverDecide.length === 0) return;
        const evaluator = loadBundle(await compileBundle(policies, { version: '1.0.0', createdAt: '2026-01-01T00:00:00Z' }));
        for (const ctx of ctxs) {
          for (const stage of ['request', 'response'] as const) {
            const deciding = decidingRules(evaluator.evaluate(ctx, { stage }));
            for (const rule of neverDecide) expect(deciding.has(rule)).toBe(false);
          }
        }
      }),
      { numRuns: 300 },
    );
  }, PROPERTY_TIMEOUT_MS);
});
