// Responses the proxy makes itself: the policy headers every proxied response carries, and the
// refusals of interfaces.md (deny and needs_approval 403, budget and rate limits 429 with
// retry-after), each in the provider's error shape.
import type { ReserveAllResult } from '../../durable/budgets-client';
import type { Decision } from '../../policy/types';
import { NO_POLICY_REASON } from '../decision/bundle-choice';
import { providerErrorResponse, type ProxyErrorCode } from './errors';
import type { ProviderName } from './providers/types';

// The SDKs retry 429 and 5xx unless told not to; a budget that resets next month will not
// have room in a second.
const NO_RETRY_AFTER_SECONDS = 60;

export function withPolicyHeaders(res: Response, outcome: string, bundleVersion: string): Response {
  res.headers.set('x-policy-decision', outcome);
  res.headers.set('x-policy-bundle', bundleVersion);
  return res;
}

export interface Refusal {
  status: number;
  code: ProxyErrorCode;
  message: string;
  /** Decision record outcome. */
  outcome: string;
  headers?: Record<string, string>;
}

export function policyRefusal(decision: Decision, failOpen: boolean): Refusal {
  if (decision.bundle.version === 'none' && !failOpen) {
    return { status: 503, code: 'no_policy', message: `${NO_POLICY_REASON}: the proxy denies every request until one is published`, outcome: 'deny' };
  }
  const reasons = decision.reasons.join('; ');
  if (decision.decision === 'needs_approval') return { status: 403, code: 'approval_required', message: `approval required: ${reasons}`, outcome: 'needs_approval' };
  return { status: 403, code: 'policy_denied', message: `denied by policy: ${reasons}`, outcome: 'deny' };
}

export function budgetRefusal(result: Extract<ReserveAllResult, { ok: false }>): Refusal {
  const retryAfter = String(result.retryAfterSeconds);
  const headers: Record<string, string> = { 'retry-after': retryAfter };
  if (result.retryAfterSeconds > NO_RETRY_AFTER_SECONDS) headers['x-should-retry'] = 'false';
  if (result.code === 'budget_unavailable') return { status: 503, code: result.code, message: result.message, outcome: result.code, headers };
  return { status: 429, code: result.code, message: result.message, outcome: result.code, headers };
}

export function refusalResponse(provider: ProviderName, r: Refusal, bundleVersion: string): Response {
  return withPolicyHeaders(providerErrorResponse(provider, r.status, r.code, r.message, r.headers), r.outcome, bundleVersion);
}
