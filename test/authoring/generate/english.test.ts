// The rules backend's grammar as a table: each sentence, requests it should and should not catch,
// and what the policy decides for them (written from what the sentence means). Every sentence must
// also pass the gates, so its generated tests pass too.
import { describe, expect, it } from 'vitest';
import type { Obligation } from '../../../src/policy/types';
import { decide, generated } from './support';

interface Probe {
  context: object;
  decision: 'allow' | 'deny' | 'needs_approval';
  /** Number of warnings (default 0 when given). */
  warnings?: number;
  obligations?: Obligation[];
}

const free = (model: string) => ({ team: { id: 't', tier: 'free' }, llm: { model } });
const tier = (t: string, model: string) => ({ team: { id: 't', tier: t }, llm: { model } });
const cost = (c: number, roles?: string[]) => ({ llm: { estimatedCost: c }, ...(roles ? { user: { id: 'u', roles } } : {}) });
const at = (hour: number, weekday: number, model = 'gpt-4o-mini') => ({ time: { hour, weekday }, llm: { model } });
const allow: Probe['decision'] = 'allow';
const deny: Probe['decision'] = 'deny';

const TABLE: Array<[string, Probe[]]> = [
  ['free tier teams may not use gpt-4o or o3', [
    { context: free('gpt-4o'), decision: deny }, { context: free('o3'), decision: deny },
    { context: tier('pro', 'gpt-4o'), decision: allow }, { context: free('gpt-4o-mini'), decision: allow }]],
  ['only gpt-4o-mini and claude-3-5-haiku for team-42', [
    { context: { team: { id: 'team-42' }, llm: { model: 'gpt-4o' } }, decision: deny },
    { context: { team: { id: 'team-42' }, llm: { model: 'claude-3-5-haiku' } }, decision: allow },
    { context: { team: { id: 'team-7' }, llm: { model: 'gpt-4o' } }, decision: allow }]],
  ['deny requests that cost more than $2 unless the user has the role finance', [
    { context: cost(2.5), decision: deny }, { context: cost(2.5, ['finance']), decision: allow },
    { context: cost(2.5, ['dev']), decision: deny }, { context: cost(2), decision: allow }]],
  ['block prompts with PII in production unless the user has the role pii-approved', [
    { context: { project: { environment: 'production' }, llm: { containsPII: true } }, decision: deny },
    { context: { project: { environment: 'production' }, llm: { containsPII: true }, user: { roles: ['pii-approved'] } }, decision: allow },
    { context: { project: { environment: 'staging' }, llm: { containsPII: true } }, decision: allow },
    { context: { project: { environment: 'production' }, llm: { containsPII: false } }, decision: allow }]],
  ['redact emails and phone numbers before they reach the provider', [
    { context: { llm: { containsPII: true, piiTypes: ['email'] } }, decision: allow, obligations: [{ type: 'redact_pii', types: ['email', 'phone'] }] },
    { context: { llm: { containsPII: true, piiTypes: ['phone', 'ssn'] } }, decision: allow, obligations: [{ type: 'redact_pii', types: ['email', 'phone'] }] },
    { context: { llm: { containsPII: true, piiTypes: ['ssn'] } }, decision: allow, obligations: [] }]],
  ['cap output at 1,000 tokens for the free tier', [
    { context: { team: { tier: 'free' }, llm: { maxTokens: 4000 } }, decision: allow, obligations: [{ type: 'set_max_tokens', value: 1000 }] },
    { context: { team: { tier: 'free' } }, decision: allow, obligations: [{ type: 'set_max_tokens', value: 1000 }] },
    { context: { team: { tier: 'free' }, llm: { maxTokens: 1000 } }, decision: allow, obligations: [] },
    { context: { team: { tier: 'pro' }, llm: { maxTokens: 4000 } }, decision: allow, obligations: [] }]],
  ['require approval for requests over $5', [
    { context: cost(6), decision: 'needs_approval' }, { context: cost(5), decision: allow }, { context: cost(5.01), decision: 'needs_approval' }]],
  ['block prompt injection above 0.8', [
    { context: { llm: { injectionScore: 0.9 } }, decision: deny }, { context: { llm: { injectionScore: 0.8 } }, decision: allow },
    { context: { llm: { injectionScore: 0.1 } }, decision: allow }]],
  ['no requests outside 8am-6pm UTC on weekdays', [
    { context: at(7, 2), decision: deny }, { context: at(18, 2), decision: deny }, { context: at(8, 1), decision: allow },
    { context: at(17, 5), decision: allow }, { context: at(12, 6), decision: deny }, { context: at(12, 0), decision: deny }]],
  ['warn when a request uses more than 50,000 tokens', [
    { context: { llm: { estimatedTokens: 60000 } }, decision: allow, warnings: 1 }, { context: { llm: { estimatedTokens: 50000 } }, decision: allow, warnings: 0 }]],
  ['pro tier users cannot use o3', [{ context: tier('pro', 'o3'), decision: deny }, { context: tier('free', 'o3'), decision: allow }]],
  ['teams on the free plan must not use claude-3-opus or gpt-4.5', [
    { context: free('gpt-4.5'), decision: deny }, { context: free('claude-3-opus'), decision: deny }, { context: free('gpt-4.1'), decision: allow }]],
  ['deny gpt-4o in production', [
    { context: { project: { environment: 'production' }, llm: { model: 'gpt-4o' } }, decision: deny },
    { context: { project: { environment: 'staging' }, llm: { model: 'gpt-4o' } }, decision: allow }]],
  ['block gpt-4o and o1 for free and trial tier teams', [
    { context: tier('trial', 'o1'), decision: deny }, { context: tier('free', 'gpt-4o'), decision: deny }, { context: tier('pro', 'o1'), decision: allow }]],
  ['deny requests over $10 unless the user has the role admin or finance', [
    { context: cost(11, ['finance']), decision: allow }, { context: cost(11, ['admin']), decision: allow },
    { context: cost(11, ['dev']), decision: deny }, { context: cost(10), decision: allow }]],
  ['deny requests costing more than $0.50 for the free tier', [
    { context: { ...cost(0.6), team: { tier: 'free' } }, decision: deny }, { context: { ...cost(0.5), team: { tier: 'free' } }, decision: allow },
    { context: { ...cost(0.6), team: { tier: 'pro' } }, decision: allow }]],
  ['require approval for gpt-4o in production', [
    { context: { project: { environment: 'production' }, llm: { model: 'gpt-4o' } }, decision: 'needs_approval' },
    { context: { project: { environment: 'production' }, llm: { model: 'gpt-4o-mini' } }, decision: allow }]],
  ['require human approval for requests that cost more than $20 unless the user has the role finance', [
    { context: cost(25), decision: 'needs_approval' }, { context: cost(25, ['finance']), decision: allow }, { context: cost(20), decision: allow }]],
  ['block requests with an injection score of at least 0.9', [
    { context: { llm: { injectionScore: 0.9 } }, decision: deny }, { context: { llm: { injectionScore: 0.89 } }, decision: allow }]],
  ['reject prompts containing credit card numbers or ssns', [
    { context: { llm: { containsPII: true, piiTypes: ['credit_card'] } }, decision: deny },
    { context: { llm: { containsPII: true, piiTypes: ['ssn'] } }, decision: deny },
    { context: { llm: { containsPII: true, piiTypes: ['email'] } }, decision: allow }]],
  ['block prompts with PII in the staging environment', [
    { context: { project: { environment: 'staging' }, llm: { containsPII: true } }, decision: deny },
    { context: { project: { environment: 'production' }, llm: { containsPII: true } }, decision: allow }]],
  ['block prompts containing api keys', [
    { context: { llm: { containsPII: true, piiTypes: ['secret'] } }, decision: deny }, { context: { llm: { containsPII: false, piiTypes: [] } }, decision: allow }]],
  ['redact pii', [
    { context: { llm: { containsPII: true, piiTypes: ['iban'] } }, decision: allow, obligations: [{ type: 'redact_pii' }] },
    { context: { llm: { containsPII: false } }, decision: allow, obligations: [] }]],
  ['mask email addresses for the free tier', [
    { context: { team: { tier: 'free' }, llm: { containsPII: true, piiTypes: ['email'] } }, decision: allow, obligations: [{ type: 'redact_pii', types: ['email'] }] },
    { context: { team: { tier: 'pro' }, llm: { containsPII: true, piiTypes: ['email'] } }, decision: allow, obligations: [] }]],
  ['cap output at 2k tokens', [
    { context: { llm: { maxTokens: 2001 } }, decision: allow, obligations: [{ type: 'set_max_tokens', value: 2000 }] },
    { context: { llm: { maxTokens: 2000 } }, decision: allow, obligations: [] }]],
  ['limit output to 512 tokens for team-a', [
    { context: { team: { id: 'team-a' }, llm: { maxTokens: 1024 } }, decision: allow, obligations: [{ type: 'set_max_tokens', value: 512 }] },
    { context: { team: { id: 'team-b' }, llm: { maxTokens: 1024 } }, decision: allow, obligations: [] }]],
  ['warn when a request costs more than $1', [
    { context: cost(1.2), decision: allow, warnings: 1 }, { context: cost(1), decision: allow, warnings: 0 }]],
  ['warn when the injection score is above 0.5', [
    { context: { llm: { injectionScore: 0.6 } }, decision: allow, warnings: 1 }, { context: { llm: { injectionScore: 0.5 } }, decision: allow, warnings: 0 }]],
  ['no requests on weekends', [
    { context: at(12, 0), decision: deny }, { context: at(12, 6), decision: deny }, { context: at(12, 3), decision: allow }]],
  ['block o3 between 9am and 5pm utc', [
    { context: at(9, 2, 'o3'), decision: deny }, { context: at(16, 2, 'o3'), decision: deny }, { context: at(17, 2, 'o3'), decision: allow },
    { context: at(12, 2, 'gpt-4o-mini'), decision: allow }]],
  ['deny requests with more than 8000 max tokens', [
    { context: { llm: { maxTokens: 9000 } }, decision: deny }, { context: { llm: { maxTokens: 8000 } }, decision: allow }]],
  ['warn when prompts are longer than 4000 tokens', [
    { context: { llm: { estimatedTokens: 4001 } }, decision: allow, warnings: 1 }, { context: { llm: { estimatedTokens: 4000 } }, decision: allow, warnings: 0 }]],
  ['block anthropic models for the free tier', [
    { context: { team: { tier: 'free' }, llm: { provider: 'anthropic' } }, decision: deny },
    { context: { team: { tier: 'free' }, llm: { provider: 'openai' } }, decision: allow }]],
  ['deny requests that cost more than $2 in the production namespace', [
    { context: { metadata: { namespace: 'production' }, llm: { estimatedCost: 3 } }, decision: deny },
    { context: { metadata: { namespace: 'dev' }, llm: { estimatedCost: 3 } }, decision: allow }]],
  ['block requests from team-x and team-y', [
    { context: { team: { id: 'team-x' } }, decision: deny }, { context: { team: { id: 'team-y' } }, decision: deny }, { context: { team: { id: 'team-z' } }, decision: allow }]],
  ['Implement error budget burn rate alerting when error rate exceeds 0.3% for 5 minutes to provide early warning before SLO violation', [
    { context: { metadata: { metrics: { errorRate: 0.0045, window: '5m' } } }, decision: allow, warnings: 1 },
    { context: { metadata: { metrics: { errorRate: 0.003, window: '5m' } } }, decision: allow, warnings: 0 },
    { context: { metadata: { metrics: { errorRate: 0.02, window: '1h' } } }, decision: allow, warnings: 0 }]],
  ['alert when latency is above 2000 for 10 minutes', [
    { context: { metadata: { metrics: { latency: 2500, window: '10m' } } }, decision: allow, warnings: 1 },
    { context: { metadata: { metrics: { latency: 1500, window: '10m' } } }, decision: allow, warnings: 0 }]],
  ['free tier teams may not use gpt-4o. require approval for requests over $5', [
    { context: free('gpt-4o'), decision: deny }, { context: { ...free('gpt-4o-mini'), llm: { model: 'gpt-4o-mini', estimatedCost: 6 } }, decision: 'needs_approval' },
    { context: { ...free('gpt-4o'), llm: { model: 'gpt-4o', estimatedCost: 6 } }, decision: deny }]],
];

