// Budgets and rate limits on proxied calls, against the real BudgetCounter objects: reserving the
// estimate, refusing with 429 (RateLimitError in the SDK), settling with the real usage of JSON
// answers and of streams (with and without the caller asking for usage, and without any usage),
// budget state visible to conditions, and a stream cut short when its budget runs out.
import Anthropic from '@anthropic-ai/sdk';
import { env } from 'cloudflare:test';
import OpenAI, { APIError } from 'openai';
import { beforeAll, describe, expect, it } from 'vitest';
import { queryDecisions } from '../../src/durable/decisions-client';
import type { DecisionsEnv } from '../../src/durable/env';
import { countPromptTokens, countTokens, estimateCost } from '../../src/enrich/index';
import { call, json } from '../worker/support/http';
import { ADMIN, publish } from '../worker/support/publish';
import { anthropic, clientKey, eventually, openai, type Subject } from './support/clients';

const POLICIES = `
metadata: { id: spend }
rules:
  - id: allow-all
    condition: true
    action: { decision: allow }
  - id: stop-when-low
    condition:
      operator: and
      conditions:
        - { operator: eq, field: user.id, value: frugal-user }
        - { operator: lt, field: budget.user-spend.remaining.costUsd, value: 0.03 }
    action: { decision: deny, reason: "user budget low: {{budget.user-spend.remaining.costUsd}} USD left" }
budgets:
  # These tests read the settled usage at the counter right after each call; with a lease the
  # counter learns it only when the lease goes back (test/proxy/budget-leases.test.ts).
  - id: team-spend
    scope: team.id
    window: month
    limit: { costUsd: 0.05 }
    lease: off
  - id: user-spend
    scope: user.id
    window: month
    limit: { costUsd: 0.05 }
  - id: project-tokens
    scope: project.id
    window: day
    limit: { tokens: 1500 }
rateLimits:
  - id: mailbox-rate
    scope: user.email
    window: day
    limit: { requests: 2 }
`;

const HELLO = [{ role: 'user' as const, content: 'Say hello' }];
const REPLY = 'Hello from the fake upstream.';

beforeAll(async () => {
  await publish(POLICIES, '1.0.0');
});

interface BudgetState {
  used: { costUsd: number; tokens: number; requests: number };
  reserved: { costUsd: number; tokens: number; requests: number };
  remaining: Record<string, number>;
}

async function budget(id: string, scope: string): Promise<BudgetState> {
  return json<BudgetState>(await call(`/v1/budgets/${id}/${encodeURIComponent(scope)}`, { token: ADMIN }));
}

/** The state once every reservation is settled (settlement runs after the response). */
function settled(id: string, scope: string, requests: number): Promise<BudgetState> {
  return eventually(() => budget(id, scope), (s) => s.used.requests === requests && s.reserved.requests === 0, `${id}/${scope} settled`);
}

async function keyFor(subject: Subject): Promise<string> {
  return clientKey(subject);
}

describe('a $0.05 team budget and ~$0.02 requests', () => {
  it('serves two and refuses the third with 429 budget_exceeded and retry-after at the month end', async () => {
    const key = await keyFor({ team: { id: 'team-series' } });
    // gpt-4o: 9 prompt tokens + 2000 output tokens reserve $0.0200225; the answer reports 2000.
    const client = openai(key, { 'x-fake-output-tokens': '2000' });
    const ask = (requestId: string) => client.chat.completions.create({ model: 'gpt-4o', max_tokens: 2000, messages: HELLO }, { headers: { 'x-request-id': requestId } });
    await ask('series-1');
    await ask('series-2');
    const error = await ask('series-3').catch((e: unknown) => e);

    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    const e = error as InstanceType<typeof OpenAI.RateLimitError>;
    expect(e.status).toBe(429);
    expect(e.code).toBe('budget_exceeded');
    expect(e.message).toContain('team-spend');
    const now = new Date();
    const monthEnd = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1);
    expect(Math.abs(Number(e.headers?.get('retry-after')) - (monthEnd - Date.now()) / 1000)).toBeLessThan(30);
    expect(e.headers?.get('x-should-retry')).toBe('false');
    expect(e.headers?.get('x-policy-decision')).toBe('budget_exceeded');

    const perCall = estimateCost({ provider: 'openai', model: 'gpt-4o', inputTokens: 12, outputTokens: 2000 })!;
    const state = await settled('team-spend', 'team-series', 2);
    expect(state.used.costUsd).toBeCloseTo(2 * perCall, 6);
    expect(state.used.tokens).toBe(2 * 2012);

    const records = await eventually(
      () => queryDecisions(env as unknown as DecisionsEnv, { decision: 'budget_exceeded', team: 'team-series' }),
      (p) => p.records.length === 1,
      'budget_exceeded record',
    );
    expect(records.records[0]).toMatchObject({ requestId: 'series-3', source: 'proxy', decision: 'budget_exceeded', tags: { budget: 'team-spend' } });
  });

  it('shows budget state to conditions: a rule on budget.<id>.remaining denies before the budget does', async () => {
    const key = await keyFor({ team: { id: 'team-frugal' }, user: { id: 'frugal-user' } });
    const client = openai(key, { 'x-fake-output-tokens': '2000' });
    await client.chat.completions.create({ model: 'gpt-4o', max_tokens: 2000, messages: HELLO });
    await settled('user-spend', 'frugal-user', 1);
    const error = await client.chat.completions.create({ model: 'gpt-4o', max_tokens: 2000, messages: HELLO }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.PermissionDeniedError);
    expect((error as APIError).message).toMatch(/user budget low: 0\.029\d+ USD left/);
  });
});

