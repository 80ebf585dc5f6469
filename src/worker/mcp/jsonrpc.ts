// The JSON-RPC 2.0 messages MCP exchanges, as far as the proxy reads them, and the errors it
// answers itself. Policy refusals use codes in the server-error range with `data.code` naming
// the outcome (policy_denied, approval_required), as the LLM proxy's error codes do.
export type JsonRpcId = string | number;

export interface JsonRpcRequest {
  jsonrpc: '2.0';
  id: JsonRpcId;
  method: string;
  params?: Record<string, unknown>;
}

export interface JsonRpcResponse {
  jsonrpc: '2.0';
  id: JsonRpcId | null;
  result?: Record<string, unknown>;
  error?: { code: number; message: string; data?: unknown };
}

export const POLICY_DENIED = -32001;
export const APPROVAL_REQUIRED = -32002;
export const INVALID_REQUEST = -32600;

/** A request (has an id and a method); notifications and responses are not. */
export function isRequest(m: unknown): m is JsonRpcRequest {
  if (typeof m !== 'object' || m === null || Array.isArray(m)) return false;
  const r = m as Record<string, unknown>;
  return typeof r.method === 'string' && (typeof r.id === 'string' || typeof r.id === 'number');
}

/** The response to request `id`, if `m` is one. */
export function isResponseTo(m: unknown, id: JsonRpcId): m is JsonRpcResponse {
  if (typeof m !== 'object' || m === null || Array.isArray(m)) return false;
  const r = m as Record<string, unknown>;
  return r.id === id && ('result' in r || 'error' in r) && !('method' in r);
}

export function rpcError(id: JsonRpcId | null, code: number, message: string, data?: Record<string, unknown>): JsonRpcResponse {
  return { jsonrpc: '2.0', id, error: { code, message, ...(data ? { data } : {}) } };
}
