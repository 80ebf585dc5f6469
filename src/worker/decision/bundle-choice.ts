// Which bundle serves a request: the canary for tenants in its buckets, else the stable; and the
// Decision served when no bundle has verified at all (deny, or allow with a warning when failing open).
import type { Decision, Evaluator } from '../../policy/types';
import { tenantKey, usesCanary } from '../bundle/canary';
import type { ActiveBundles } from '../bundle/loader';

export type BundleRole = 'stable' | 'canary' | 'none';

export interface ChosenBundle {
  evaluator: Evaluator;
  role: 'stable' | 'canary';
}

export const NO_POLICY_REASON = 'no verified policy bundle';
export const NO_BUNDLE = { version: 'none', hash: '' };

export function chooseBundle(active: ActiveBundles | undefined, context: Record<string, unknown>, keyId: string | undefined): ChosenBundle | undefined {
  if (!active) return undefined;
  if (active.canary && usesCanary(tenantKey(context, keyId), active.pointer.canaryPercent)) return { evaluator: active.canary.evaluator, role: 'canary' };
  return { evaluator: active.stable.evaluator, role: 'stable' };
}

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
