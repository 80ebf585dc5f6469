import { describe, expect, it } from 'vitest';
import { lint } from '../../src/lint/index';
import type { Policy } from '../../src/policy/types';
import { lintMarked, withCode } from './helpers';

const rules = `rules:
  - id: deny-free-big
    condition: { operator: gt, field: llm.estimatedCost, value: 1 }
    action: { decision: deny, reason: "Requests over $1 are refused" }
`;

describe('budget-sanity', () => {
  it('warns about a limit so high it looks like a typo', () => {
    const { findings, line, column } = lintMarked(`metadata: { id: spend }
${rules}budgets:
  - id: team-monthly
    scope: team.id
    window: month
    limit: { costUsd: ▸50000000 }
`, 'budget-sanity');
    expect(findings).toEqual([{
      severity: 'warning',
      code: 'budget-sanity',
      message: 'budget "team-monthly": limit.costUsd of 50000000 is so high it never binds; it looks like a typo',
      suggestion: 'check the number; the limit is per month',
      policyId: 'spend',
      file: 'policy.yaml',
      line,
      column,
      path: 'budgets[0].limit.costUsd',
    }]);
  });

  it('warns about a costUsd limit below one typical request', () => {
    const { findings, line } = lintMarked(`metadata: { id: spend }
${rules}budgets:
  - id: user-per-minute
    scope: user.id
    window: minute
    limit:
      costUsd: ▸0.001
`, 'budget-sanity');
    expect(findings).toMatchObject([{
      severity: 'warning',
      line,
      message: 'budget "user-per-minute": limit.costUsd of $0.001 per minute is less than one typical request (about $0.01), so nearly every request would be refused',
      suggestion: 'raise the limit, or use a longer window than minute',
    }]);
  });

  it('warns about scopes that are a list or change with every request', () => {
    const { findings, line } = lintMarked(`metadata: { id: spend }
${rules}rateLimits:
  - { id: per-role, scope: ▸user.roles, window: minute, limit: { requests: 60 } }
  - { id: per-prompt, scope: llm.prompt, window: minute, limit: { requests: 60 } }
  - { id: per-user, scope: user.id, window: minute, limit: { requests: 60 } }
  - { id: per-app, scope: metadata.app, window: minute, limit: { requests: 60 } }
`, 'budget-sanity');
    expect(findings.map((f) => [f.line, f.message])).toEqual([
      [line, 'rate limit "per-role": scope "user.roles" is a list, and a counter needs one value, so this limit never applies'],
      [line + 1, 'rate limit "per-prompt": scope "llm.prompt" is not an identity but a value that varies per request, so its counters hardly ever add up'],
    ]);
    expect(findings[0].suggestion).toBe('scope by who spends: user.id, team.id or project.id (or a metadata.* field of your own)');
  });

  it('says (as info) when a needs_approval rule mentions no cost, and not when its reason or condition does', () => {
    const { findings, line } = lintMarked(`metadata: { id: approvals }
rules:
  - ▸id: external-provider
    condition: { operator: eq, field: llm.provider, value: deepseek }
    action: { decision: needs_approval, reason: "This provider needs a security review" }
  - id: big-spend
    condition: { operator: gt, field: llm.maxTokens, value: 8000 }
    action: { decision: needs_approval, reason: "Long completions need approval" }
  - id: over-budget
    condition: { operator: eq, field: team.tier, value: free }
    action: { decision: needs_approval, reason: "Team budget left: {{budget.team-monthly.remaining.costUsd}}" }
budgets:
  - { id: team-monthly, scope: team.id, window: month, limit: { costUsd: 100 } }
`, 'budget-sanity');
    expect(findings).toMatchObject([{
      severity: 'info',
      ruleId: 'external-provider',
      line,
      suggestion: 'if cost matters to the approver, put it in the reason, e.g. "Estimated cost ${{llm.estimatedCost}} needs approval"',
    }]);
  });

  it('reports limits that are not positive or not whole as errors (bundle input; parse rejects these)', () => {
    const policy = {
      metadata: { id: 'spend' },
      rules: [{ id: 'r', condition: true, action: { decision: 'allow', reason: 'Everything is allowed' } }],
      budgets: [{ id: 'zero', scope: 'team.id', window: 'day', limit: { costUsd: 0 } }],
      rateLimits: [{ id: 'half', scope: 'user.id', window: 'minute', limit: { requests: 0.5 } }, { id: 'none', scope: 'user.id', window: 'minute', limit: {} }],
    } as unknown as Policy;
    expect(withCode(lint([policy]), 'budget-sanity')).toEqual([
      expect.objectContaining({ severity: 'error', policyId: 'spend', path: 'budgets[0].limit.costUsd', message: 'budget "zero": limit.costUsd is 0; it must be a positive number (0 would refuse every request)' }),
      expect.objectContaining({ severity: 'error', path: 'rateLimits[0].limit.requests', message: 'rate limit "half": limit.requests is 0.5; requests are counted in whole numbers', suggestion: 'use a whole number such as 1' }),
      expect.objectContaining({ severity: 'error', path: 'rateLimits[1].limit', message: 'rate limit "none": the limit names no amount' }),
    ]);
  });
});
