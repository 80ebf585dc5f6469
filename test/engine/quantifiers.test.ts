// Quantifiers (spec §10) beyond the conformance table: explain traces, errors with their place,
// the rule index around quantified rules, and the properties `none` = `not any`, index = scan.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileBundle, loadBundle } from '../../src/engine/index';
import { parsePolicies } from '../../src/policy/parse';
import type { Condition, Decision, Policy } from '../../src/policy/types';
import { explainRule } from '../../src/testing/explain-rule';
import { RuleCatalog } from '../../src/testing/rule-refs';
import { arbitraryCondition } from '../policy/arbitraries';

/**
 * Property runs do a fixed amount of work (numRuns) that takes seconds idle and several times that on
 * a busy 2-core machine: the budget is generous so load can never fail them, only a wrong answer can.
 */
const PROPERTY_TIMEOUT_MS = 120_000;

const withoutTiming = ({ evaluationMicros, ...rest }: Decision) => rest;
const one = (condition: Condition, extra: Partial<Policy['rules'][number]> = {}): Policy[] =>
  [{ metadata: { id: 'p' }, rules: [{ id: 'r', condition, action: { decision: 'deny', reason: 'held' }, ...extra }] }];
const load = async (policies: Policy[], opts: { index?: boolean; minRulesPerIndex?: number } = {}) =>
  loadBundle(await compileBundle(policies, { version: '1.0.0', createdAt: '2026-01-01T00:00:00Z' }), opts);

const transfer: Condition = {
  operator: 'any', field: 'response.toolCalls',
  condition: { operator: 'and', conditions: [
    { operator: 'eq', field: '$.name', value: 'transfer_funds' },
    { operator: 'gt', field: '$.arguments.amount', valueField: 'user.approvalLimit' },
  ] },
};

describe('explain', () => {
  it('names the deciding element with its leaf values', async () => {
    const evaluator = await load(one(transfer, { stage: 'response' }));
    const context = { user: { approvalLimit: 100 }, response: { toolCalls: [
      { name: 'transfer_funds', arguments: { amount: 50 } },
      { name: 'transfer_funds', arguments: { amount: 500 } },
    ] } };
    const decision = evaluator.evaluate(context, { explain: true, stage: 'response' });
    expect(decision.decision).toBe('deny');
    expect(decision.trace?.[0].condition).toEqual({
      kind: 'quantifier', operator: 'any', field: 'response.toolCalls', result: true, size: 2,
      decidedBy: { index: 1, condition: { kind: 'and', result: true, children: [
        { kind: 'leaf', operator: 'eq', field: '$.name', actual: 'transfer_funds', expected: 'transfer_funds', missing: false, result: true },
        { kind: 'leaf', operator: 'gt', field: '$.arguments.amount', actual: 500, expected: 100, valueField: 'user.approvalLimit', missing: false, result: true },
      ] } },
    });
  });

  it('lists each element result when no element decided', async () => {
    const evaluator = await load(one({ operator: 'all', field: 'llm.tools', condition: { operator: 'in', field: '$.name', value: ['search', 'read'] } }));
    const passing = evaluator.evaluate({ llm: { tools: [{ name: 'search' }, { name: 'read' }] } }, { explain: true });
    expect(passing.trace?.[0].condition).toEqual({ kind: 'quantifier', operator: 'all', field: 'llm.tools', result: true, size: 2, elements: [{ index: 0, result: true }, { index: 1, result: true }] });
    const failing = evaluator.evaluate({ llm: { tools: [{ name: 'search' }, { name: 'shell' }] } }, { explain: true });
    expect(failing.trace?.[0].condition).toMatchObject({ result: false, decidedBy: { index: 1, condition: { actual: 'shell', result: false } } });
    const none = await load(one({ operator: 'none', field: 'llm.tools', condition: { operator: 'eq', field: '$.name', value: 'shell' } }));
    expect(none.evaluate({ llm: { tools: [{ name: 'a' }, { name: 'shell' }] } }, { explain: true }).trace?.[0].condition)
      .toMatchObject({ operator: 'none', result: false, decidedBy: { index: 1 } });
    expect(none.evaluate({}, { explain: true }).trace?.[0].condition).toEqual({ kind: 'quantifier', operator: 'none', field: 'llm.tools', result: true, size: 0, elements: [] });
  });

  it('explains a test failure through the deciding element', async () => {
    const policies = one(transfer);
    const evaluator = await load(policies);
    const context = { user: { approvalLimit: 100 }, response: { toolCalls: [{ name: 'transfer_funds', arguments: { amount: 500 } }] } };
    const why = explainRule(evaluator, new RuleCatalog(evaluator.bundle, policies), context, 'p/r', false);
    expect(why).toBe('any response.toolCalls element 0: $.name eq "transfer_funds" is true (actual "transfer_funds") and $.arguments.amount gt user.approvalLimit is true (actual 500)');
  });
});

