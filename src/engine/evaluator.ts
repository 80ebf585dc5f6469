// Evaluate a context against compiled rules and combine the matches (spec §3).

import type {
  Bundle, ConditionTrace, Decision, EvaluateOptions, Evaluator, FinalDecision, MatchedRule, Obligation, RuleTrace, ShadowMatch, Warning,
} from '../policy/types';
import type { CandidateFinder } from './rule-index';
import type { CompiledRule } from './rule';
import { requestNamespace } from './namespace';

export interface StageRules {
  rules: CompiledRule[];
  candidates: CandidateFinder;
}

const now: () => number = typeof performance !== 'undefined' ? () => performance.now() : () => Date.now();

export class CompiledEvaluator implements Evaluator {
  private readonly bundleRef: { version: string; hash: string };
  private readonly defaultDecision: FinalDecision;
  private readonly defaultReason: string;
  /** Most bundles scope nothing by namespace; then the request's namespace need not be read. */
  private readonly scoped: boolean;
  /** Spec §10: with any shadow rule in the bundle, every Decision carries `shadow`. */
  private readonly hasShadow: boolean;

  constructor(
    readonly bundle: Bundle,
    private readonly stages: Record<'request' | 'response', StageRules>,
  ) {
    this.bundleRef = Object.freeze({ version: bundle.version, hash: bundle.hash });
    this.defaultDecision = bundle.defaultDecision === 'deny' ? 'deny' : 'allow';
    this.defaultReason = `no rule matched: default ${this.defaultDecision}`;
    const all = [...stages.request.rules, ...stages.response.rules];
    this.scoped = all.some((r) => r.namespace !== undefined);
    this.hasShadow = all.some((r) => r.shadow);
  }

  evaluate(context: object, opts?: EvaluateOptions): Decision {
    const started = now();
    const stage = opts?.stage === 'response' ? this.stages.response : this.stages.request;
    const namespace = this.scoped ? requestNamespace(context) : undefined;
    let run: MatchRun;
    if (opts?.explain === true) {
      run = matchCarefully(stage.rules, context, namespace, []);
    } else {
      const rules = stage.candidates(context);
      try {
        run = { hits: matchRules(rules, context, namespace) };
      } catch {
        // Rare: some rule threw. Redo the pass rule by rule so each failure follows its onError.
        run = matchCarefully(rules, context, namespace);
      }
    }
    const result = this.decide(context, run, opts?.stage === 'response');
    if (opts?.requestId !== undefined) result.requestId = opts.requestId;
    if (run.errors) result.errors = run.errors;
    if (run.trace) result.trace = run.trace;
    result.evaluationMicros = Math.round((now() - started) * 1000) / 1000;
    return result;
  }

  /**
   * Combine the matched rules (spec §3). `hits` are in rule order, so the top tier comes first.
   * At the response stage the request was already allowed, so with no matching rule the answer
   * stands (allow): a deny-by-default bundle must not deny every answer. Shadow rules (spec §10)
   * take no part: they are only listed in `shadow`.
   */
  private decide(context: object, run: MatchRun, responseStage: boolean): Decision {
    const defaultDecision = responseStage ? 'allow' : this.defaultDecision;
    const { failedClosed } = run;
    const hits = this.hasShadow ? run.hits.filter((r) => !r.shadow) : run.hits;
    let top = -Infinity;
    let sawDeny = false;
    let sawApproval = false;
    const matchedRules: MatchedRule[] = new Array(hits.length);
    for (let i = 0; i < hits.length; i++) {
      const rule = hits[i];
      matchedRules[i] = rule.match;
      if (rule.authoritative && (top === -Infinity || rule.priority === top)) {
        top = rule.priority;
        if (rule.decision === 'deny') sawDeny = true;
        else if (rule.decision === 'needs_approval') sawApproval = true;
      }
    }
    const decided = top !== -Infinity;
    const decision: FinalDecision = failedClosed ? 'deny'
      : !decided ? defaultDecision : sawDeny ? 'deny' : sawApproval ? 'needs_approval' : 'allow';
    const reasons: string[] = failedClosed ?? [];
    const warnings: Warning[] = [];
    const obligations: Obligation[] = [];
    for (let i = 0; i < hits.length; i++) {
      const rule = hits[i];
      if (decided && rule.priority === top && rule.decision === decision) reasons.push(rule.reason(context));
      if (rule.decision === 'warn') warnings.push({ policyId: rule.policyId, ruleId: rule.ruleId, message: rule.reason(context) });
      if (decision === 'allow' && rule.obligations) for (const o of rule.obligations) obligations.push(o);
    }
    if (!decided && !failedClosed) reasons.push(responseStage ? 'no response rule matched: allow' : this.defaultReason);
    const result: Decision = {
      decision,
      allowed: decision === 'allow',
      reasons,
      matchedRules,
      warnings,
      obligations,
      bundle: this.bundleRef,
      evaluationMicros: 0,
    };
    if (this.hasShadow) result.shadow = shadowMatches(run);
    return result;
  }
}

