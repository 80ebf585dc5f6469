// What a grant is bound to: the SHA-256 of the canonical JSON (RFC 8785) of the request it was
// asked for, so a retry passes only if it is the same request, and a grant for one tool call or
// prompt cannot carry another. The kind is part of the hash: an MCP call and an LLM body never
// collide.
import { canonicalJson, sha256Hex } from '../../bundle/index';

/** An LLM proxy call: the provider, the endpoint and the whole body as sent (model, messages, tools, limits). */
export function llmRequestHash(provider: string, endpoint: string, body: unknown): Promise<string> {
  return sha256Hex(canonicalJson({ kind: 'llm', provider, endpoint, body }));
}

/** An MCP tools/call: the server, the tool and its arguments. */
export function toolCallHash(server: string, tool: string, args: unknown): Promise<string> {
  return sha256Hex(canonicalJson({ kind: 'mcp', server, tool, arguments: args ?? {} }));
}

/** A /v1/evaluate context as the caller sent it (the key's subject laid over it). */
export function contextHash(context: Record<string, unknown>): Promise<string> {
  const { budget: _edgeOwned, ...rest } = context;
  return sha256Hex(canonicalJson({ kind: 'evaluate', context: rest }));
}
