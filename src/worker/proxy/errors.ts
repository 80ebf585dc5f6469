// Errors in each provider's own shape, so the official SDKs raise their usual exceptions
// (PermissionDeniedError for 403, RateLimitError for 429 ...):
//   OpenAI     {"error": {"message", "type", "param", "code"}}    type and code are our code
//   Anthropic  {"type": "error", "error": {"type", "message"}}    error.type is our code
// Our code (policy_denied, budget_exceeded ...) is what a caller branches on; OpenAI itself
// sends type = code for quota errors (insufficient_quota), and Anthropic has no other field for it.
import type { ProviderName } from './providers/types';

export type ProxyErrorCode =
  | 'policy_denied'
  | 'approval_required'
  | 'budget_exceeded'
  | 'rate_limited'
  | 'budget_unavailable'
  | 'no_policy'
  | 'upstream_timeout'
  | 'upstream_unreachable'
  | 'upstream_error'
  | 'misconfigured'
  | (string & {});

export function providerErrorBody(provider: ProviderName, code: ProxyErrorCode, message: string): Record<string, unknown> {
  if (provider === 'anthropic') return { type: 'error', error: { type: code, message } };
  return { error: { message, type: code, param: null, code } };
}

export function providerErrorResponse(provider: ProviderName, status: number, code: ProxyErrorCode, message: string, headers?: HeadersInit): Response {
  const h = new Headers(headers);
  h.set('content-type', 'application/json');
  return new Response(JSON.stringify(providerErrorBody(provider, code, message)), { status, headers: h });
}
