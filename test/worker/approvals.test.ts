// Approvals end to end in workerd: a needs_approval refusal (LLM proxy via the official openai
// SDK, and /v1/evaluate) files a request in the real Approvals object; an approver lists and
// decides it over HTTP (and through `llm-policy approvals`); the identical retry with
// x-approval-id passes once. Replays, other requests, expired and denied grants are refused, the
// approver role is required, and every grant and refusal is in the decision log.
import { env, runInDurableObject, SELF } from 'cloudflare:test';
import OpenAI, { APIError } from 'openai';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Approvals } from '../../src/durable/approvals';
import { approvalsQueue } from '../../src/durable/approvals-client';
import type { DecisionRecord } from '../../src/durable/decision-types';
import type { ApprovalsEnv } from '../../src/durable/env';
import { runApprovalsAction, type ApprovalsAction } from '../../src/cli/commands/approvals';
import { memoryIo } from '../../src/cli/io';
import { clientKey, eventually, newTrace, openai, received } from '../proxy/support/clients';
import { call, json } from './support/http';
import { ADMIN, publish } from './support/publish';

const POLICIES = `
metadata: { id: approvals }
rules:
  - id: o1-needs-approval
    condition: { operator: eq, field: llm.model, value: o1-needs-approval }
    action: { decision: needs_approval, reason: "o1 needs a manager's approval" }
`;

let agentKey: string;
let approverKey: string;
let plainKey: string;

beforeAll(async () => {
  await publish(POLICIES, '1.0.0');
  agentKey = await clientKey({ team: { id: 'team-appr' }, user: { id: 'appr-agent' } });
  approverKey = await clientKey({ team: { id: 'team-ops' }, user: { id: 'ops-lead', roles: ['approver'] } } as never);
  plainKey = await clientKey({ team: { id: 'team-ops' }, user: { id: 'not-an-approver' } });
});

const queue = approvalsQueue(env as unknown as ApprovalsEnv);

afterEach(async () => {
  await runInDurableObject(queue as DurableObjectStub<Approvals>, (instance) => {
    (instance as unknown as { clock: () => number }).clock = () => Date.now();
  });
});

const ask = (content: string) => ({ model: 'o1-needs-approval', messages: [{ role: 'user' as const, content }] });

/** The refusal of a chat completion, as the SDK raises it. */
async function refusal(client: OpenAI, content: string): Promise<APIError> {
  const error = await client.chat.completions.create(ask(content)).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(APIError);
  expect((error as APIError).status).toBe(403);
  expect((error as APIError).code).toBe('approval_required');
  return error as APIError;
}

const idOf = (e: APIError) => e.headers?.get('x-approval-id') ?? '';
const approve = (id: string, token = approverKey, note?: string) => call(`/v1/approvals/${id}/approve`, { token, body: note ? { note } : {} });

async function records(): Promise<DecisionRecord[]> {
  return (await json<{ records: DecisionRecord[] }>(await call('/v1/decisions?limit=500', { token: ADMIN }))).records;
}

