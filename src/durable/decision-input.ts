// Builds a decision record from an engine Decision, so the worker and the proxy record the same
// fields the same way.
import type { Decision, MatchedRule } from '../policy/types';
import type { DecisionErrorInfo, DecisionRecordInput, DecisionSource } from './decision-types';

const AUTHORITATIVE = new Set(['allow', 'deny', 'needs_approval']);

export interface DecisionExtras {
  requestId: string;
  source: DecisionSource;
  context?: object;
  /** Overrides the decision, e.g. `budget_exceeded` when the proxy refused after an allow. */
  outcome?: string;
  latencyMs?: number;
  estimatedCostUsd?: number;
  actualCostUsd?: number;
  onError?: DecisionErrorInfo;
  tags?: Record<string, string>;
  time?: number | string;
  /** Instead of the Decision's reasons: why a later step (a budget, a rate limit) refused. */
  reasons?: string[];
  /** Instead of the Decision's warnings: all the caller was warned of (the budget step's too). */
  warnings?: string[];
}

export function decisionRecordInput(decision: Decision, extras: DecisionExtras): DecisionRecordInput {
  const tags: Record<string, string> = {};
  for (const o of decision.obligations) if (o.type === 'tag') tags[o.key] = o.value;
  return {
    requestId: extras.requestId,
    time: extras.time,
    source: extras.source,
    decision: extras.outcome ?? decision.decision,
    decidingRules: decidingRules(decision),
    matchedRules: decision.matchedRules,
    ...(decision.shadow ? { shadow: decision.shadow } : {}),
    bundle: decision.bundle,
    reasons: extras.reasons ?? decision.reasons,
    warnings: extras.warnings ?? decision.warnings.map((w) => w.message),
    estimatedCostUsd: extras.estimatedCostUsd,
    actualCostUsd: extras.actualCostUsd,
    latencyMs: extras.latencyMs,
    onError: extras.onError,
    tags: { ...tags, ...extras.tags },
    context: extras.context,
  };
}

/**
 * policy-language.md §3: the matched authoritative rules of the top priority tier whose decision
 * is the final one. A default decision has none.
 */
export function decidingRules(decision: Decision): string[] {
  const authoritative = decision.matchedRules.filter((r) => AUTHORITATIVE.has(r.decision));
  if (authoritative.length === 0) return [];
  const top = Math.max(...authoritative.map((r) => r.priority));
  return authoritative.filter((r) => r.priority === top && r.decision === decision.decision).map(ruleKey);
}

function ruleKey(r: MatchedRule): string {
  return `${r.policyId}/${r.ruleId}`;
}
