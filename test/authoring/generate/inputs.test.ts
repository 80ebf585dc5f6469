// What generate starts from besides English: a suggestion with a ready policy, a pattern with a
// scope; and what it refuses.
import { describe, expect, it } from 'vitest';
import { generate } from '../../../src/authoring/generate/index';
import { decide, NOW } from './support';

const READY = {
  metadata: { id: 'cheap-models-for-short-prompts' },
  rules: [{ id: 'route-short', condition: { operator: 'lt', field: 'llm.estimatedTokens', value: 200 }, action: { decision: 'modify', obligations: [{ type: 'route_model', model: 'gpt-4o-mini' }] } }],
};
const READY_TESTS = [
  { name: 'short prompts go to the small model', context: { llm: { estimatedTokens: 50 } }, expect: { obligations: [{ type: 'route_model', model: 'gpt-4o-mini' }] } },
  { name: 'long prompts keep their model', context: { llm: { estimatedTokens: 500 } }, expect: { obligations: [] } },
];

describe('generate from suggestions and patterns', () => {
  it('gates a suggestion that carries a ready policy and its tests, recording where it came from', async () => {
    const suggestion = { category: 'optimization', metric: 'short_prompts_on_large_models', recommendation: 'route short prompts to gpt-4o-mini', priority: 'medium', effort: 'low', impact: 'medium', confidence: 0.8, evidence: {}, policy: READY, tests: READY_TESTS };
    const result = await generate({ suggestion, now: () => NOW });
    if (!result.ok) throw new Error(result.error.message);
    expect(result.policies[0].metadata.source).toMatchObject({ kind: 'suggestion', id: 'short_prompts_on_large_models', text: 'route short prompts to gpt-4o-mini', generator: 'suggestion-policy' });
    expect(Object.keys(result.files)).toEqual(['cheap-models-for-short-prompts.yaml', 'cheap-models-for-short-prompts.test.yaml']);
  });

  it('refuses a ready policy whose tests never make its rule match', async () => {
    const suggestion = { recommendation: 'route short prompts to gpt-4o-mini', policy: READY, tests: [READY_TESTS[1], { ...READY_TESTS[1], name: 'again' }] };
    const result = await generate({ suggestion });
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid', message: 'tests gate: no test makes rule route-short match: add a test where it applies' } });
  });

  it("narrows a pattern's rules to its scope's tier, and tests the scope on both sides", async () => {
    const result = await generate({ pattern: { id: 'no-o3', version: '2.0.0', description: 'block o3', scope: { tier: ['free', 'trial'] } }, now: () => NOW });
    if (!result.ok) throw new Error(result.error.message);
    const [policy] = result.policies;
    expect(policy.metadata).toMatchObject({ id: 'pattern-no-o3', source: { kind: 'pattern', id: 'no-o3', version: '2.0.0', text: 'block o3' } });
    expect((await decide(result.policies, { team: { tier: 'trial' }, llm: { model: 'o3' } })).decision).toBe('deny');
    expect((await decide(result.policies, { team: { tier: 'pro' }, llm: { model: 'o3' } })).decision).toBe('allow');
    expect(result.files['pattern-no-o3.test.yaml']).toMatch(/does not apply: .*team\.tier "(?!free"|trial")[a-z]+"/);
  });

  it('refuses requests that name no input or two, and malformed patterns, in one line', async () => {
    expect(await generate({})).toMatchObject({ ok: false, error: { code: 'invalid', message: 'give exactly one of text, suggestion, pattern' } });
    expect(await generate({ text: 'x', pattern: {} })).toMatchObject({ ok: false, error: { message: 'give exactly one of text, suggestion, pattern (got text, pattern)' } });
    const bad = await generate({ pattern: { id: 'p', version: 'one', description: 'block o3' } });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid', message: expect.stringMatching(/^pattern: version: /) } });
    expect(await generate({ suggestion: { metric: 'm' } })).toMatchObject({ ok: false, error: { message: 'suggestion.recommendation must be a non-empty string (the text a policy is generated from)' } });
  });
});
