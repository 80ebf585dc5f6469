// The MCP proxy: POST /mcp/:server forwards MCP streamable-HTTP JSON-RPC to the server that
// MCP_SERVERS names (servers.ts), authenticated by our client keys; tools/list is filtered and
// pinned (list.ts), tools/call is decided and its result checked (call.ts), every other message
// passes unchanged. DELETE ends a session upstream; GET (the server-initiated stream) is not
// offered (405, which the transport allows), so server messages arrive on POST answers only.
import { Hono, type Context } from 'hono';
import type { AppEnv } from '../app-env';
import { APPROVAL_HEADER } from '../approvals/gate';
import { readJsonBody } from '../http/read-json';
import { waitUntilOf } from '../http/wait-until';
import { requireClient } from '../middleware/auth';
import { prefetchBundles } from '../middleware/prefetch-bundles';
import { elapsedMs, recordDecision } from '../recording/record';
import type { Decision } from '../../policy/types';
import { admitCall, checkResult, type CallAdmission } from './call';
import { forwardMcp } from './forward';
import { INVALID_REQUEST, isRequest, rpcError, type JsonRpcRequest } from './jsonrpc';
import { filterToolList } from './list';
import { mcpContext, type McpScope } from './policy';
import { mcpServerUrl } from './servers';

export const mcp = new Hono<AppEnv>();

mcp.use(prefetchBundles(), requireClient());

mcp.post('/:server', async (c) => {
  const startedAt = performance.now();
  const server = c.req.param('server');
  const url = mcpServerUrl(c.env, server);
  const message = await readJsonBody(c.req.raw, c.get('config').maxBodyBytes);
  if (Array.isArray(message)) {
    return c.json(rpcError(null, INVALID_REQUEST, 'JSON-RPC batches are not supported by the policy proxy: send one message per request'), 400);
  }
  const scope = await scopeOf(c, server);
  const base = { url, server, incoming: c.req.raw, requestId: scope.requestId, message };
  Object.assign(c.get('logFields'), { mcpServer: server, mcpMethod: isRequest(message) ? message.method : undefined });
  if (!isRequest(message)) return forwardMcp(base);

  if (message.method === 'tools/list') {
    return forwardMcp({
      ...base,
      answerId: message.id,
      onAnswer: async (answer) => {
        const { answer: filtered, summary } = await filterToolList(scope, c.env.BUNDLES, answer);
        if (summary.decision) {
          const tags: Record<string, string> = { mcp_server: server, mcp_method: 'tools/list', tools_listed: String(summary.listed.length) };
          if (summary.hidden.length > 0) tags.tools_hidden = summary.hidden.join(',');
          if (summary.changed.length > 0) tags.tools_changed = summary.changed.join(',');
          const context = mcpContext(scope, 'tools/list');
          record(c, { decision: summary.decision, outcome: 'allow', requestId: scope.requestId, context, role: summary.role ?? 'none', startedAt, tags });
        }
        return filtered;
      },
    });
  }
  if (message.method === 'tools/call') return toolsCall(c, scope, base, message, startedAt);
  return forwardMcp(base);
});

mcp.delete('/:server', (c) => {
  const server = c.req.param('server');
  return forwardMcp({ url: mcpServerUrl(c.env, server), server, incoming: c.req.raw, requestId: c.get('requestId') });
});

mcp.get('/:server', (c) => {
  mcpServerUrl(c.env, c.req.param('server'));
  return c.body(null, 405, { allow: 'POST, DELETE' });
});

async function toolsCall(c: Context<AppEnv>, scope: McpScope, base: Parameters<typeof forwardMcp>[0], message: JsonRpcRequest, startedAt: number): Promise<Response> {
  const env = c.env;
  const admitted = await admitCall(scope, c.env.BUNDLES, env, message, c.req.header(APPROVAL_HEADER));
  if (!('outcome' in admitted)) return c.json(admitted);
  const call: CallAdmission = admitted;
  const policyHeaders = { 'x-policy-decision': call.outcome, 'x-policy-bundle': call.decision.bundle.version };
  Object.assign(c.get('logFields'), { decision: call.outcome, mcpTool: call.tool });
  const recordWith = (outcome: string, decision = call.decision, context = call.context, tags = call.tags) =>
    record(c, { decision, outcome, requestId: scope.requestId, context, role: call.role, startedAt, tags });
  if (call.refusal) {
    recordWith(call.outcome);
    return c.json(call.refusal, 200, policyHeaders);
  }
  return forwardMcp({
    ...base,
    extraHeaders: policyHeaders,
    answerId: message.id,
    onAnswer: async (answer) => {
      const checked = checkResult(scope, call, answer);
      recordWith(checked.outcome, checked.decision, checked.context, checked.tags);
      return checked.answer;
    },
    onNoAnswer: () => recordWith('allow', call.decision, call.context, { ...call.tags, mcp_result: 'none' }),
  });
}

async function scopeOf(c: Context<AppEnv>, server: string): Promise<McpScope> {
  return {
    server,
    active: await c.get('bundles'),
    env: c.env,
    principal: c.get('principal'),
    requestId: c.get('requestId'),
    failOpen: c.get('config').failOpen,
  };
}


interface McpRecord {
  decision: Decision;
  outcome: string;
  requestId: string;
  context: Record<string, unknown>;
  role: string;
  startedAt: number;
  tags: Record<string, string>;
}

// Source `mcp`: the context names the server, the tool and its arguments; MASK_FIELDS masks
// argument paths (`mcp.tool.arguments.password`) like any other context field.
function record(c: Context<AppEnv>, r: McpRecord): void {
  recordDecision(c.env, waitUntilOf(c) ?? ((p) => void p.catch(() => undefined)), {
    source: 'mcp', decision: r.decision, outcome: r.outcome, requestId: r.requestId, context: r.context, role: r.role,
    latencyMs: elapsedMs(r.startedAt), tags: r.tags, versionStats: 'count',
    // Arguments the record cannot copy (nested deeper than structuredClone goes) must not cost the record.
    fallbackContext: (context) => ({ context: { ...context, mcp: { omitted: true } }, tag: { context: 'omitted' } }),
  });
}
