// The MCP proxy end to end: the official SDK client -> our /mcp/:server (in workerd) -> a real
// SDK MCP server on 127.0.0.1 (support/mcp-server.ts), with SSE and JSON answers. tools/list is
// filtered per caller, a denied tools/call never reaches the server, a changed tool definition is
// caught by its pin, tool results are scanned (injection denied, PII redacted), and the decision
// records name server, tool and (masked) arguments.
import { McpError } from '@modelcontextprotocol/sdk/types.js';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DecisionRecord } from '../../src/durable/decision-types';
import { clientKey, eventually } from '../proxy/support/clients';
import { call, fetchWithEnv, json } from '../worker/support/http';
import { ADMIN, publish } from '../worker/support/publish';
import { connect, executed, ORIGIN, rugPull } from './support/client';
import { INJECTED_PAGE } from './support/mcp-server';

const POLICIES = `
metadata: { id: mcp-tools }
rules:
  - id: no-repo-deletion
    condition: { operator: eq, field: mcp.tool.name, value: delete_repo }
    action: { decision: deny, reason: "{{mcp.tool.name}} is not allowed through the gateway" }
  - id: restricted-team-allowlist
    condition:
      operator: and
      conditions:
        - { operator: eq, field: team.id, value: team-restricted }
        - { operator: exists, field: mcp.tool.name }
        - { operator: not_in, field: mcp.tool.name, value: [search_docs] }
    action: { decision: deny, reason: "team-restricted may use search_docs only" }
  - id: pinned-definitions
    condition: { operator: eq, field: mcp.tool.definitionChanged, value: true }
    action: { decision: deny, reason: "the definition of {{mcp.tool.name}} changed since it was pinned" }
  - id: large-transfers
    condition:
      operator: and
      conditions:
        - { operator: eq, field: mcp.tool.name, value: transfer_funds }
        - { operator: gt, field: mcp.tool.arguments.amount, value: 100 }
    action: { decision: needs_approval, reason: "transfers above 100 need a person's approval" }
  - id: injected-tool-output
    stage: response
    condition: { operator: gte, field: response.injectionScore, value: 0.7 }
    action: { decision: deny, reason: "the tool output looks like a prompt injection" }
  - id: redact-tool-output
    stage: response
    condition: { operator: eq, field: response.containsPII, value: true }
    action: { decision: modify, obligations: [{ type: redact_pii }] }
`;

let agentKey: string;
let restrictedKey: string;
let approverKey: string;

beforeAll(async () => {
  await publish(POLICIES, '1.0.0');
  agentKey = await clientKey({ team: { id: 'team-agents' }, user: { id: 'agent-1' } });
  restrictedKey = await clientKey({ team: { id: 'team-restricted' }, user: { id: 'agent-2' } });
  approverKey = await clientKey({ team: { id: 'team-ops' }, user: { id: 'ops-lead', roles: ['approver'] } } as never);
});

const names = (tools: { name: string }[]) => tools.map((t) => t.name).sort();

async function callError(promise: Promise<unknown>): Promise<McpError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(McpError);
  return error as McpError;
}

async function mcpRecords(): Promise<DecisionRecord[]> {
  const res = await call('/v1/decisions?limit=200', { token: ADMIN });
  return (await json<{ records: DecisionRecord[] }>(res)).records.filter((r) => r.source === 'mcp');
}

