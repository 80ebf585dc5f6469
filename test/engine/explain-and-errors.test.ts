import { describe, expect, it } from 'vitest';
import { compileBundle, loadBundle } from '../../src/engine/index';
import { PolicyError } from '../../src/policy/errors';
import { parsePolicies } from '../../src/policy/parse';
import type { Bundle, Policy } from '../../src/policy/types';

const costPolicy = `
metadata: { id: cost-limit-policy, namespace: production, priority: 100 }
rules:
  - id: deny-expensive-models
    condition:
      operator: and
      conditions:
        - { operator: gt, field: llm.estimatedCost, value: 1.0 }
        - { operator: eq, field: team.tier, value: free }
    action: { decision: deny, reason: "Cost {{llm.estimatedCost}} exceeds free tier limit" }
`;

describe('explain', () => {
  it('shows for each rule which leaf failed and the value it saw', async () => {
    const evaluator = loadBundle(await compileBundle(parsePolicies(costPolicy), { version: '1.0.0' }));
    const decision = evaluator.evaluate({ llm: { estimatedCost: 0.4 }, team: { tier: 'free' } }, { explain: true });
    expect(decision.decision).toBe('allow');
    expect(decision.trace).toEqual([{
      policyId: 'cost-limit-policy', ruleId: 'deny-expensive-models', priority: 100, matched: false,
      condition: {
        kind: 'and', result: false,
        // Short-circuit: the second leaf was never evaluated, and the trace says so by omitting it.
        children: [{ kind: 'leaf', operator: 'gt', field: 'llm.estimatedCost', actual: 0.4, expected: 1, missing: false, result: false }],
      },
    }]);
  });

  it('marks missing fields and namespace-skipped policies', async () => {
    const evaluator = loadBundle(await compileBundle(parsePolicies(costPolicy), { version: '1.0.0' }));
    const missing = evaluator.evaluate({ team: { tier: 'free' } }, { explain: true });
    expect(missing.trace?.[0].condition).toMatchObject({ children: [{ field: 'llm.estimatedCost', missing: true, result: false }] });
    expect(missing.trace?.[0].condition).not.toHaveProperty('children.0.actual');
    const skipped = evaluator.evaluate({ project: { environment: 'staging' } }, { explain: true });
    expect(skipped.trace).toEqual([{ policyId: 'cost-limit-policy', ruleId: 'deny-expensive-models', priority: 100, skipped: 'namespace', matched: false }]);
  });

  it('traces valueField comparisons with the resolved value', async () => {
    const policies: Policy[] = [{ metadata: { id: 'p' }, rules: [{ id: 'r', condition: { operator: 'gt', field: 'used', valueField: 'limit' }, action: { decision: 'deny' } }] }];
    const decision = loadBundle(await compileBundle(policies, { version: '1.0.0' })).evaluate({ used: 5, limit: 3 }, { explain: true });
    expect(decision.trace?.[0]).toMatchObject({ matched: true, condition: { actual: 5, expected: 3, valueField: 'limit', result: true } });
  });
});

