// tools/call: the request stage decides on the tool and its arguments before the server sees the
// call (deny -> JSON-RPC error with the reasons; needs_approval -> the approval gate); the result
// coming back is judged by response-stage rules with its text scanned (policy.ts judgeResult):
// a deny replaces it with a JSON-RPC error, a redact_pii obligation rewrites its text.
import type { ApprovalsEnv } from '../../durable/env';
import type { Decision } from '../../policy/types';
import { approvalMessage, approvalTags, passApproval } from '../approvals/gate';
import { toolCallHash } from '../approvals/request-hash';
import type { BundleRole } from '../decision/bundle-choice';
import { redactorFor } from '../proxy/obligations';
import { APPROVAL_REQUIRED, POLICY_DENIED, rpcError, type JsonRpcRequest, type JsonRpcResponse } from './jsonrpc';
import { decideMcp, judgeResult, mcpContext, type McpScope } from './policy';
import { readPin } from './tool-pins';

const INVALID_PARAMS = -32602;

export interface CallAdmission {
  tool: string;
  context: Record<string, unknown>;
  decision: Decision;
  role: BundleRole;
  /** What the caller gets instead of forwarding, when the call is refused. */
  refusal?: JsonRpcResponse;
  outcome: 'allow' | 'deny' | 'needs_approval';
  tags: Record<string, string>;
}

export async function admitCall(scope: McpScope, kv: KVNamespace, env: ApprovalsEnv, message: JsonRpcRequest, approvalId: string | undefined): Promise<CallAdmission | JsonRpcResponse> {
  const name = message.params?.name;
  if (typeof name !== 'string' || name === '') return rpcError(message.id, INVALID_PARAMS, 'tools/call: params.name must be a non-empty string');
  const args = message.params?.arguments ?? {};
  const pin = await readPin(kv, scope.server, name);
  const context = mcpContext(scope, 'tools/call', { name, arguments: args, pin });
  const { decision, role, context: evaluated } = await decideMcp(scope, context);
  const base = { tool: name, context: evaluated, decision, role, tags: { mcp_server: scope.server, mcp_tool: name } };
  const reasons = decision.reasons;
  const data = { reasons, requestId: scope.requestId, bundle: decision.bundle.version };
  if (decision.decision === 'deny') {
    return { ...base, outcome: 'deny', refusal: rpcError(message.id, POLICY_DENIED, `denied by policy: ${reasons.join('; ')}`, { code: 'policy_denied', ...data }) };
  }
  if (decision.decision === 'needs_approval') {
    const gate = await passApproval(env, scope.principal, approvalId, {
      what: `mcp ${scope.server} tools/call ${name}`,
      why: reasons,
      summary: { server: scope.server, tool: name, arguments: args },
      requestHash: await toolCallHash(scope.server, name, args),
      requestId: scope.requestId,
      context: evaluated,
    });
    const tags = { ...base.tags, ...approvalTags(gate) };
    if (gate.granted) return { ...base, tags, outcome: 'allow' };
    const { id, expiresAt } = gate.approval;
    const refusal = rpcError(message.id, APPROVAL_REQUIRED, approvalMessage(reasons, gate), { code: 'approval_required', approvalId: id, expiresAt, ...data });
    return { ...base, tags, outcome: 'needs_approval', refusal };
  }
  return { ...base, outcome: 'allow' };
}

export interface CheckedResult {
  answer: JsonRpcResponse;
  outcome: string;
  decision: Decision;
  context: Record<string, unknown>;
  tags: Record<string, string>;
}

/** The server's answer to an admitted call, after the response-stage rules. */
export function checkResult(scope: McpScope, call: CallAdmission, answer: JsonRpcResponse): CheckedResult {
  const unchanged = { answer, outcome: 'allow', decision: call.decision, context: call.context, tags: call.tags };
  if (!answer.result) return { ...unchanged, tags: { ...call.tags, mcp_result: 'error' } };
  const { verdict, context } = judgeResult(scope, call.context, resultText(answer.result));
  if (verdict.kind === 'deny') {
    const { decision, code } = verdict;
    const message = `tool result ${code === 'approval_required' ? 'needs approval' : 'denied by policy'}: ${decision.reasons.join('; ')}`;
    const refusal = rpcError(answer.id, POLICY_DENIED, message, { code, reasons: decision.reasons, requestId: scope.requestId, bundle: decision.bundle.version });
    return { answer: refusal, outcome: decision.decision, decision, context, tags: { ...call.tags, stage: 'response' } };
  }
  if (verdict.redact) {
    const redacted = redactResult(answer.result, redactorFor(verdict.redact));
    return { answer: { ...answer, result: redacted }, outcome: 'allow', decision: verdict.decision ?? call.decision, context, tags: { ...call.tags, stage: 'response', redacted: 'pii' } };
  }
  return { ...unchanged, context };
}

/** The text a tool result puts in front of a model: text parts, embedded text resources, structured content. */
export function resultText(result: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const item of Array.isArray(result.content) ? result.content : []) {
    if (typeof item?.text === 'string') parts.push(item.text);
    else if (typeof item?.resource?.text === 'string') parts.push(item.resource.text);
  }
  if (result.structuredContent !== undefined) parts.push(JSON.stringify(result.structuredContent));
  return parts.join('\n');
}

function redactResult(result: Record<string, unknown>, redact: (text: string) => string): Record<string, unknown> {
  const out: Record<string, unknown> = { ...result };
  if (Array.isArray(result.content)) {
    out.content = result.content.map((item) => {
      if (typeof item?.text === 'string') return { ...item, text: redact(item.text) };
      if (typeof item?.resource?.text === 'string') return { ...item, resource: { ...item.resource, text: redact(item.resource.text) } };
      return item;
    });
  }
  if (result.structuredContent !== undefined) out.structuredContent = redactStrings(result.structuredContent, redact);
  return out;
}

function redactStrings(value: unknown, redact: (text: string) => string): unknown {
  if (typeof value === 'string') return redact(value);
  if (Array.isArray(value)) return value.map((v) => redactStrings(v, redact));
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactStrings(v, redact)]));
  return value;
}
