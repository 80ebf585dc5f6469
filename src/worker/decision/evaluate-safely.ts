// The engine turns a failing rule into its onError; anything else failing is an engine bug, and
// the request is denied rather than let through unchecked.
import type { Decision, EvaluateOptions, Evaluator } from '../../policy/types';

export function evaluateSafely(evaluator: Evaluator, context: Record<string, unknown>, options: EvaluateOptions & { requestId: string }): Decision {
  try {
    return evaluator.evaluate(context, options);
  } catch (e) {
    const message = `policy evaluation failed: ${e instanceof Error ? e.message : String(e)}`;
    return {
      decision: 'deny',
      allowed: false,
      reasons: [message],
      matchedRules: [],
      warnings: [],
      obligations: [],
      bundle: { version: evaluator.bundle.version, hash: evaluator.bundle.hash },
      evaluationMicros: 0,
      requestId: options.requestId,
      errors: [{ policyId: '', ruleId: '', message, onError: 'deny' }],
    };
  }
}