describe('compile errors', () => {
  it('an invalid RE2 pattern names the file and line', async () => {
    const text = `metadata: { id: p }\nrules:\n  - id: r\n    condition: { operator: matches, field: llm.prompt, value: "(a)\\\\1" }\n    action: { decision: deny, reason: backreference }\n`;
    const attempt = async () => compileBundle(parsePolicies(text, { filename: 'p.yaml' }), { version: '1.0.0' });
    await expect(attempt()).rejects.toBeInstanceOf(PolicyError);
    await expect(attempt()).rejects.toMatchObject({ file: 'p.yaml', line: 4, path: expect.stringContaining('rules[0].condition') });
  });

  it('rejects duplicate policy ids across files, naming both', async () => {
    const a = parsePolicies('metadata: { id: same }\nrules: [{ id: r, condition: true, action: { decision: allow } }]\n', { filename: 'a.yaml' });
    const b = parsePolicies('metadata: { id: same }\nstatus: draft\nrules: [{ id: r, condition: true, action: { decision: allow } }]\n', { filename: 'b.yaml' });
    await expect(compileBundle([...a, ...b], { version: '1.0.0' })).rejects.toMatchObject({ code: 'compile_error', file: 'b.yaml', message: expect.stringContaining('a.yaml') });
  });

  it('validates hand-built policies and bundle options', async () => {
    const bad = [{ metadata: { id: 'p' }, rules: [{ id: 'r', condition: { operator: 'in', field: 'x', value: 'not-a-list' }, action: { decision: 'deny' } }] }] as unknown as Policy[];
    await expect(compileBundle(bad, { version: '1.0.0' })).rejects.toMatchObject({ code: 'schema_error', path: expect.stringContaining('rules[0].condition') });
    await expect(compileBundle([], { version: 'v1' })).rejects.toMatchObject({ code: 'input_error' });
  });

  it('loadBundle refuses a malformed bundle with a PolicyError, not a TypeError', () => {
    expect(() => loadBundle({} as Bundle)).toThrow(PolicyError);
    const broken = { format: 'llm-policy-bundle/v1', version: '1.0.0', createdAt: '', defaultDecision: 'allow', hash: '', policies: [{ metadata: { id: 'p' }, rules: [{ id: 'r', condition: { operator: 'bogus', field: 'x', value: 1 }, action: { decision: 'deny' } }] }] } as unknown as Bundle;
    expect(() => loadBundle(broken)).toThrow(/unknown operator "bogus"/);
    const noRules = { ...broken, policies: [{ metadata: { id: 'p' } }] } as unknown as Bundle;
    expect(() => loadBundle(noRules)).toThrow(PolicyError);
  });
});

describe('bundle', () => {
  it('is deterministic for the same input and holds only active policies, sorted by id', async () => {
    const policies = parsePolicies(`
metadata: { id: zeta }
rules: [{ id: r, condition: true, action: { decision: allow } }]
---
metadata: { id: alpha }
rules: [{ id: r, condition: true, action: { decision: allow } }]
---
metadata: { id: draft-one }
status: draft
rules: [{ id: r, condition: true, action: { decision: allow } }]
`);
    const one = await compileBundle(policies, { version: '1.2.3', createdAt: '2026-11-22T10:00:00Z' });
    const two = await compileBundle([...policies].reverse(), { version: '1.2.3', createdAt: '2026-11-22T10:00:00Z' });
    expect(one).toEqual(two);
    expect(one.policies.map((p) => p.metadata.id)).toEqual(['alpha', 'zeta']);
    expect(one).toMatchObject({ format: 'llm-policy-bundle/v1', version: '1.2.3', defaultDecision: 'allow', hash: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) });
    const changed = await compileBundle(policies, { version: '1.2.4', createdAt: '2026-11-22T10:00:00Z' });
    expect(changed.hash).not.toBe(one.hash);
  });
});

describe('response stage', () => {
  it('runs only stage: response rules, and an answer no rule matches stands even in a deny-by-default bundle', async () => {
    const policies: Policy[] = [{ metadata: { id: 'p' }, rules: [
      { id: 'req', condition: true, action: { decision: 'allow' } },
      { id: 'no-pii-out', stage: 'response', condition: { operator: 'eq', field: 'response.containsPII', value: true }, action: { decision: 'deny', reason: 'PII in the answer' } },
      { id: 'redact-out', stage: 'response', condition: { operator: 'exists', field: 'response.text' }, action: { decision: 'modify', obligations: [{ type: 'redact_pii' }] } },
    ] }];
    const evaluator = loadBundle(await compileBundle(policies, { version: '1.0.0', defaultDecision: 'deny' }));
    expect(evaluator.evaluate({}).matchedRules.map((m) => m.ruleId)).toEqual(['req']);
    const clean = evaluator.evaluate({ response: { text: 'hello', containsPII: false } }, { stage: 'response' });
    expect(clean).toMatchObject({ decision: 'allow', reasons: ['no response rule matched: allow'], obligations: [{ type: 'redact_pii' }] });
    const leaky = evaluator.evaluate({ response: { text: 'a@b.co', containsPII: true } }, { stage: 'response' });
    expect(leaky).toMatchObject({ decision: 'deny', reasons: ['PII in the answer'], obligations: [] });
    expect(evaluator.evaluate({}, { stage: 'response' }).decision).toBe('allow');
  });
});