/** Sentences that become budgets or rate limits: what they must count. */
const LIMITS: Array<[string, { budgets?: object[]; rateLimits?: object[] }]> = [
  ['limit each team to $50 per day', { budgets: [{ scope: 'team.id', window: 'day', limit: { costUsd: 50 }, onExceed: 'deny' }] }],
  ['at most 60 requests per minute per user', { rateLimits: [{ scope: 'user.id', window: 'minute', limit: { requests: 60 } }] }],
  ['limit each user to 100,000 tokens per month', { budgets: [{ scope: 'user.id', window: 'month', limit: { tokens: 100000 }, onExceed: 'deny' }] }],
  ['limit each project to $1.5k per month', { budgets: [{ scope: 'project.id', window: 'month', limit: { costUsd: 1500 }, onExceed: 'deny' }] }],
  ['no more than 1000 requests per hour per team', { rateLimits: [{ scope: 'team.id', window: 'hour', limit: { requests: 1000 } }] }],
  ['limit each team to 500 requests a day', { budgets: [{ scope: 'team.id', window: 'day', limit: { requests: 500 }, onExceed: 'deny' }] }],
];

const UNCLEAR: Array<[string, RegExp]> = [
  ['deny the moon', /could not place "moon"/],
  ['make everything secure', /could not place "make everything secure"/],
  ['limit each team to $50 per fortnight', /windows are minute, hour, day or month.*"per fortnight"/],
  ['block prompt injection', /say the injection score/],
  ['free tier teams may not use gpt-4o; teleport the llamas', /^sentence 2 "teleport the llamas": could not place "teleport llamas"$/],
  ['no requests outside 9am-5pm EST', /hours are read in UTC/],
  ['at most 60 requests per user', /a limit needs a window/],
  ['deny requests over $2 unless the user is wearing a hat', /could not place "wearing hat" in the exception/],
  ['limit the free tier to $10 per day', /cannot be narrowed/],
  ['deny gpt-4o and warn about o3', /at once: write one sentence for each/],
];

