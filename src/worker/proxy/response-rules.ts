// Response-stage rules (`stage: response`): evaluated on the provider's answer with
// `response.text`, `response.containsPII`, `response.piiTypes`, `response.toolCalls` and
// `usage.*` in the context.
//
// The answer is judged only by the rules that match it: a bundle whose defaultDecision is deny
// has already let the request through at the request stage, so "no response rule matched" means
// no objection here, not the bundle default. For the same reason the obligations of matched
// modify rules apply even when the engine fell back to a default deny.
import { decidingRules } from '../../durable/decision-input';
import type { EnrichmentKind } from '../../enrich/index';
import type { Decision, Evaluator, Obligation } from '../../policy/types';
import { responseContext } from './context';
import { mergeTypes } from './obligations';
import type { Usage } from './providers/types';
import type { ToolCall } from './tools';

export type RedactTypes = Set<string> | 'all';

export type ResponseVerdict =
  | { kind: 'pass'; decision: Decision; enrichError?: string }
  | { kind: 'redact'; types: RedactTypes; decision: Decision; enrichError?: string }
  | { kind: 'deny'; code: 'policy_denied' | 'approval_required'; message: string; decision: Decision; enrichError?: string };

export interface ResponseJudge {
  evaluator: Evaluator;
  requestContext: Record<string, unknown>;
  enrichment: EnrichmentKind[];
  requestId: string;
}

export function judgeResponse(j: ResponseJudge, text: string, usage: Usage, toolCalls: readonly ToolCall[] = []): ResponseVerdict {
  const { evaluator, requestId } = j;
  const { context, enrichError } = responseContext(j.requestContext, text, usage, j.enrichment, toolCalls);
  const decision = evaluator.evaluate(context, { stage: 'response', requestId });
  if (objects(decision)) {
    const approval = decision.decision === 'needs_approval';
    const message = `${approval ? 'response needs approval' : 'response denied by policy'}: ${decision.reasons.join('; ')}`;
    return { kind: 'deny', code: approval ? 'approval_required' : 'policy_denied', message, decision, enrichError };
  }
  let types: RedactTypes | undefined;
  for (const o of obligationsOf(decision, evaluator)) if (o.type === 'redact_pii') types = mergeTypes(types, o.types);
  return types ? { kind: 'redact', types, decision, enrichError } : { kind: 'pass', decision, enrichError };
}

/** A deny or needs_approval that a rule decided, or that a failing onError: deny rule forced. */
function objects(decision: Decision): boolean {
  if (decision.decision === 'allow') return false;
  return decidingRules(decision).length > 0 || (decision.errors ?? []).some((e) => e.onError === 'deny');
}

function obligationsOf(decision: Decision, evaluator: Evaluator): readonly Obligation[] {
  if (decision.decision === 'allow') return decision.obligations;
  // A default deny carries no obligations: read them from the matched rules in the bundle.
  const out: Obligation[] = [];
  for (const m of decision.matchedRules) {
    const policy = evaluator.bundle.policies.find((p) => p.metadata.id === m.policyId);
    const rule = policy?.rules.find((r) => r.id === m.ruleId);
    for (const o of rule?.action.obligations ?? []) out.push(o);
  }
  return out;
}