describe.each(['tools', 'tools-json'])('through /mcp/%s', (server) => {
  it('lists only the tools the caller may use, keeping the session', async () => {
    const agent = await connect(agentKey, server);
    expect(agent.transport.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(names((await agent.client.listTools()).tools)).toEqual(['fetch_page', 'search_docs', 'transfer_funds', 'weather']);
    const restricted = await connect(restrictedKey, server);
    expect(names((await restricted.client.listTools()).tools)).toEqual(['search_docs']);
  });

  it('passes an allowed call and its answer through', async () => {
    const agent = await connect(agentKey, server);
    const result = await agent.client.callTool({ name: 'search_docs', arguments: { query: `pins via ${server}` } });
    expect(result.content).toEqual([{ type: 'text', text: `3 results for pins via ${server}` }]);
    expect(await executed()).toContainEqual({ name: 'search_docs', arguments: { query: `pins via ${server}` } });
  });

  it('answers a denied call with a JSON-RPC error naming the reason; the server never runs it', async () => {
    const agent = await connect(agentKey, server);
    const error = await callError(agent.client.callTool({ name: 'delete_repo', arguments: { name: `prod-${server}` } }));
    expect(error.code).toBe(-32001);
    expect(error.message).toContain('denied by policy: delete_repo is not allowed through the gateway');
    expect(error.data).toMatchObject({ code: 'policy_denied', bundle: '1.0.0' });
    expect((await executed()).some((c) => c.arguments.name === `prod-${server}`)).toBe(false);
    // The allowlist refuses the calls of the tools it hides, not only their listing.
    const restricted = await connect(restrictedKey, server);
    expect((await callError(restricted.client.callTool({ name: 'weather', arguments: { city: 'Oslo' } }))).message).toContain('team-restricted may use search_docs only');
  });

  it('denies a tool result that carries a prompt injection, and redacts PII in another', async () => {
    const agent = await connect(agentKey, server);
    const error = await callError(agent.client.callTool({ name: 'fetch_page', arguments: { url: 'https://evil.example/page' } }));
    expect(error.message).toContain('tool result denied by policy: the tool output looks like a prompt injection');
    expect(JSON.stringify(error)).not.toContain(INJECTED_PAGE);
    const contact = await agent.client.callTool({ name: 'fetch_page', arguments: { url: `https://example.com/contact?${server}` } });
    expect(contact.content).toEqual([{ type: 'text', text: 'Contact our support lead at [REDACTED:EMAIL] for help.' }]);
  });
});

describe('tool approvals over MCP', () => {
  it('refuses a large transfer with an approval id; once approved, the identical call passes once', async () => {
    const agent = await connect(agentKey);
    const args = { amount: 500, to: 'acct-approval-mcp' };
    const refused = await callError(agent.client.callTool({ name: 'transfer_funds', arguments: args }));
    expect(refused.code).toBe(-32002);
    const { approvalId } = refused.data as { approvalId: string };
    expect(approvalId).toMatch(/^apr_/);

    const listed = await json<{ approvals: any[] }>(await call('/v1/approvals', { token: approverKey }));
    expect(listed.approvals.find((a) => a.id === approvalId)).toMatchObject({
      status: 'pending',
      what: 'mcp tools tools/call transfer_funds',
      why: ["transfers above 100 need a person's approval"],
      summary: { server: 'tools', tool: 'transfer_funds', arguments: args },
      who: { userId: 'agent-1', teamId: 'team-agents' },
    });
    expect((await call(`/v1/approvals/${approvalId}/approve`, { token: approverKey, body: { note: 'invoice 42' } })).status).toBe(200);

    agent.headers['x-approval-id'] = approvalId;
    // Other arguments under the same grant: refused, and the server never sees them.
    const other = await callError(agent.client.callTool({ name: 'transfer_funds', arguments: { ...args, amount: 5000 } }));
    expect(other.message).toContain(`approval ${approvalId} was not applied: it was granted for a different request`);
    const passed = await agent.client.callTool({ name: 'transfer_funds', arguments: args });
    expect(passed.content).toEqual([{ type: 'text', text: 'sent 500 to acct-approval-mcp' }]);
    const replay = await callError(agent.client.callTool({ name: 'transfer_funds', arguments: args }));
    expect(replay.message).toContain(`approval ${approvalId} was not applied: it was already used`);
    expect((await executed()).filter((c) => c.arguments.to === 'acct-approval-mcp')).toEqual([{ name: 'transfer_funds', arguments: args }]);
  });
});

describe('decision records', () => {
  it('name the server, the tool and the arguments, masked by MASK_FIELDS', async () => {
    const req = new Request(`${ORIGIN}/mcp/tools`, {
      method: 'POST',
      headers: { authorization: `Bearer ${agentKey}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'x-request-id': 'mcp-masked-1' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'delete_repo', arguments: { name: 'secret-repo', reason: 'cleanup' } } }),
    });
    const res = await fetchWithEnv(req, { MASK_FIELDS: 'mcp.tool.arguments.name' } as never);
    expect(await res.json()).toMatchObject({ jsonrpc: '2.0', id: 7, error: { code: -32001, data: { code: 'policy_denied' } } });
    const [record] = await eventually(async () => (await mcpRecords()).filter((r) => r.requestId === 'mcp-masked-1'), (r) => r.length === 1, 'masked record');
    expect(record).toMatchObject({
      decision: 'deny',
      decidingRules: ['mcp-tools/no-repo-deletion'],
      tags: { mcp_server: 'tools', mcp_tool: 'delete_repo' },
      context: { mcp: { server: 'tools', method: 'tools/call', tool: { name: 'delete_repo', arguments: { name: '***', reason: 'cleanup' } } } },
    });
  });
});

describe('bad requests and configuration', () => {
  const post = (path: string, body: unknown, token = agentKey) =>
    new Request(`${ORIGIN}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const ping = { jsonrpc: '2.0', id: 1, method: 'ping' };

  it('answers one clear error for an unknown server, a broken MCP_SERVERS, a batch, no key and the GET stream', async () => {
    const unknown = await fetchWithEnv(post('/mcp/nope', ping), {});
    expect([unknown.status, await unknown.json()]).toEqual([404, { error: { code: 'not_found', message: 'no MCP server named "nope" in MCP_SERVERS' } }]);
    const broken = await fetchWithEnv(post('/mcp/tools', ping), { MCP_SERVERS: '{"tools": "ftp://x"}' } as never);
    expect([broken.status, await broken.json()]).toEqual([503, { error: { code: 'misconfigured', message: 'MCP_SERVERS: tools: expected an http(s) URL, got "ftp://x"' } }]);
    const batch = await fetchWithEnv(post('/mcp/tools', [ping, ping]), {});
    expect(batch.status).toBe(400);
    expect(await batch.json()).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32600 } });
    expect((await fetchWithEnv(post('/mcp/tools', ping, 'lpe_not-a-key'), {})).status).toBe(401);
    const stream = await fetchWithEnv(new Request(`${ORIGIN}/mcp/tools`, { headers: { authorization: `Bearer ${agentKey}` } }), {});
    expect([stream.status, stream.headers.get('allow')]).toEqual([405, 'POST, DELETE']);
  });
});

describe('tool definition pinning', () => {
  it('pins each definition on first sight; a changed one is hidden and its calls denied', async () => {
    const before = await connect(agentKey);
    expect(names((await before.client.listTools()).tools)).toContain('weather');
    expect((await before.client.callTool({ name: 'weather', arguments: { city: 'Oslo' } })).content).toEqual([{ type: 'text', text: 'sunny in Oslo' }]);

    await rugPull();
    const after = await connect(agentKey);
    expect(names((await after.client.listTools()).tools)).toEqual(['fetch_page', 'search_docs', 'transfer_funds']);
    const error = await callError(after.client.callTool({ name: 'weather', arguments: { city: 'Oslo' } }));
    expect(error.message).toContain('the definition of weather changed since it was pinned');
    const list = await eventually(async () => (await mcpRecords()).filter((r) => r.tags.tools_changed === 'weather'), (r) => r.length > 0, 'list record');
    expect(list[0].tags).toMatchObject({ mcp_method: 'tools/list', tools_hidden: 'delete_repo,weather', tools_listed: '3' });
  });
});