describe('errors', () => {
  const yaml = (condition: string, reason = 'held') => `metadata: { id: p }\nrules:\n  - id: r\n    condition: ${condition}\n    action: { decision: deny, reason: "${reason}" }\n`;

  it('a $ path outside a quantifier, or in a reason, is an error at its line', () => {
    expect(() => parsePolicies(yaml('{ operator: eq, field: $.name, value: x }'), { filename: 'p.yaml' }))
      .toThrow(expect.objectContaining({ file: 'p.yaml', line: 4, path: 'rules[0].condition.field', message: expect.stringContaining('"$.name" refers to a list element') }));
    expect(() => parsePolicies(yaml('{ operator: eq, field: a, valueField: $ }')))
      .toThrow(expect.objectContaining({ path: 'rules[0].condition.valueField' }));
    expect(() => parsePolicies(yaml('{ operator: any, field: l, condition: { operator: exists, field: $ } }', 'bad {{ $.name }}')))
      .toThrow(expect.objectContaining({ path: 'rules[0].action.reason', message: expect.stringContaining('a reason reads the context') }));
  });

  it('hand-built policies get the same errors from compileBundle', async () => {
    await expect(compileBundle(one({ operator: 'exists', field: '$' }), { version: '1.0.0' })).rejects.toMatchObject({ path: expect.stringContaining('rules[0].condition.field') });
    // Bundles skip the schema: the engine's own compile refuses them too.
    const bundle = await compileBundle(one(true), { version: '1.0.0' });
    bundle.policies[0].rules[0].action.reason = '{{$.x}}';
    expect(() => loadBundle(bundle)).toThrow(/a reason reads the context/);
  });

  it('a quantifier needs exactly one condition', () => {
    expect(() => parsePolicies(yaml('{ operator: any, field: l, conditions: [true] }'))).toThrow(/any is a quantifier: it takes a list "field" and one "condition"/);
    expect(() => parsePolicies(yaml('{ operator: all, field: l }'))).toThrow(/condition/);
  });

  it('any and all are real operators now, not aliases of or and and', () => {
    expect(() => parsePolicies(yaml('{ operator: any, conditions: [true] }'))).toThrow(/to combine several conditions use or$/);
    expect(() => parsePolicies(yaml('{ operator: all, conditions: [true] }'))).toThrow(/to combine several conditions use and$/);
    expect(() => parsePolicies(yaml('{ operator: some, field: l, condition: true }'))).toThrow(/did you mean "any"/);
  });
});

describe('rule index', () => {
  it('does not bucket rules by the eq leaves inside a quantifier', async () => {
    // Three rules whose only eq leaf is `$.name` inside `any`: indexing them by a field `$.name`
    // of the context would drop them from every candidate list.
    const policies: Policy[] = [{ metadata: { id: 'p' }, rules: ['a', 'b', 'c'].map((name) => ({
      id: `deny-${name}`, stage: 'response' as const,
      condition: { operator: 'any', field: 'response.toolCalls', condition: { operator: 'eq', field: '$.name', value: name } } as Condition,
      action: { decision: 'deny' as const, reason: `no ${name}` },
    })) }];
    const indexed = await load(policies, { minRulesPerIndex: 1 });
    const decision = indexed.evaluate({ response: { toolCalls: [{ name: 'b' }] } }, { stage: 'response' });
    expect(decision.matchedRules.map((m) => m.ruleId)).toEqual(['deny-b']);
  });
});

/** Conditions with quantifiers over `l` (a list of small objects) and `$` leaves. */
function quantified(): fc.Arbitrary<Condition> {
  const elementLeaf = fc.oneof(
    fc.record({ operator: fc.constantFrom('eq' as const, 'ne' as const, 'gt' as const), field: fc.constantFrom('$.a', '$.b', '$'), value: fc.constantFrom(0, 1, 2, 'x') }),
    fc.record({ operator: fc.constantFrom('eq' as const, 'lt' as const), field: fc.constantFrom('$.a', '$.b'), valueField: fc.constantFrom('$.b', 'team.id', 'llm.estimatedCost') }),
    fc.record({ operator: fc.constantFrom('exists' as const, 'not_exists' as const), field: fc.constantFrom('$.a', '$') }),
  );
  const inner = fc.oneof(elementLeaf, fc.record({ operator: fc.constantFrom('and' as const, 'or' as const), conditions: fc.array(fc.oneof(elementLeaf, arbitraryCondition(1)), { maxLength: 3 }) }));
  const q = fc.record({ operator: fc.constantFrom('any' as const, 'all' as const, 'none' as const), field: fc.constantFrom('l', 'team.id', 'missing'), condition: inner });
  return fc.oneof(q, fc.record({ operator: fc.constant('and' as const), conditions: fc.array(fc.oneof(q, arbitraryCondition(1)), { maxLength: 3 }) }));
}