/** The matched shadow rules in rule order, with a failing one that would have denied as a deny. */
function shadowMatches(run: MatchRun): ShadowMatch[] {
  const shadow: ShadowMatch[] = [];
  for (const rule of run.hits) if (rule.shadow) shadow.push(rule.shadowMatch!);
  if (!run.shadowFailedClosed) return shadow;
  const rules = [...run.hits.filter((r) => r.shadow), ...run.shadowFailedClosed].sort((a, b) => a.order - b.order);
  return rules.map((r) => (run.shadowFailedClosed!.includes(r) ? { policyId: r.policyId, ruleId: r.ruleId, decision: 'deny' } : r.shadowMatch!));
}

interface MatchRun {
  hits: CompiledRule[];
  errors?: NonNullable<Decision['errors']>;
  /** Reasons of rules whose failure denies the request (onError: deny on a non-deny rule). */
  failedClosed?: string[];
  /** Shadow rules whose failure would have denied the request (their onError: deny on a non-deny rule). */
  shadowFailedClosed?: CompiledRule[];
  trace?: RuleTrace[];
}

function outOfScope(rule: CompiledRule, namespace: string | undefined): boolean {
  return rule.namespace !== undefined && namespace !== undefined && rule.namespace !== namespace;
}

/** The hot path: no try/catch, no trace. */
function matchRules(rules: readonly CompiledRule[], context: object, namespace: string | undefined): CompiledRule[] {
  const hits: CompiledRule[] = [];
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i];
    if (rule.namespace !== undefined && outOfScope(rule, namespace)) continue;
    if (rule.test(context)) hits.push(rule);
  }
  return hits;
}

/** Rule by rule, catching failures (and recording a trace when asked). */
function matchCarefully(rules: readonly CompiledRule[], context: object, namespace: string | undefined, trace?: RuleTrace[]): MatchRun {
  const run: MatchRun = { hits: [], trace };
  for (const rule of rules) {
    if (outOfScope(rule, namespace)) {
      trace?.push({ policyId: rule.policyId, ruleId: rule.ruleId, priority: rule.priority, skipped: 'namespace', ...(rule.shadow ? { shadow: true as const } : {}), matched: false });
      continue;
    }
    let matched: boolean;
    try {
      matched = rule.test(context);
    } catch (err) {
      if (rule.shadow) {
        // A shadow rule never touches the decision nor its errors; it reports what its onError would have done.
        matched = rule.onError === 'deny' && rule.decision === 'deny';
        if (rule.onError === 'deny' && !matched) (run.shadowFailedClosed ??= []).push(rule);
        if (trace) trace.push({ policyId: rule.policyId, ruleId: rule.ruleId, priority: rule.priority, shadow: true, matched, condition: safeTrace(rule, context) });
        if (matched) run.hits.push(rule);
        continue;
      }
      // A rule that cannot be evaluated follows its onError (spec extension for the proxy).
      (run.errors ??= []).push({ policyId: rule.policyId, ruleId: rule.ruleId, message: String((err as Error)?.message ?? err), onError: rule.onError });
      // onError deny on a deny rule: the rule counts as matched. On any other rule it denies the
      // request outright (fail closed), since we cannot tell what the rule would have decided.
      matched = rule.onError === 'deny' && rule.decision === 'deny';
      if (rule.onError === 'deny' && !matched) (run.failedClosed ??= []).push(`evaluation of ${rule.policyId}/${rule.ruleId} failed`);
    }
    if (trace) {
      const entry: RuleTrace = { policyId: rule.policyId, ruleId: rule.ruleId, priority: rule.priority, matched, condition: safeTrace(rule, context) };
      if (rule.shadow) entry.shadow = true;
      trace.push(entry);
    }
    if (matched) run.hits.push(rule);
  }
  return run;
}

function safeTrace(rule: CompiledRule, context: object): ConditionTrace | undefined {
  try {
    return rule.node.trace(context);
  } catch {
    return undefined;
  }
}
