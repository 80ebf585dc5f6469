// What a decision record says about a failed enrichment or rule evaluation, if anything failed.
import type { DecisionErrorInfo } from '../../durable/decision-types';
import type { Decision } from '../../policy/types';

export function onErrorInfo(decision: Decision, enrichError: string | undefined): DecisionErrorInfo | undefined {
  const errors = decision.errors ?? [];
  if (!enrichError && errors.length === 0) return undefined;
  const messages = [...(enrichError ? [enrichError] : []), ...errors.map((e) => `${e.policyId}/${e.ruleId}: ${e.message} (onError: ${e.onError})`)];
  return {
    mode: decision.decision === 'allow' ? 'allow' : 'deny',
    message: messages.join('; '),
    ...(errors.length > 0 ? { rules: errors.map((e) => `${e.policyId}/${e.ruleId}`) } : {}),
  };
}
