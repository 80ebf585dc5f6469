// What-if simulation: run many contexts through a bundle, and optionally through a second one, and
// summarize: decisions, how often each rule matched, and which contexts change decision and why.
// Pure: contexts must already be enriched; nothing here reads files or the clock.
import { compareIds } from '../engine/load';
import type { Decision, Evaluator, FinalDecision, RuleDecision } from '../policy/types';

export interface SimulationContext {
  /** Where the context came from, for examples: `line 7`, `#12`. */
  label: string;
  context: object;
}

export type DecisionCounts = Record<FinalDecision, number>;

export interface RuleHits {
  policyId: string;
  ruleId: string;
  decision: RuleDecision;
  priority: number;
  /** Contexts in which the rule's condition held (spec: matchedRules). */
  hits: number;
}

export interface SideReport {
  bundle: { version: string; hash: string };
  decisions: DecisionCounts;
  /** Every compiled rule in rule order, including those that never matched. */
  rules: RuleHits[];
  /** Contexts with at least one warning, with obligations, and whose evaluation raised errors. */
  withWarnings: number;
  withObligations: number;
  withErrors: number;
}

export interface Outcome {
  decision: FinalDecision;
  /** `policyId/ruleId` of the deciding rules; empty for a default decision. */
  decidingRules: string[];
  reasons: string[];
}

export interface ChangeExample {
  label: string;
  before: Outcome;
  after: Outcome;
  context: object;
}

export interface Transition {
  from: FinalDecision;
  to: FinalDecision;
  count: number;
  /** The first few contexts that made this change, in input order. */
  examples: ChangeExample[];
}

export interface Changes {
  /** Contexts whose decision differs. */
  changed: number;
  /** Same decision, decided by different rules. */
  decidedDifferently: number;
  /** Largest first; ties in a fixed decision order. */
  transitions: Transition[];
}

export interface SimulationReport {
  total: number;
  /** The bundle under test. */
  main: SideReport;
  /** With a comparison bundle: that bundle ("before"), and changes from it to `main` ("after"). */
  compare?: SideReport;
  changes?: Changes;
}

export interface SimulateOptions {
  /** Examples kept per transition (default 3). */
  examples?: number;
}

const DECISIONS: readonly FinalDecision[] = ['allow', 'deny', 'needs_approval'];
const AUTHORITATIVE = new Set<RuleDecision>(['allow', 'deny', 'needs_approval']);

export function simulate(
  evaluator: Evaluator,
  contexts: Iterable<SimulationContext>,
  compareEvaluator?: Evaluator,
  opts: SimulateOptions = {},
): SimulationReport {
  const maxExamples = opts.examples ?? 3;
  const main = new SideTally(evaluator);
  const compare = compareEvaluator ? new SideTally(compareEvaluator) : undefined;
  const transitions = new Map<string, Transition>();
  let total = 0;
  let decidedDifferently = 0;

  for (const { label, context } of contexts) {
    total++;
    const after = main.add(context);
    if (!compare) continue;
    const before = compare.add(context);
    if (before.decision === after.decision) {
      if (before.decidingRules.join() !== after.decidingRules.join()) decidedDifferently++;
      continue;
    }
    const key = `${before.decision}→${after.decision}`;
    let t = transitions.get(key);
    if (!t) transitions.set(key, (t = { from: before.decision, to: after.decision, count: 0, examples: [] }));
    t.count++;
    if (t.examples.length < maxExamples) t.examples.push({ label, before, after, context });
  }

  const report: SimulationReport = { total, main: main.report() };
  if (compare) {
    const list = [...transitions.values()].sort(
      (a, b) => b.count - a.count || DECISIONS.indexOf(a.from) - DECISIONS.indexOf(b.from) || DECISIONS.indexOf(a.to) - DECISIONS.indexOf(b.to),
    );
    report.compare = compare.report();
    report.changes = { changed: list.reduce((n, t) => n + t.count, 0), decidedDifferently, transitions: list };
  }
  return report;
}

/** The rules that decided (spec §3): authoritative matches of the top tier that agree with the decision. */
export function decidingRules(decision: Decision): string[] {
  const authoritative = decision.matchedRules.filter((r) => AUTHORITATIVE.has(r.decision));
  if (authoritative.length === 0) return [];
  const top = Math.max(...authoritative.map((r) => r.priority));
  return authoritative.filter((r) => r.priority === top && r.decision === decision.decision).map((r) => `${r.policyId}/${r.ruleId}`);
}

/** Counts for one bundle (simulate, replay). */
export class SideTally {
  private readonly decisions: DecisionCounts = { allow: 0, deny: 0, needs_approval: 0 };
  private readonly rules: RuleHits[];
  private readonly byId = new Map<string, RuleHits>();
  private withWarnings = 0;
  private withObligations = 0;
  private withErrors = 0;

  constructor(private readonly evaluator: Evaluator) {
    this.rules = compiledRules(evaluator);
    for (const rule of this.rules) this.byId.set(`${rule.policyId}/${rule.ruleId}`, rule);
  }

  add(context: object): Outcome {
    const d = this.evaluator.evaluate(context);
    this.decisions[d.decision]++;
    for (const m of d.matchedRules) {
      const id = `${m.policyId}/${m.ruleId}`;
      let rule = this.byId.get(id);
      if (!rule) {
        // Not in the bundle's active rules (cannot happen with loadBundle); count it anyway.
        rule = { policyId: m.policyId, ruleId: m.ruleId, decision: m.decision, priority: m.priority, hits: 0 };
        this.byId.set(id, rule);
        this.rules.push(rule);
      }
      rule.hits++;
    }
    if (d.warnings.length > 0) this.withWarnings++;
    if (d.obligations.length > 0) this.withObligations++;
    if (d.errors?.length) this.withErrors++;
    return { decision: d.decision, decidingRules: decidingRules(d), reasons: d.reasons };
  }

  report(): SideReport {
    return {
      bundle: { version: this.evaluator.bundle.version, hash: this.evaluator.bundle.hash },
      decisions: { ...this.decisions },
      rules: this.rules.map((r) => ({ ...r })),
      withWarnings: this.withWarnings,
      withObligations: this.withObligations,
      withErrors: this.withErrors,
    };
  }
}

/** The bundle's enabled rules of active policies, in rule order (spec §3), with zero hits. */
function compiledRules(evaluator: Evaluator): RuleHits[] {
  const policies = [...evaluator.bundle.policies]
    .filter((p) => (p.status ?? 'active') === 'active')
    .sort((a, b) => compareIds(a.metadata.id, b.metadata.id));
  const rules: RuleHits[] = [];
  for (const policy of policies) {
    for (const rule of policy.rules) {
      if (rule.enabled === false || (rule.stage ?? 'request') !== 'request') continue;
      const priority = rule.priority ?? policy.metadata.priority ?? 0;
      rules.push({ policyId: policy.metadata.id, ruleId: rule.id, decision: rule.action.decision, priority, hits: 0 });
    }
  }
  // Stable sort: equal priorities keep policy order, then rule order.
  return rules.sort((a, b) => b.priority - a.priority);
}
