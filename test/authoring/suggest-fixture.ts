// Recorded decisions for the suggest tests, built to sit on one side or the other of each
// finder's threshold. Records look like GET /v1/decisions lines (decision-types.ts).
import type { DecisionRecord } from '../../src/durable/decision-types';

let n = 0;
const BASE_MS = Date.parse('2026-11-20T12:00:00.000Z');

export interface Shape {
  team?: string;
  user?: string;
  model?: string;
  tokens?: number;
  cost?: number;
  pii?: string[];
  environment?: string;
  injection?: number;
  /** allow (default), deny, or a refusal outcome such as budget_exceeded. */
  decision?: string;
  decidingRules?: string[];
  budget?: Record<string, { used: number; remaining: number }>;
  tags?: Record<string, string>;
  /** Seconds after 12:00:00Z on 2026-11-20. */
  at?: number;
}

export function record(s: Shape = {}): DecisionRecord {
  n++;
  const llm: Record<string, unknown> = { provider: 'openai', model: s.model ?? 'gpt-4o-mini', estimatedTokens: s.tokens ?? 1000, estimatedCost: s.cost ?? 0.01 };
  if (s.pii) Object.assign(llm, { containsPII: s.pii.length > 0, piiTypes: s.pii });
  if (s.injection !== undefined) llm.injectionScore = s.injection;
  const context: Record<string, unknown> = {
    llm,
    team: { id: s.team ?? 'team-x', tier: 'pro' },
    user: { id: s.user ?? 'user-x' },
    project: { id: 'p', environment: s.environment ?? 'dev' },
  };
  if (s.budget) {
    context.budget = Object.fromEntries(Object.entries(s.budget).map(([id, b]) => [id, { used: { costUsd: b.used }, remaining: { costUsd: b.remaining } }]));
  }
  const deciding = s.decidingRules ?? [];
  return {
    id: `record-${n}`,
    requestId: `rec-${n}`,
    time: new Date(BASE_MS + (s.at ?? n) * 1000).toISOString(),
    source: 'proxy',
    decision: s.decision ?? 'allow',
    subject: { teamId: s.team ?? 'team-x', userId: s.user ?? 'user-x' },
    decidingRules: deciding,
    matchedRules: deciding.map((id) => ({ policyId: id.split('/')[0], ruleId: id.split('/')[1], decision: 'deny' as const, priority: 0 })),
    bundle: { version: '1.0.0', hash: 'sha256:recorded' },
    reasons: [],
    tags: s.tags ?? {},
    estimatedCostUsd: s.cost ?? 0.01,
    context,
  };
}

export function times(count: number, s: Shape | ((i: number) => Shape)): DecisionRecord[] {
  return Array.from({ length: count }, (_, i) => record(typeof s === 'function' ? s(i) : s));
}
