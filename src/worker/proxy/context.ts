// The policy contexts of a proxied request: the request's (`llm` read from the provider body,
// the client key's subject over it, then enriched) and the response's (the request's plus
// `response.text` and `usage`). The body's own `metadata` is deliberately not read: a caller
// could set `metadata.namespace` there and step out of namespaced policies.
//
// Enrichment that throws does not stop the request: the context goes on without the derived
// fields (conditions on them see them missing) and the failure is reported for the record.
import { enrich } from '../../enrich/index';
import type { Principal } from '../app-env';
import { applySubject } from '../auth/subject';
import type { EndpointAdapter, Json, Usage } from './providers/types';

export interface PreparedContext {
  context: Record<string, unknown>;
  /** Why enrichment failed, when it did. */
  enrichError?: string;
}

export function requestContext(adapter: EndpointAdapter, body: Json, principal: Principal): PreparedContext {
  const base: Record<string, unknown> = { llm: adapter.llm(body) };
  const context = principal.kind === 'client' ? applySubject(base, principal.subject) : base;
  return enriched(context, () => enrich(context, { defaultMaxTokens: adapter.defaultOutputTokens }));
}

export function responseContext(request: Record<string, unknown>, text: string, usage: Usage): PreparedContext {
  const context = {
    ...request,
    response: { text },
    usage: { inputTokens: usage.inputTokens, outputTokens: usage.outputTokens, totalTokens: usage.inputTokens + usage.outputTokens },
  };
  return enriched(context, () => enrich(context, { only: ['pii'] }));
}

function enriched(context: Record<string, unknown>, run: () => Record<string, unknown>): PreparedContext {
  try {
    return { context: run() };
  } catch (e) {
    return { context, enrichError: `enrichment failed: ${e instanceof Error ? e.message : String(e)}` };
  }
}