const element = fc.oneof(fc.constantFrom(0, 1, 2, 'x', null), fc.record({ a: fc.constantFrom(0, 1, 2, 'x'), b: fc.constantFrom(0, 1, 2) }, { requiredKeys: [] }));
const contexts = fc.array(fc.record({
  l: fc.oneof(fc.array(element, { maxLength: 4 }), fc.constantFrom('l', 3)),
  team: fc.record({ id: fc.constantFrom('team-1', 0, 1) }),
  llm: fc.record({ model: fc.constantFrom('gpt-4', 'claude-3'), estimatedCost: fc.constantFrom(0, 1, 2) }),
}, { requiredKeys: [] }), { minLength: 1, maxLength: 6 });

describe('properties', () => {
  it('none is exactly not any', async () => {
    await fc.assert(fc.asyncProperty(quantified().filter((c) => typeof c === 'object' && c.operator === 'any'), contexts, async (anyCondition, ctxs) => {
      const notAny = await load(one({ operator: 'not', condition: anyCondition }));
      const none = await load(one({ ...(anyCondition as object), operator: 'none' } as Condition));
      for (const ctx of ctxs) expect(none.evaluate(ctx).decision).toBe(notAny.evaluate(ctx).decision);
    }), { numRuns: 200 });
  }, PROPERTY_TIMEOUT_MS);

  it('the rule index and a linear scan decide identically on quantified rules', async () => {
    const rule = fc.record({ id: fc.stringMatching(/^[a-z]{1,6}$/), condition: quantified(), decision: fc.constantFrom('allow' as const, 'deny' as const, 'warn' as const) });
    // Guard ids carry a hyphen, which plain rule ids never do, so the two lists cannot collide.
    const guarded = fc.record({ id: fc.stringMatching(/^g-[a-z]{1,6}$/), value: fc.constantFrom('gpt-4', 'claude-3', 'team-1') });
    await fc.assert(fc.asyncProperty(fc.uniqueArray(rule, { minLength: 1, maxLength: 5, selector: (r) => r.id }), fc.uniqueArray(guarded, { maxLength: 4, selector: (g) => g.id }), contexts, async (rules, guards, ctxs) => {
      const policies: Policy[] = [{ metadata: { id: 'p' }, rules: [
        ...rules.map((r) => ({ id: r.id, condition: r.condition, action: { decision: r.decision, reason: r.id } })),
        // eq leaves on context fields beside the quantifiers, so the index has something to bucket.
        ...guards.map((g) => ({ id: g.id, condition: { operator: 'and', conditions: [{ operator: 'eq', field: 'llm.model', value: g.value }, quantifiedOr(rules[0].condition)] } as Condition, action: { decision: 'deny' as const } })),
      ] }];
      const indexed = await load(policies, { minRulesPerIndex: 1 });
      const scanned = await load(policies, { index: false });
      for (const ctx of ctxs) expect(withoutTiming(indexed.evaluate(ctx))).toEqual(withoutTiming(scanned.evaluate(ctx)));
    }), { numRuns: 200 });
  }, PROPERTY_TIMEOUT_MS);

  it('explain agrees with evaluation on quantified rules', async () => {
    await fc.assert(fc.asyncProperty(quantified(), contexts, async (condition, ctxs) => {
      const evaluator = await load(one(condition));
      for (const ctx of ctxs) {
        const explained = evaluator.evaluate(ctx, { explain: true });
        expect(explained.trace?.[0].matched).toBe(evaluator.evaluate(ctx).decision === 'deny');
        expect(explained.trace?.[0].condition?.result).toBe(explained.trace?.[0].matched);
      }
    }), { numRuns: 200 });
  }, PROPERTY_TIMEOUT_MS);
});

const quantifiedOr = (c: Condition): Condition => ({ operator: 'or', conditions: [c, { operator: 'eq', field: 'team.id', value: 'team-1' }] });
