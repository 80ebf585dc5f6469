// tools/list: every listed tool is hashed and pinned (tool-pins.ts), then evaluated on its own
// (mcp.method tools/list, mcp.tool.*); the caller gets only the tools the request stage does not
// deny. A tool without a usable name is dropped: it could not be pinned or matched by a rule.
import type { Decision } from '../../policy/types';
import type { JsonRpcResponse } from './jsonrpc';
import { decideMcp, mcpContext, type McpScope } from './policy';
import { definitionHash, observeDefinitions, type ToolDefinition } from './tool-pins';

export interface ListSummary {
  listed: string[];
  hidden: string[];
  changed: string[];
  /** The decision of the first hidden tool, else of the first listed one (for the record). */
  decision?: Decision;
  role?: string;
}

export async function filterToolList(scope: McpScope, kv: KVNamespace, answer: JsonRpcResponse): Promise<{ answer: JsonRpcResponse; summary: ListSummary }> {
  const summary: ListSummary = { listed: [], hidden: [], changed: [] };
  const tools = answer.result?.tools;
  if (!Array.isArray(tools)) return { answer, summary };
  const named = tools.filter((t): t is ToolDefinition => typeof t === 'object' && t !== null && typeof (t as ToolDefinition).name === 'string' && (t as ToolDefinition).name !== '');
  const hashes = await Promise.all(named.map(definitionHash));
  const pins = await observeDefinitions(kv, scope.server, named.map((t, i) => ({ name: t.name, hash: hashes[i] })));
  const kept: ToolDefinition[] = [];
  let firstHidden: Decision | undefined;
  let firstListed: Decision | undefined;
  for (let i = 0; i < named.length; i++) {
    const tool = named[i];
    const pin = pins.get(tool.name) ?? null;
    const context = mcpContext(scope, 'tools/list', { name: tool.name, description: tool.description, definitionHash: hashes[i], pin });
    const outcome = await decideMcp(scope, context);
    summary.role ??= outcome.role;
    if (pin && pin.pinnedHash !== hashes[i]) summary.changed.push(tool.name);
    if (outcome.decision.decision === 'deny') {
      summary.hidden.push(tool.name);
      firstHidden ??= outcome.decision;
    } else {
      summary.listed.push(tool.name);
      firstListed ??= outcome.decision;
      kept.push(tool);
    }
  }
  for (const t of tools) if (!named.includes(t as ToolDefinition)) summary.hidden.push('(unnamed)');
  summary.decision = firstHidden ?? firstListed;
  return { answer: { ...answer, result: { ...answer.result, tools: kept } }, summary };
}
