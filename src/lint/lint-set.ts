// The policy set as the checks see it: its well-formed rules in rule order (spec §3: descending
// effective priority, then policy id, then rule order) with what evaluation would make of them,
// and its budgets and rate limits. Malformed pieces are left out (checks/malformed.ts reports them).
import { CompileFailure } from '../engine/failure';
import { compareIds } from '../engine/load';
import { compileRule } from '../engine/rule';
import type { Budget, Policy, RateLimit, Rule } from '../policy/types';
import type { LintFinding } from './finding';
import { limitProblem, policyProblem, ruleProblem } from './well-formed';

export interface RuleEntry {
  policy: Policy;
  rule: Rule;
  /** The rule's place in its policy's rules list. */
  index: number;
  /** The rule's path inside its policy: `rules[2]`. */
  path: string;
  /** Effective priority: rule, else policy, else 0. */
  priority: number;
  /** Evaluated at all: an enabled rule of an active policy. */
  live: boolean;
  /** allow, deny or needs_approval, enforced: the decisions that combine (warn, modify and shadow rules never decide). */
  authoritative: boolean;
  /** Spec §10 `mode: shadow` (the rule's own, else its policy's): evaluated and reported, never deciding. */
  shadow: boolean;
  stage: 'request' | 'response';
  namespace: string | undefined;
  /** Why the engine cannot compile the rule; checks that reason about its condition skip it. */
  compileFailure?: { path: string; message: string };
}

export interface LimitEntry {
  policy: Policy;
  kind: 'budget' | 'rateLimit';
  limit: Budget | RateLimit;
  /** `budgets[0]` or `rateLimits[1]`. */
  path: string;
}

export interface LintSet {
  /** The well-formed policies, in input order. */
  policies: Policy[];
  rules: RuleEntry[];
  limits: LimitEntry[];
  /** Ids of every budget in the set: what `budget.<id>.*` fields may name. */
  budgetIds: string[];
}

const AUTHORITATIVE = new Set(['allow', 'deny', 'needs_approval']);

export function buildLintSet(input: readonly unknown[]): LintSet {
  const policies = input.filter((p): p is Policy => policyProblem(p) === undefined);
  const byPolicyOrder = [...policies].sort((a, b) => compareIds(a.metadata.id, b.metadata.id));
  const rules: RuleEntry[] = [];
  for (const policy of byPolicyOrder) {
    const active = (policy.status ?? 'active') === 'active';
    policy.rules.forEach((rule, i) => {
      if (ruleProblem(rule) !== undefined) return;
      const shadow = (rule.mode ?? policy.metadata.mode) === 'shadow';
      rules.push({
        policy,
        rule,
        index: i,
        path: `rules[${i}]`,
        priority: rule.priority ?? policy.metadata.priority ?? 0,
        live: active && rule.enabled !== false,
        authoritative: AUTHORITATIVE.has(rule.action.decision) && !shadow,
        shadow,
        stage: rule.stage === 'response' ? 'response' : 'request',
        namespace: policy.metadata.namespace,
        compileFailure: compileFailureOf(policy, rule, i),
      });
    });
  }
  // Stable: equal priorities keep policy order, then rule order, as compileRules does.
  rules.sort((a, b) => b.priority - a.priority);
  const limits = policies.flatMap((policy) => [...limitsOf(policy, 'budget'), ...limitsOf(policy, 'rateLimit')]);
  const budgetIds = limits.filter((l) => l.kind === 'budget').map((l) => l.limit.id);
  return { policies, rules, limits, budgetIds };
}

/** The engine's own compile (spec §2 errors: value types, regexes), caught instead of thrown. */
function compileFailureOf(policy: Policy, rule: Rule, index: number): RuleEntry['compileFailure'] {
  try {
    compileRule(policy, rule, index);
    return undefined;
  } catch (error) {
    if (error instanceof CompileFailure) return { path: error.path, message: error.message };
    // Shapes the engine does not expect at all (a bundle that skipped validation).
    return { path: `rules[${index}].condition`, message: `cannot compile: ${(error as Error)?.message ?? String(error)}` };
  }
}

function limitsOf(policy: Policy, kind: LimitEntry['kind']): LimitEntry[] {
  const list = kind === 'budget' ? 'budgets' : 'rateLimits';
  const entries: LimitEntry[] = [];
  (policy[list] ?? []).forEach((limit, i) => {
    if (limitProblem(limit) === undefined) entries.push({ policy, kind, limit, path: `${list}[${i}]` });
  });
  return entries;
}

/** The policy and rule a rule finding is about. */
export function ruleLabel(entry: RuleEntry): string {
  return `${entry.policy.metadata.id}/${entry.rule.id}`;
}

/**
 * Whether every request that reaches `covered`'s policy also reaches `covering`'s (spec §1
 * scoping): a policy without a namespace reaches every request, one with a namespace only
 * requests in it or with none.
 */
export function namespaceCovers(covering: string | undefined, covered: string | undefined): boolean {
  return covering === undefined || covering === covered;
}

/** One lint check: findings about the set, each already located. */
export type Check = (set: LintSet) => LintFinding[];

/** Within one priority, deny overrides needs_approval, which overrides allow (spec §3). */
export const DECISION_STRENGTH: Readonly<Record<string, number>> = { allow: 0, needs_approval: 1, deny: 2 };