describe('approvals on the LLM proxy', () => {
  it('refuses with an approval id; once approved, the identical retry passes exactly once', async () => {
    const trace = newTrace();
    const first = await refusal(openai(agentKey), 'wire the quarterly report');
    const id = idOf(first);
    expect(id).toMatch(/^apr_[0-9a-f]{24}$/);
    expect(first.message).toContain(`approval required: o1 needs a manager's approval; approval id ${id}`);

    const pending = await json<{ approvals: any[] }>(await call('/v1/approvals', { token: approverKey }));
    expect(pending.approvals.find((a) => a.id === id)).toMatchObject({
      status: 'pending',
      who: { userId: 'appr-agent', teamId: 'team-appr' },
      what: 'proxy openai chat.completions o1-needs-approval',
      why: ["o1 needs a manager's approval"],
      summary: { provider: 'openai', endpoint: 'chat.completions', model: 'o1-needs-approval', prompt: expect.stringContaining('wire the quarterly report') },
      requestHash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    const approved = await approve(id, approverKey, 'quarter end');
    expect(approved.status).toBe(200);
    expect((await json(approved)).approval).toMatchObject({ status: 'approved', decidedBy: 'ops-lead', note: 'quarter end' });

    const retry = openai(agentKey, { 'x-approval-id': id, 'x-fake-trace': trace });
    const { data, response } = await retry.chat.completions.create(ask('wire the quarterly report')).withResponse();
    expect(data.choices[0].message.content).toBe('Hello from the fake upstream.');
    expect(response.headers.get('x-policy-decision')).toBe('allow');

    const replay = await refusal(retry, 'wire the quarterly report');
    expect(replay.message).toContain(`approval ${id} was not applied: it was already used`);
    expect(idOf(replay)).not.toBe(id);
    expect(await received(trace)).toHaveLength(1);

    // The replay's record comes last (a later flush): wait for it too.
    const mine = await eventually(records, (rs) => rs.filter((r) => r.tags.approval === id).length >= 3 && rs.some((r) => r.tags.approval_presented === id), 'approval records');
    const byId = mine.filter((r) => r.tags.approval === id);
    expect(byId.map((r) => [r.source, r.decision, r.tags.approval_status ?? r.tags.decided_by]).sort()).toEqual([
      ['approval', 'approval_granted', 'ops-lead'],
      ['proxy', 'allow', 'granted'],
      ['proxy', 'needs_approval', 'pending'],
    ]);
    expect(mine.find((r) => r.tags.approval_presented === id)).toMatchObject({ decision: 'needs_approval', tags: { approval_refused: 'used' } });
  });

  it('refuses a grant presented with a different request', async () => {
    const id = idOf(await refusal(openai(agentKey), 'pay invoice 1'));
    expect((await approve(id)).status).toBe(200);
    const other = await refusal(openai(agentKey, { 'x-approval-id': id }), 'pay invoice 2, and 3');
    expect(other.message).toContain(`approval ${id} was not applied: it was granted for a different request`);
    // The grant itself is not spent by the mismatch: the right request still passes.
    const ok = await openai(agentKey, { 'x-approval-id': id }).chat.completions.create(ask('pay invoice 1'));
    expect(ok.choices[0].message.content).toBe('Hello from the fake upstream.');
  });

  it('refuses an expired grant (15 minutes by default)', async () => {
    const id = idOf(await refusal(openai(agentKey), 'late request'));
    expect((await approve(id)).status).toBe(200);
    const later = Date.now() + 15 * 60_000 + 1000;
    await runInDurableObject(queue as DurableObjectStub<Approvals>, (instance) => {
      (instance as unknown as { clock: () => number }).clock = () => later;
    });
    const expired = await refusal(openai(agentKey, { 'x-approval-id': id }), 'late request');
    expect(expired.message).toContain(`approval ${id} was not applied: it expired`);
  });

  it('refuses a denied request, and records the denial with its note', async () => {
    const id = idOf(await refusal(openai(agentKey), 'delete the backups'));
    expect((await call(`/v1/approvals/${id}/deny`, { token: approverKey, body: { note: 'no' } })).status).toBe(200);
    expect((await approve(id)).status).toBe(409);
    const denied = await refusal(openai(agentKey, { 'x-approval-id': id }), 'delete the backups');
    expect(denied.message).toContain(`approval ${id} was not applied: it was denied`);
    const [record] = await eventually(async () => (await records()).filter((r) => r.source === 'approval' && r.tags.approval === id), (r) => r.length === 1, 'denial record');
    expect(record).toMatchObject({ decision: 'approval_denied', subject: { userId: 'appr-agent', teamId: 'team-appr' }, tags: { note: 'no', decided_by: 'ops-lead' } });
  });

  it('a retry while still pending keeps the same approval id', async () => {
    const id = idOf(await refusal(openai(agentKey), 'still waiting'));
    const again = await refusal(openai(agentKey, { 'x-approval-id': id }), 'still waiting');
    expect(idOf(again)).toBe(id);
  });
});

describe('who may decide', () => {
  it('refuses a plain client key on the approval routes; the admin token and approvers may', async () => {
    const id = idOf(await refusal(openai(agentKey), 'who decides'));
    for (const res of [await call('/v1/approvals', { token: plainKey }), await approve(id, plainKey), await approve(id, agentKey)]) {
      expect(res.status).toBe(403);
      expect((await json(res)).error.code).toBe('forbidden');
    }
    expect((await call('/v1/approvals', { token: ADMIN })).status).toBe(200);
    expect((await approve(id, ADMIN)).status).toBe(200);
    expect((await call('/v1/approvals')).status).toBe(401);
  });

  it('an approver cannot approve a request their own key filed', async () => {
    const id = idOf(await refusal(openai(approverKey), 'approve myself'));
    const res = await approve(id, approverKey);
    expect(res.status).toBe(403);
    expect((await json(res)).error.message).toContain('their own key');
  });
});

describe('approvals on /v1/evaluate', () => {
  it('carries the approval id in the Decision; the identical context passes once when approved', async () => {
    const body = { context: { llm: { model: 'o1-needs-approval', prompt: 'evaluate me' } } };
    const first = await json(await call('/v1/evaluate', { token: agentKey, body }));
    expect(first).toMatchObject({ decision: 'needs_approval', allowed: false, approval: { status: 'pending', id: expect.stringMatching(/^apr_/) } });
    const id = first.approval.id as string;
    expect((await approve(id)).status).toBe(200);
    const other = await json(await call('/v1/evaluate', { token: agentKey, body: { context: { llm: { model: 'o1-needs-approval', prompt: 'something else' } } }, headers: { 'x-approval-id': id } }));
    expect(other).toMatchObject({ decision: 'needs_approval', approval: { message: expect.stringContaining('granted for a different request') } });
    const granted = await json(await call('/v1/evaluate', { token: agentKey, body, headers: { 'x-approval-id': id } }));
    expect(granted).toMatchObject({ decision: 'allow', allowed: true, approval: { id, status: 'granted' } });
    const replay = await json(await call('/v1/evaluate', { token: agentKey, body, headers: { 'x-approval-id': id } }));
    expect(replay).toMatchObject({ decision: 'needs_approval', approval: { message: expect.stringContaining('already used') } });
  });
});

describe('llm-policy approvals', () => {
  // The command's action against this worker (its argv parsing runs in Node: test/cli/approvals.test.ts).
  const cli = async (action: ApprovalsAction['action'], id?: string, note?: string) => {
    const io = memoryIo();
    const viaWorker = ((input: RequestInfo | URL, init?: RequestInit) => SELF.fetch(input as string, init)) as typeof fetch;
    const request: ApprovalsAction = { action, id, note, url: 'https://policy.example.com', token: approverKey };
    const code = await runApprovalsAction(request, io, viaWorker).catch((e: Error) => {
      io.err(e.message);
      return 1;
    });
    return { code, out: io.stdout, err: io.stderr };
  };

  it('lists, approves and denies', async () => {
    const a = idOf(await refusal(openai(agentKey), 'cli approve'));
    const b = idOf(await refusal(openai(agentKey), 'cli deny'));
    const list = await cli('list');
    expect(list.err).toBe('');
    expect(list.code).toBe(0);
    expect(list.out).toMatch(new RegExp(`^${a}  pending  appr-agent@team-appr  proxy openai chat.completions o1-needs-approval  \\(o1 needs a manager's approval\\)`, 'm'));
    expect((await cli('approve', a, 'ok by cli')).out).toMatch(new RegExp(`^approved ${a}: the identical retry`));
    expect((await cli('deny', b)).out).toBe(`denied ${b}\n`);
    expect(((await queue.get(a)) as { note?: string } | null)?.note).toBe('ok by cli');
    const again = await cli('approve', b);
    expect(again.code).toBe(1);
    expect(again.err).toContain(`409 conflict: approval ${b} is denied`);
  });
});
