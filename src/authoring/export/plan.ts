// What every export target starts from: the rules that take part in decisions, in rule order,
// grouped by stage and priority tier (spec §3), and what none of the targets can express.
//
// Every target encodes the same combination: within a stage, the highest tier with a matching
// authoritative rule decides, deny over needs_approval over allow inside it; with no match, the
// stage's default (the bundle's for requests, always allow for responses).
import type { Condition, Obligation, Policy, Rule, RuleDecision } from '../../policy/types';
import { compareIds } from '../../engine/load';

export type Stage = 'request' | 'response';

export interface PlannedRule {
  /** `policyId/ruleId`, unique in a set. */
  id: string;
  policyId: string;
  ruleId: string;
  decision: RuleDecision;
  priority: number;
  stage: Stage;
  namespace?: string;
  condition: Condition;
  reason?: string;
  obligations?: Obligation[];
}

/** Something in the set an export leaves out or changes, said where it is. */
export interface Gap {
  /** `policyId`, `policyId/ruleId` or `policyId/ruleId: condition.conditions[1]`. */
  where: string;
  what: string;
  /** Written into the export as data (obligations, reason templates), but not evaluated there. */
  carried?: boolean;
}

export interface StagePlan {
  stage: Stage;
  defaultDecision: 'allow' | 'deny';
  /** Authoritative rules by tier, highest priority first; each tier's rules in rule order. */
  tiers: PlannedRule[][];
}

export interface ExportPlan {
  defaultDecision: 'allow' | 'deny';
  /** Budgets the active policies define (their state is readable as budget.<id>.*). */
  budgetIds: string[];
  /** Every rule that takes part (authoritative, warn and modify), in rule order. */
  rules: PlannedRule[];
  /** Parts no target expresses: budgets, rate limits, shadow rules. */
  gaps: Gap[];
}

export const AUTHORITATIVE: ReadonlySet<RuleDecision> = new Set(['allow', 'deny', 'needs_approval']);

/** `rules` minus the ones `drop` names, e.g. the rules a target could not translate. */
export function planStages(rules: readonly PlannedRule[], defaultDecision: 'allow' | 'deny', drop: ReadonlySet<string> = new Set()): StagePlan[] {
  const stages: StagePlan[] = [];
  for (const stage of ['request', 'response'] as const) {
    const kept = rules.filter((r) => r.stage === stage && AUTHORITATIVE.has(r.decision) && !drop.has(r.id));
    const tiers = new Map<number, PlannedRule[]>();
    for (const rule of kept) tiers.set(rule.priority, [...(tiers.get(rule.priority) ?? []), rule]);
    stages.push({
      stage,
      defaultDecision: stage === 'response' ? 'allow' : defaultDecision,
      tiers: [...tiers.keys()].sort((a, b) => b - a).map((p) => tiers.get(p) as PlannedRule[]),
    });
  }
  return stages;
}

type ShadowAware = { mode?: string };

/** The active policies' enabled rules in rule order (descending priority, policy id, rule order). */
export function planExport(policies: readonly Policy[], defaultDecision: 'allow' | 'deny'): ExportPlan {
  const gaps: Gap[] = [];
  const rules: PlannedRule[] = [];
  const active = policies.filter((p) => (p.status ?? 'active') === 'active').sort((a, b) => compareIds(a.metadata.id, b.metadata.id));
  for (const policy of active) {
    const pid = policy.metadata.id;
    for (const budget of policy.budgets ?? []) {
      gaps.push({ where: pid, what: `budget ${budget.id} (${describeLimit(budget.limit)} per ${budget.scope} per ${budget.window}) needs counters kept across requests: enforce it at the edge` });
    }
    for (const limit of policy.rateLimits ?? []) {
      gaps.push({ where: pid, what: `rate limit ${limit.id} (${describeLimit(limit.limit)} per ${limit.scope} per ${limit.window}) needs counters kept across requests: enforce it at the edge` });
    }
    for (const rule of policy.rules) {
      if (rule.enabled === false) continue;
      if (isShadow(policy, rule)) {
        gaps.push({ where: `${pid}/${rule.id}`, what: 'shadow rule left out: it never changes a decision, and recording what it would have done is the edge\'s job' });
        continue;
      }
      rules.push(planRule(policy, rule));
    }
  }
  // Stable sort: equal priorities keep policy order, then rule order.
  rules.sort((a, b) => b.priority - a.priority);
  const budgetIds = active.flatMap((p) => (p.budgets ?? []).map((b) => b.id));
  return { defaultDecision, budgetIds, rules, gaps };
}

