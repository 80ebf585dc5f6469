// Evaluate a context against compiled rules and combine the matches (spec §3).

import type {
  Bundle, Decision, EvaluateOptions, Evaluator, FinalDecision, MatchedRule, Obligation, RuleTrace, Warning,
} from '../policy/types';
import type { CandidateFinder } from './rule-index';
import type { CompiledRule } from './rule';
import { getterFor } from './path';

export interface StageRules {
  rules: CompiledRule[];
  candidates: CandidateFinder;
}

const metadataNamespace = getterFor('metadata.namespace');
const projectEnvironment = getterFor('project.environment');

/** The request namespace: metadata.namespace, else project.environment, if a non-empty string. */
function requestNamespace(ctx: unknown): string | undefined {
  const ns = metadataNamespace(ctx);
  if (typeof ns === 'string' && ns !== '') return ns;
  const env = projectEnvironment(ctx);
  return typeof env === 'string' && env !== '' ? env : undefined;
}

const now: () => number = typeof performance !== 'undefined' ? () => performance.now() : () => Date.now();

export class CompiledEvaluator implements Evaluator {
  private readonly bundleRef: { version: string; hash: string };
  private readonly defaultDecision: FinalDecision;
  private readonly defaultReason: string;
  /** Most bundles scope nothing by namespace; then the request's namespace need not be read. */
  private readonly scoped: boolean;

  constructor(
    readonly bundle: Bundle,
    private readonly stages: Record<'request' | 'response', StageRules>,
  ) {
    this.bundleRef = Object.freeze({ version: bundle.version, hash: bundle.hash });
    this.defaultDecision = bundle.defaultDecision === 'deny' ? 'deny' : 'allow';
    this.defaultReason = `no rule matched: default ${this.defaultDecision}`;
    this.scoped = [...stages.request.rules, ...stages.response.rules].some((r) => r.namespace !== undefined);
  }

  evaluate(context: object, opts?: EvaluateOptions): Decision {
    const started = now();
    const stage = this.stages[opts?.stage ?? 'request'];
    const explain = opts?.explain === true;
    const rules = explain ? stage.rules : stage.candidates(context);
    const namespace = this.scoped ? requestNamespace(context) : undefined;
    const trace: RuleTrace[] | undefined = explain ? [] : undefined;

    const hits: CompiledRule[] = [];
    const matchedRules: MatchedRule[] = [];
    let errors: Decision['errors'];
    let top = -Infinity;
    let sawDeny = false;
    let sawApproval = false;
    let failedClosed: string[] | undefined;

    for (let i = 0; i < rules.length; i++) {
      const rule = rules[i];
      if (rule.namespace !== undefined && namespace !== undefined && rule.namespace !== namespace) {
        trace?.push({ policyId: rule.policyId, ruleId: rule.ruleId, priority: rule.priority, skipped: 'namespace', matched: false });
        continue;
      }
      let matched: boolean;
      try {
        matched = rule.test(context);
      } catch (err) {
        // A rule that cannot be evaluated follows its onError (spec extension for the proxy).
        (errors ??= []).push({ policyId: rule.policyId, ruleId: rule.ruleId, message: String((err as Error)?.message ?? err), onError: rule.onError });
        // onError deny on a deny rule: the rule counts as matched. On any other rule it denies the
        // request outright (fail closed), since we cannot tell what the rule would have decided.
        matched = rule.onError === 'deny' && rule.decision === 'deny';
        if (rule.onError === 'deny' && !matched) (failedClosed ??= []).push(`evaluation of ${rule.policyId}/${rule.ruleId} failed`);
      }
      if (trace) trace.push({ policyId: rule.policyId, ruleId: rule.ruleId, priority: rule.priority, matched, condition: rule.node.trace(context) });
      if (!matched) continue;
      hits.push(rule);
      matchedRules.push(rule.match);
      if (rule.authoritative && (top === -Infinity || rule.priority === top)) {
        top = rule.priority;
        if (rule.decision === 'deny') sawDeny = true;
        else if (rule.decision === 'needs_approval') sawApproval = true;
      }
    }

    const decided = top !== -Infinity;
    const decision: FinalDecision = failedClosed ? 'deny'
      : !decided ? this.defaultDecision : sawDeny ? 'deny' : sawApproval ? 'needs_approval' : 'allow';
    const reasons: string[] = failedClosed ?? [];
    const warnings: Warning[] = [];
    const obligations: Obligation[] = [];
    for (let i = 0; i < hits.length; i++) {
      const rule = hits[i];
      if (decided && rule.priority === top && rule.decision === decision) reasons.push(rule.reason(context));
      if (rule.decision === 'warn') warnings.push({ policyId: rule.policyId, ruleId: rule.ruleId, message: rule.reason(context) });
      if (decision === 'allow' && rule.obligations) for (const o of rule.obligations) obligations.push(o);
    }
    if (!decided && !failedClosed) reasons.push(this.defaultReason);

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
    if (opts?.requestId !== undefined) result.requestId = opts.requestId;
    if (errors) result.errors = errors;
    if (trace) result.trace = trace;
    result.evaluationMicros = Math.round((now() - started) * 1000) / 1000;
    return result;
  }
}
