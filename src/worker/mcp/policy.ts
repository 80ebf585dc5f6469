// Policies over MCP traffic. The context (policy-language.md §7, `mcp.*`):
//
//   mcp.server, mcp.method                    the route's server name, the JSON-RPC method
//   mcp.tool.name, mcp.tool.arguments          tools/call (arguments as sent)
//   mcp.tool.description                       tools/list
//   mcp.tool.definitionHash                    sha256 of the definition now (tools/list), or as last listed (tools/call)
//   mcp.tool.pinnedHash                        the definition's hash when the proxy first saw the tool
//   mcp.tool.definitionChanged                 definitionHash ≠ pinnedHash
//   user.*, team.*, project.*                  the client key's subject
//
// plus, for `stage: response` rules on a tools/call result: response.text (the result's text),
// response.containsPII, response.piiTypes, response.injectionScore, response.injectionSignals.
//
// "May use" a tool: the request stage does not deny it. tools/list is evaluated once per tool with
// mcp.method = tools/list (no arguments), and a denied tool is left out of the list; tools/call is
// evaluated with the arguments. A rule without an mcp.method condition therefore both hides a tool
// and refuses its calls.
import type { DurableEnv } from '../../durable/env';
import { detectPII, injectionScore } from '../../enrich/index';
import type { Decision } from '../../policy/types';
import type { Principal } from '../app-env';
import type { ActiveBundles } from '../bundle/loader';
import { chooseBundle } from '../decision/bundle-choice';
import { withPrincipal } from '../decision/context';
import { decide, type Outcome } from '../decision/decide';
import { decidingRules } from '../../durable/decision-input';
import { factsOf } from '../decision/bundle-facts';
import { mergeTypes } from '../proxy/obligations';
import type { ToolPin } from './tool-pins';

export interface McpScope {
  server: string;
  active: ActiveBundles | undefined;
  env: DurableEnv;
  principal: Principal;
  requestId: string;
  failOpen: boolean;
}

export interface ToolFacts {
  name: string;
  arguments?: unknown;
  description?: unknown;
  /** The definition's hash as listed now; for a call, the pin's current hash. */
  definitionHash?: string;
  pin?: ToolPin | null;
}

export function mcpContext(scope: McpScope, method: string, tool?: ToolFacts): Record<string, unknown> {
  const mcp: Record<string, unknown> = { server: scope.server, method };
  if (tool) {
    const t: Record<string, unknown> = { name: tool.name };
    if (tool.arguments !== undefined) t.arguments = tool.arguments;
    if (typeof tool.description === 'string') t.description = tool.description;
    const current = tool.definitionHash ?? tool.pin?.currentHash;
    if (current !== undefined) t.definitionHash = current;
    if (tool.pin) {
      t.pinnedHash = tool.pin.pinnedHash;
      t.definitionChanged = current !== tool.pin.pinnedHash;
    }
    mcp.tool = t;
  }
  return withPrincipal({ mcp }, scope.principal);
}

export function decideMcp(scope: McpScope, context: Record<string, unknown>): Promise<Outcome> {
  const keyId = scope.principal.kind === 'client' ? scope.principal.keyId : undefined;
  return decide(scope.active, context, { requestId: scope.requestId, keyId, failOpen: scope.failOpen, env: scope.env });
}

export type ResultVerdict =
  | { kind: 'pass'; decision?: Decision; redact?: Set<string> | 'all' }
  | { kind: 'deny'; code: 'policy_denied' | 'approval_required'; decision: Decision };

/**
 * A tools/call result judged by the serving bundle's response-stage rules, with the result's text
 * scanned for PII and injection as a tool output coming back into a prompt would be. Only rules
 * that match decide (the call was already allowed). Without response rules nothing is scanned.
 */
export function judgeResult(scope: McpScope, context: Record<string, unknown>, text: string): { verdict: ResultVerdict; context: Record<string, unknown> } {
  const keyId = scope.principal.kind === 'client' ? scope.principal.keyId : undefined;
  const chosen = chooseBundle(scope.active, context, keyId);
  if (!chosen || !factsOf(chosen.evaluator).hasResponseRules) return { verdict: { kind: 'pass' }, context };
  const pii = detectPII(text);
  const injection = injectionScore(text);
  const response = { text, containsPII: pii.types.length > 0, piiTypes: pii.types, injectionScore: injection.score, injectionSignals: injection.signals };
  const judged = { ...context, response };
  const decision = chosen.evaluator.evaluate(judged, { stage: 'response', requestId: scope.requestId });
  // The record keeps what was found, not the tool's output itself.
  const { text: _text, ...found } = response;
  const recorded = { ...context, response: found };
  const objects = decision.decision !== 'allow' && (decidingRules(decision).length > 0 || (decision.errors ?? []).some((e) => e.onError === 'deny'));
  if (objects) return { verdict: { kind: 'deny', code: decision.decision === 'needs_approval' ? 'approval_required' : 'policy_denied', decision }, context: recorded };
  let redact: Set<string> | 'all' | undefined;
  for (const o of decision.obligations) if (o.type === 'redact_pii') redact = mergeTypes(redact, o.types);
  return { verdict: { kind: 'pass', decision, redact }, context: recorded };
}
