// One rule compiled for evaluation: its test, its place in rule order, and precomputed outputs.

import type { MatchedRule, Obligation, Policy, Rule, RuleDecision } from '../policy/types';
import { compileCondition, type CompiledNode } from './condition';
import { compileTemplate, type Render } from './template';

export interface CompiledRule {
  /** Position in rule order: descending priority, then policy order, then rule order. */
  order: number;
  policyId: string;
  ruleId: string;
  decision: RuleDecision;
  priority: number;
  authoritative: boolean;
  namespace: string | undefined;
  stage: 'request' | 'response';
  onError: 'deny' | 'allow';
  node: CompiledNode;
  test: (context: unknown) => boolean;
  /** Shared, frozen entry for `matchedRules`. */
  match: MatchedRule;
  /** Rendered reason, or the spec's fallback `<decision> by <policy>/<rule>`. */
  reason: Render;
  obligations: readonly Obligation[] | undefined;
  /** The rule as written, for the index and lint. */
  source: Rule;
}

const AUTHORITATIVE = new Set<RuleDecision>(['allow', 'deny', 'needs_approval']);

export function compileRule(policy: Policy, rule: Rule, ruleIndex: number): CompiledRule {
  const priority = rule.priority ?? policy.metadata.priority ?? 0;
  const node = compileCondition(rule.condition, `rules[${ruleIndex}].condition`);
  const decision = rule.action.decision;
  const fallback = `${decision} by ${policy.metadata.id}/${rule.id}`;
  // Only modify, allow and warn rules contribute obligations (spec §3): a deny or needs_approval
  // rule's obligations are never returned, even when a higher-priority allow outranks it.
  const contributes = decision === 'modify' || decision === 'allow' || decision === 'warn';
  const obligations = contributes && rule.action.obligations?.length ? deepFreeze(structuredClone(rule.action.obligations)) : undefined;
  return {
    order: 0,
    policyId: policy.metadata.id,
    ruleId: rule.id,
    decision,
    priority,
    authoritative: AUTHORITATIVE.has(decision),
    namespace: policy.metadata.namespace,
    stage: rule.stage ?? 'request',
    onError: rule.onError ?? (decision === 'deny' ? 'deny' : 'allow'),
    node,
    test: node.test,
    match: Object.freeze({ policyId: policy.metadata.id, ruleId: rule.id, decision, priority }),
    reason: rule.action.reason ? compileTemplate(rule.action.reason) : () => fallback,
    obligations,
    source: rule,
  };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
