// Small, valid bundles for the bundle tests (Node and workerd).
import { computeBundleHash } from '../../src/bundle/hash';
import type { Bundle, Policy } from '../../src/policy/types';

export function samplePolicies(): Policy[] {
  return [
    {
      metadata: { id: 'cost-guard', priority: 100, tags: ['cost'] },
      rules: [
        { id: 'deny-expensive', condition: { operator: 'gt', field: 'request.estimatedCostUsd', value: 5 }, action: { decision: 'deny', reason: 'too expensive' } },
        { id: 'warn-large', condition: { operator: 'gt', field: 'request.maxTokens', value: 4000 }, action: { decision: 'warn' } },
      ],
      budgets: [{ id: 'team-day', scope: 'team.id', window: 'day', limit: { costUsd: 50 } }],
    },
    {
      metadata: { id: 'model-allowlist', priority: 200 },
      status: 'active',
      rules: [{ id: 'only-approved', condition: { operator: 'not_in', field: 'request.model', value: ['gpt-4o', 'claude-sonnet'] }, action: { decision: 'deny' } }],
    },
  ];
}

export async function sampleBundle(overrides: Partial<Omit<Bundle, 'hash' | 'signature'>> = {}): Promise<Bundle> {
  const content: Omit<Bundle, 'hash' | 'signature'> = {
    format: 'llm-policy-bundle/v1',
    version: '1.0.0',
    createdAt: '2026-11-22T10:00:00Z',
    defaultDecision: 'allow',
    policies: samplePolicies(),
    ...overrides,
  };
  return { ...content, hash: await computeBundleHash(content) };
}

/** A copy, so a test can change it without touching the original. */
export function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
