// One rule compiled for evaluation: its test, its place in rule order, and precomputed outputs.

import type { MatchedRule, Obligation, Policy, Rule, RuleDecision, ShadowMatch } from '../policy/types';
import { compileCondition, type CompiledNode } from './condition';
import { CompileFailure } from './failure';
import { intern } from './intern';
import type { LeafDescriptor } from './fast-leaf';
import { leafList } from './leaf';
import { isElementPath } from './path';
import { compileTemplate, templateFields, type Render } from './template';

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
  /** Spec §10: evaluated and reported in Decision.shadow, never part of the decision. */
  shadow: boolean;
  node: CompiledNode;
  test: (context: unknown) => boolean;
  /** The condition as an `and` of fast leaves (leafList), when it is one: the evaluator runs those. */
  leaves: readonly LeafDescriptor[] | undefined;
  /** Shared, frozen entry for `matchedRules`. */
  match: MatchedRule;
  /** Shared, frozen entry for `shadow` (shadow rules only). */
  shadowMatch: ShadowMatch | undefined;
  /** `[match]`, shared and frozen: matchedRules when this rule is the only match. */
  matchedAlone: readonly MatchedRule[];
  /** Rendered reason, or the spec's fallback `<decision> by <policy>/<rule>`. */
  reason: Render;
  /** The reason when it reads no field (no call through `reason` needed), else undefined. */
  reasonText: string | undefined;
  /** `[reason]` pre-rendered, shared and frozen, when the reason reads no field. */
  reasonAlone: readonly string[] | undefined;
  obligations: readonly Obligation[] | undefined;
  /** The rule as written, for the index and lint. */
  source: Rule;
}

const AUTHORITATIVE = new Set<RuleDecision>(['allow', 'deny', 'needs_approval']);

export function compileRule(policy: Policy, rule: Rule, ruleIndex: number): CompiledRule {
  const priority = rule.priority ?? policy.metadata.priority ?? 0;
  const node = compileCondition(rule.condition, `rules[${ruleIndex}].condition`);
  const reasonFields = templateFields(rule.action.reason ?? '');
  const elementField = reasonFields.find(isElementPath);
  if (elementField !== undefined) {
    throw new CompileFailure(`rules[${ruleIndex}].action.reason`, `"{{${elementField}}}": a reason reads the context, not a list element ("$" paths are allowed only in conditions inside any, all or none)`);
  }
  // Interned: the evaluator compares it with literals, which is a pointer compare only then.
  const decision = intern(rule.action.decision) as RuleDecision;
  const fallback = `${decision} by ${policy.metadata.id}/${rule.id}`;
  const shadow = (rule.mode ?? policy.metadata.mode) === 'shadow';
  // Only modify, allow and warn rules contribute obligations (spec §3): a deny or needs_approval
  // rule's obligations are never returned, even when a higher-priority allow outranks it.
  const contributes = decision === 'modify' || decision === 'allow' || decision === 'warn';
  const constantReason = reasonFields.length === 0 ? rule.action.reason || fallback : undefined;
  const match = Object.freeze({ policyId: policy.metadata.id, ruleId: rule.id, decision, priority });
  const obligations = contributes && rule.action.obligations?.length ? deepFreeze(structuredClone(rule.action.obligations)) : undefined;
  // What matching and combining read comes first: one or two cache lines of the rule object (its
  // fields are laid out in this order), which matters when 1,000 rules miss the caches.
  return {
    order: 0,
    shadow,
    authoritative: AUTHORITATIVE.has(decision),
    priority,
    decision,
    obligations,
    namespace: policy.metadata.namespace,
    matchedAlone: Object.freeze([match]),
    reasonAlone: constantReason === undefined ? undefined : Object.freeze([constantReason]),
    reasonText: constantReason,
    match,
    policyId: policy.metadata.id,
    ruleId: rule.id,
    stage: rule.stage ?? 'request',
    onError: rule.onError ?? (decision === 'deny' ? 'deny' : 'allow'),
    node,
    test: node.test,
    leaves: leafList(node),
    shadowMatch: shadow ? Object.freeze({ policyId: policy.metadata.id, ruleId: rule.id, decision }) : undefined,
    reason: rule.action.reason ? compileTemplate(rule.action.reason) : () => fallback,
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