describe('generate, rules backend: the grammar', () => {
  it('has at least 40 sentences across every shape', () => {
    expect(TABLE.length + LIMITS.length).toBeGreaterThanOrEqual(40);
  });

  it.each(TABLE)('%s', async (sentence, probes) => {
    const result = await generated(sentence);
    if (!result.ok) throw new Error(`${sentence}: ${result.error.message}`);
    expect(result.gates.map((g) => [g.gate, g.ok])).toEqual([['schema', true], ['lint', true], ['fields', true], ['tests', true]]);
    for (const probe of probes) {
      const decision = await decide(result.policies, probe.context);
      const seen = { decision: decision.decision, warnings: decision.warnings.length, obligations: decision.obligations };
      expect(seen, JSON.stringify(probe.context)).toMatchObject({
        decision: probe.decision,
        ...(probe.warnings !== undefined ? { warnings: probe.warnings } : {}),
        ...(probe.obligations !== undefined ? { obligations: probe.obligations } : {}),
      });
    }
  });

  it.each(LIMITS)('%s', async (sentence, limits) => {
    const result = await generated(sentence);
    if (!result.ok) throw new Error(`${sentence}: ${result.error.message}`);
    const [policy] = result.policies;
    expect((policy.budgets ?? []).map(({ id: _id, ...b }) => b)).toEqual(limits.budgets ?? []);
    expect((policy.rateLimits ?? []).map(({ id: _id, ...r }) => r)).toEqual(limits.rateLimits ?? []);
  });

  it('warns as a daily budget runs low, and not before', async () => {
    const result = await generated('limit each team to $50 per day');
    if (!result.ok) throw new Error(result.error.message);
    const id = result.policies[0].budgets![0].id;
    const low = await decide(result.policies, { team: { id: 'a' }, budget: { [id]: { remaining: { costUsd: 4 } } } });
    const plenty = await decide(result.policies, { team: { id: 'a' }, budget: { [id]: { remaining: { costUsd: 30 } } } });
    expect([low.warnings.length, plenty.warnings.length]).toEqual([1, 0]);
  });

  it.each(UNCLEAR)('%s: one clear line, nothing generated', async (sentence, message) => {
    const result = await generated(sentence);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('not_understood');
    expect(result.error.message).toMatch(message);
    expect(result.error.message).not.toContain('\n');
    expect(result).not.toHaveProperty('files');
  });
});