describe('rate limits', () => {
  it('refuses past the limit with 429 rate_limited (RateLimitError) and a retry-after', async () => {
    const key = await keyFor({ team: { id: 'team-rl' }, user: { id: 'rl-user', email: 'rl@example.com' } as Subject['user'] });
    const client = anthropic(key);
    const ask = () => client.messages.create({ model: 'claude-3-5-haiku-latest', max_tokens: 16, messages: HELLO });
    await ask();
    await ask();
    const error = await ask().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.RateLimitError);
    const e = error as InstanceType<typeof Anthropic.RateLimitError>;
    expect(e.error).toMatchObject({ type: 'error', error: { type: 'rate_limited' } });
    expect(Number(e.headers?.get('retry-after'))).toBeGreaterThan(0);
  });
});

describe('settling with the real usage', () => {
  const model = 'gpt-4o-mini';
  const priced = (inputTokens: number, outputTokens: number) => estimateCost({ provider: 'openai', model, inputTokens, outputTokens })!;

  it('settles a JSON answer from its usage object', async () => {
    const key = await keyFor({ team: { id: 'team-settle-json' } });
    await openai(key, { 'x-fake-output-tokens': '40' }).chat.completions.create({ model, max_tokens: 500, messages: HELLO });
    const state = await settled('team-spend', 'team-settle-json', 1);
    expect(state.used.tokens).toBe(12 + 40);
    expect(state.used.costUsd).toBeCloseTo(priced(12, 40), 6);
  });

  it('settles a stream from the usage chunk the gateway asked for (caller did not)', async () => {
    const key = await keyFor({ team: { id: 'team-settle-hidden' } });
    const stream = await openai(key, { 'x-fake-output-tokens': '77' }).chat.completions.create({ model, stream: true, messages: HELLO });
    for await (const chunk of stream) expect(chunk.usage ?? undefined).toBeUndefined();
    const state = await settled('team-spend', 'team-settle-hidden', 1);
    expect(state.used.tokens).toBe(12 + 77);
    expect(state.used.costUsd).toBeCloseTo(priced(12, 77), 6);
  });

  it('settles a stream whose caller asked for usage the same way', async () => {
    const key = await keyFor({ team: { id: 'team-settle-asked' } });
    const stream = await openai(key, { 'x-fake-output-tokens': '77' }).chat.completions.create({ model, stream: true, stream_options: { include_usage: true }, messages: HELLO });
    let usage: OpenAI.CompletionUsage | undefined | null;
    for await (const chunk of stream) usage = chunk.usage ?? usage;
    expect(usage?.completion_tokens).toBe(77);
    expect((await settled('team-spend', 'team-settle-asked', 1)).used.tokens).toBe(12 + 77);
  });

  it('counts the streamed text with the tokenizer when the stream reports no usage', async () => {
    const key = await keyFor({ team: { id: 'team-settle-counted' } });
    const stream = await openai(key, { 'x-fake-no-usage': 'true' }).chat.completions.create({ model, stream: true, messages: HELLO });
    for await (const _ of stream) void _;
    const expected = countPromptTokens({ messages: HELLO }, model) + countTokens(REPLY, model);
    expect((await settled('team-spend', 'team-settle-counted', 1)).used.tokens).toBe(expected);
  });

  it('settles Responses and Anthropic streams from their own usage events', async () => {
    const responsesKey = await keyFor({ team: { id: 'team-settle-responses' } });
    const r = await openai(responsesKey, { 'x-fake-output-tokens': '33' }).responses.create({ model, stream: true, input: 'Say hello' });
    for await (const _ of r) void _;
    expect((await settled('team-spend', 'team-settle-responses', 1)).used.tokens).toBe(12 + 33);

    const anthropicKey = await keyFor({ team: { id: 'team-settle-anthropic' } });
    const a = await anthropic(anthropicKey, { 'x-fake-output-tokens': '44' }).messages.create({ model: 'claude-3-5-haiku-latest', max_tokens: 100, stream: true, messages: HELLO });
    for await (const _ of a) void _;
    expect((await settled('team-spend', 'team-settle-anthropic', 1)).used.tokens).toBe(12 + 44);
  });
});

describe('a budget running out mid-stream', () => {
  it('ends the stream with a budget_exceeded error event and settles what was streamed', async () => {
    const key = await keyFor({ team: { id: 'team-mid' }, project: { id: 'proj-mid' } });
    // No max tokens: 1,000 output tokens are reserved, then the answer runs to ~3,000 tokens.
    const client = openai(key, { 'x-fake-reply': 'hello', 'x-fake-repeat': '3000', 'x-fake-piece-words': '20', 'x-fake-chunk-delay-ms': '5', 'x-fake-no-usage': 'true' });
    const stream = await client.chat.completions.create({ model: 'gpt-4o-mini', stream: true, messages: HELLO });
    let text = '';
    const error = await (async () => {
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    })().catch((e: unknown) => e);

    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as APIError).code).toBe('budget_exceeded');
    expect((error as APIError).message).toContain('budget exhausted mid-stream');
    expect(text.length).toBeGreaterThan(0);
    expect(text.length).toBeLessThan('hello '.length * 3000);

    const state = await settled('project-tokens', 'proj-mid', 1);
    expect(state.used.tokens).toBeGreaterThan(1500);
    expect(state.used.tokens).toBeLessThan(1500 + 150);
  });
});
