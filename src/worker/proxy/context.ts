// The policy contexts of a proxied request: the request's (`llm` read from the provider body,
// the client key's subject over it, then enriched) and the response's (the request's plus
// `response.text`, `response.toolCalls` and `usage`). The body's own `metadata` is deliberately not read: a caller
// could set `metadata.namespace` there and step out of namespaced policies.
//
// The request's context is enriched by the decision stage (decision/decide.ts). The response's
// is scanned here for what response rules read; a scan that throws does not stop the answer:
// the context goes on without those fields and the failure is reported for the record.
import { enrich, type EnrichmentKind } from '../../enrich/index';
import type { Principal } from '../app-env';
import { applySubject } from '../auth/subject';
import { withAgentHeaders } from '../http/agent-headers';
import type { EndpointAdapter, Json, Usage } from './providers/types';
import type { ToolCall } from './tools';

export interface PreparedContext {
  context: Record<string, unknown>;
  /** Why enrichment failed, when it did. */
  enrichError?: string;
}

export function requestContext(adapter: EndpointAdapter, body: Json, principal: Principal, headers: Headers): Record<string, unknown> {
  const base = withAgentHeaders({ llm: adapter.llm(body) }, headers);
  return principal.kind === 'client' ? applySubject(base, principal.subject) : base;
}

export function responseContext(request: Record<string, unknown>, text: string, usage: Usage, kinds: EnrichmentKind[], toolCalls: readonly ToolCall[] = []): PreparedContext {
  const context = {
    ...request,
    response: { text, toolCalls },
    usage: { inputTokens: usage.inputTokens, outputTokens: usage.outputTokens, totalTokens: usage.inputTokens + usage.outputTokens },
  };
  const responseKinds = kinds.filter((k): k is 'pii' | 'injection' => k === 'pii' || k === 'injection');
  if (responseKinds.length === 0) return { context };
  return enriched(context, () => enrich(context, { only: responseKinds }));
}

function enriched(context: Record<string, unknown>, run: () => Record<string, unknown>): PreparedContext {
  try {
    return { context: run() };
  } catch (e) {
    return { context, enrichError: `enrichment failed: ${e instanceof Error ? e.message : String(e)}` };
  }
}
