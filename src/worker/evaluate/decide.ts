// One decision: pick the bundle (canary or stable) for the request's tenant, enrich the context
// with what that bundle can observe (token counts, cost, PII, injection, time: fields the caller
// sent are kept) and evaluate; with no verified bundle at all, fail closed (deny) unless
// FAIL_OPEN=true.
import { enrich } from '../../enrich/index';
import type { Decision } from '../../policy/types';
import { tenantKey, usesCanary } from '../bundle/canary';
import type { ActiveBundles } from '../bundle/loader';
import { enrichmentFor } from './enrich-plan';

export type BundleRole = 'stable' | 'canary' | 'none';

export interface DecideOptions {
  explain?: boolean;
  requestId: string;
  /** Client key id: the tenant key when the context names no team or user. */
  keyId?: string;
  failOpen: boolean;
}

export interface Outcome {
  decision: Decision;
  role: BundleRole;
}

export const NO_POLICY_REASON = 'no verified policy bundle';
export const NO_BUNDLE = { version: 'none', hash: '' };

export function decide(active: ActiveBundles | undefined, context: Record<string, unknown>, opts: DecideOptions): Outcome {
  if (!active) return { decision: noPolicyDecision(opts.failOpen, opts.requestId), role: 'none' };
  const canary = active.canary && usesCanary(tenantKey(context, opts.keyId), active.pointer.canaryPercent) ? active.canary : undefined;
  const { evaluator } = canary ?? active.stable;
  const kinds = enrichmentFor(evaluator.bundle);
  const enriched = kinds.length > 0 ? enrich(context, { only: kinds }) : context;
  const decision = evaluator.evaluate(enriched, { explain: opts.explain, requestId: opts.requestId });
  return { decision, role: canary ? 'canary' : 'stable' };
}

/** The Decision served when no bundle has verified: deny, or allow with a warning if failing open. */
export function noPolicyDecision(failOpen: boolean, requestId: string): Decision {
  const base = { matchedRules: [], obligations: [], bundle: NO_BUNDLE, evaluationMicros: 0, requestId };
  if (failOpen) {
    return {
      ...base,
      decision: 'allow',
      allowed: true,
      reasons: [`${NO_POLICY_REASON}: allowed because FAIL_OPEN=true`],
      warnings: [{ policyId: '', ruleId: '', message: `${NO_POLICY_REASON}; FAIL_OPEN=true let this request through` }],
    };
  }
  return { ...base, decision: 'deny', allowed: false, reasons: [NO_POLICY_REASON], warnings: [] };
}