function planRule(policy: Policy, rule: Rule): PlannedRule {
  const planned: PlannedRule = {
    id: `${policy.metadata.id}/${rule.id}`,
    policyId: policy.metadata.id,
    ruleId: rule.id,
    decision: rule.action.decision,
    priority: rule.priority ?? policy.metadata.priority ?? 0,
    stage: rule.stage ?? 'request',
    condition: rule.condition,
  };
  if (policy.metadata.namespace !== undefined) planned.namespace = policy.metadata.namespace;
  if (rule.action.reason) planned.reason = rule.action.reason;
  if (rule.action.obligations?.length) planned.obligations = rule.action.obligations;
  return planned;
}

function isShadow(policy: Policy, rule: Rule): boolean {
  const own = (rule as ShadowAware).mode;
  return (own ?? (policy.metadata as ShadowAware).mode) === 'shadow';
}

function describeLimit(limit: Record<string, number | undefined>): string {
  return Object.entries(limit).filter(([, v]) => v !== undefined).map(([k, v]) => `${k} ${v}`).join(', ');
}

export type ExportFormat = 'cedar' | 'cel' | 'rego';

export interface ExportedFile {
  name: string;
  text: string;
}

export interface ExportResult {
  format: ExportFormat;
  /** The main file first. */
  files: ExportedFile[];
  /** Ids of the rules written. */
  exported: string[];
  /** What was left out or is not enforced by the target, where it is. */
  gaps: Gap[];
  /** Target-wide differences of meaning a reader must know (regex dialect, ordering ...). */
  caveats: string[];
}

/** A rule a target could not write, said so: dropping an authoritative rule changes decisions. */
export function droppedRuleGap(rule: PlannedRule, at: string, why: string): Gap {
  const effect = AUTHORITATIVE.has(rule.decision)
    ? `; rule left out, so where it would match the other rules decide instead of its ${rule.decision}`
    : `; ${rule.decision} rule left out`;
  return { where: `${rule.id}: ${at}`, what: `${why}${effect}` };
}

/** Wording shared by the targets for what rides along a decision. */
export function carriedGaps(rule: PlannedRule, how: { obligations: string; reason?: string }): Gap[] {
  const gaps: Gap[] = [];
  if (rule.obligations && (rule.decision === 'allow' || rule.decision === 'warn' || rule.decision === 'modify')) {
    gaps.push({ where: rule.id, what: how.obligations, carried: true });
  }
  if (how.reason && rule.reason?.includes('{{')) gaps.push({ where: rule.id, what: how.reason, carried: true });
  return gaps;
}

/**
 * One line per kind of gap, naming the places it occurs (`not exported: a/r1, a/r2: what`);
 * with `brief`, at most three places and a count of the rest.
 */
export function gapLines(gaps: readonly Gap[], brief = false): string[] {
  const byWhat = new Map<string, { carried: boolean; where: string[] }>();
  for (const gap of gaps) {
    const entry = byWhat.get(gap.what) ?? { carried: gap.carried === true, where: [] };
    entry.where.push(gap.where);
    byWhat.set(gap.what, entry);
  }
  return [...byWhat].map(([what, { carried, where }]) => {
    const places = brief && where.length > 3 ? `${where.slice(0, 3).join(', ')} and ${where.length - 3} more` : where.join(', ');
    return `${carried ? 'carried, not evaluated' : 'not exported'}: ${places}: ${what}`;
  });
}
