// Agent sessions: x-agent-session / x-agent-step become agent.sessionId / agent.step on the proxy
// and on /v1/evaluate, and budgets and rate limits scoped on agent.sessionId cap one run of an
// agent (the README recipe: steps and dollars per session) without touching other sessions.
import OpenAI, { APIError } from 'openai';
import { beforeAll, describe, expect, it } from 'vitest';
import { call, json } from '../worker/support/http';
import { ADMIN, publish } from '../worker/support/publish';
import { clientKey, openai } from './support/clients';

const POLICIES = `
metadata: { id: agent-limits }
rules:
  - id: allow-all
    condition: true
    action: { decision: allow }
  - id: too-many-steps
    condition: { operator: gt, field: agent.step, value: 50 }
    action: { decision: deny, reason: "session {{agent.sessionId}} is at step {{agent.step}}: agents stop at 50" }
budgets:
  - id: session-spend
    scope: agent.sessionId
    window: month
    limit: { costUsd: 5 }
rateLimits:
  - id: session-steps
    scope: agent.sessionId
    window: day
    limit: { requests: 3 }
`;

const MODEL = 'gpt-4o-mini';
const ASK = [{ role: 'user' as const, content: 'next step' }];
let key: string;

beforeAll(async () => {
  await publish(POLICIES, '1.0.0');
  key = await clientKey({ team: { id: 'team-agents' } });
});

const session = (id: string, step?: number) => ({ 'x-agent-session': id, ...(step === undefined ? {} : { 'x-agent-step': String(step) }) });

describe('agent sessions on the proxy', () => {
  it('caps the model calls of one session, not of others or of calls without a session', async () => {
    const client = openai(key, session('run-a'));
    for (let i = 0; i < 3; i++) await client.chat.completions.create({ model: MODEL, messages: ASK });
    const fourth = await client.chat.completions.create({ model: MODEL, messages: ASK }).catch((e: unknown) => e);
    expect(fourth).toBeInstanceOf(OpenAI.RateLimitError);
    expect((fourth as APIError).code).toBe('rate_limited');

    await expect(openai(key, session('run-b')).chat.completions.create({ model: MODEL, messages: ASK })).resolves.toBeDefined();
    await expect(openai(key).chat.completions.create({ model: MODEL, messages: ASK })).resolves.toBeDefined();

    const steps = await json<{ used: { requests: number } }>(await call('/v1/budgets/session-steps/run-a', { token: ADMIN }));
    expect(steps.used.requests).toBe(3);
    // The session's dollars are counted: as used, or while this isolate holds a lease on the
    // budget (lease: auto), as leased until the lease goes back.
    const spend = await json<{ used: { costUsd: number }; leased: { costUsd: number } }>(await call('/v1/budgets/session-spend/run-a', { token: ADMIN }));
    expect(spend.used.costUsd + spend.leased.costUsd).toBeGreaterThan(0);
  });

  it('shows the step to rules, and refuses a malformed header', async () => {
    const late = await openai(key, session('run-c', 51)).chat.completions.create({ model: MODEL, messages: ASK }).catch((e: unknown) => e);
    expect((late as APIError).status).toBe(403);
    expect((late as APIError).message).toContain('session run-c is at step 51: agents stop at 50');

    const bad = await openai(key, session('run-c', -1)).chat.completions.create({ model: MODEL, messages: ASK }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(OpenAI.BadRequestError);
    expect((bad as APIError).message).toContain('x-agent-step: a non-negative integer');
  });
});

describe('agent sessions on /v1/evaluate', () => {
  it('puts the headers into the context, over an agent object the caller sent', async () => {
    const res = await call('/v1/evaluate', { token: key, headers: session('run-d', 60), body: { context: { agent: { step: 1, sessionId: 'other' } } } });
    const decision = await json(res);
    expect(decision).toMatchObject({ decision: 'deny', reasons: ['session run-d is at step 60: agents stop at 50'] });
    const without = await json(await call('/v1/evaluate', { token: key, body: { context: { agent: { step: 1 } } } }));
    expect(without.decision).toBe('allow');
  });
});
