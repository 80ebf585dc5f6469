// When the upstream fails or the client leaves: upstream errors pass through with their status,
// a silent upstream times out (504 before the answer, an error event inside a stream), a stream
// that breaks or reports an error ends the way the SDKs expect, and in every case the budget
// reservation is settled.
import Anthropic from '@anthropic-ai/sdk';
import { env } from 'cloudflare:test';
import OpenAI, { APIError } from 'openai';
import { beforeAll, describe, expect, it } from 'vitest';
import { queryDecisions } from '../../src/durable/decisions-client';
import type { DecisionsEnv } from '../../src/durable/env';
import { countPromptTokens, countTokens } from '../../src/enrich/index';
import { call, json } from '../worker/support/http';
import { ADMIN, publish } from '../worker/support/publish';
import { anthropic, clientKey, eventually, newTrace, openai, received } from './support/clients';

const POLICIES = `
metadata: { id: failures }
rules:
  - id: allow-all
    condition: true
    action: { decision: allow }
# Each test reads what its failure left at the counter right after the call; with a lease the
# counter learns it only when the lease goes back (test/proxy/budget-leases.test.ts).
budgets:
  - id: team-spend
    scope: team.id
    window: month
    limit: { costUsd: 10 }
    lease: off
`;

const MODEL = 'gpt-4o-mini';
const HELLO = [{ role: 'user' as const, content: 'Say hello' }];
const PROMPT_TOKENS = countPromptTokens({ messages: HELLO }, MODEL);

beforeAll(async () => {
  await publish(POLICIES, '1.0.0');
});

interface BudgetState {
  used: { costUsd: number; tokens: number; requests: number };
  reserved: { requests: number };
}

/** A fresh team (so a fresh budget counter) and its key. */
async function team(name: string): Promise<{ key: string; settled: () => Promise<BudgetState> }> {
  const key = await clientKey({ team: { id: name } });
  const read = async () => json<BudgetState>(await call(`/v1/budgets/team-spend/${name}`, { token: ADMIN }));
  return { key, settled: () => eventually(read, (s) => s.used.requests === 1 && s.reserved.requests === 0, `${name} settled`) };
}

describe('upstream errors', () => {
  it('passes a 500 through in its own shape; nothing is spent but the request', async () => {
    const t = await team('team-500');
    const error = await openai(t.key, { 'x-fake-status': '500' })
      .chat.completions.create({ model: MODEL, max_tokens: 100, messages: HELLO })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.InternalServerError);
    expect((error as APIError).status).toBe(500);
    expect((error as APIError).message).toContain('fake upstream failure (500)');
    expect((await t.settled()).used).toEqual({ costUsd: 0, tokens: 0, requests: 1 });
  });

  it('answers 504 upstream_timeout when the upstream is silent past UPSTREAM_TIMEOUT_MS, keeping the estimate as spend', async () => {
    const t = await team('team-timeout');
    const trace = newTrace();
    const error = await openai(t.key, { 'x-fake-delay-ms': '6000', 'x-fake-trace': trace, 'x-request-id': trace })
      .chat.completions.create({ model: MODEL, max_tokens: 100, messages: HELLO })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.InternalServerError);
    expect((error as APIError).status).toBe(504);
    expect((error as APIError).code).toBe('upstream_timeout');
    expect((await t.settled()).used.tokens).toBe(PROMPT_TOKENS + 100);
    const page = await eventually(() => queryDecisions(env as unknown as DecisionsEnv, { team: 'team-timeout' }), (p) => p.records.length === 1, 'timeout record');
    expect(page.records[0]).toMatchObject({ requestId: trace, decision: 'allow', tags: { upstream: 'timeout' } });
  });

  // Without response rules the answer's body goes down as it arrives (answer-json.ts): a provider
  // that stalls mid-body is cut off by the same deadline, the caller's body ends in an error, and
  // the settle and the record are those of a timeout.
  it('cuts off a JSON answer that stalls mid-body past UPSTREAM_TIMEOUT_MS, keeping the estimate as spend', async () => {
    const t = await team('team-body-stall');
    const trace = newTrace();
    const error = await openai(t.key, { 'x-fake-body-stall-ms': '6000', 'x-fake-trace': trace, 'x-request-id': trace })
      .chat.completions.create({ model: MODEL, max_tokens: 100, messages: HELLO })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((await t.settled()).used.tokens).toBe(PROMPT_TOKENS + 100);
    const page = await eventually(() => queryDecisions(env as unknown as DecisionsEnv, { team: 'team-body-stall' }), (p) => p.records.length === 1, 'stall record');
    expect(page.records[0]).toMatchObject({ requestId: trace, decision: 'allow', tags: { upstream: 'timeout' } });
  });

  it('ends a stream whose upstream goes quiet with an upstream_timeout error event', async () => {
    const t = await team('team-stream-timeout');
    const stream = await openai(t.key, { 'x-fake-chunk-delay-ms': '5000' }).chat.completions.create({ model: MODEL, stream: true, messages: HELLO });
    const error = await drain(stream).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as APIError).code).toBe('upstream_timeout');
    expect((await t.settled()).used.tokens).toBe(PROMPT_TOKENS);
  });

  it('keeps a stream going past UPSTREAM_TIMEOUT_MS in total while each chunk comes within it', async () => {
    const t = await team('team-stream-slow');
    const stream = await openai(t.key, { 'x-fake-chunk-delay-ms': '1000', 'x-fake-reply': 'one two three four' })
      .chat.completions.create({ model: MODEL, stream: true, messages: HELLO });
    let text = '';
    await drain(stream, (chunk) => (text += chunk.choices[0]?.delta?.content ?? ''));
    expect(text).toBe('one two three four');
    expect((await t.settled()).used.tokens).toBeGreaterThan(PROMPT_TOKENS);
  }, 20_000);
});

describe('streams that break', () => {
  it("relays the provider's own mid-stream error event (OpenAI) and settles the text streamed so far", async () => {
    const t = await team('team-midstream-openai');
    const stream = await openai(t.key, { 'x-fake-error-after': '2' }).chat.completions.create({ model: MODEL, stream: true, messages: HELLO });
    let text = '';
    const error = await drain(stream, (c) => (text += c.choices[0]?.delta.content ?? '')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as APIError).message).toContain('fake upstream failure');
    expect(text).toBe('Hello from ');
    expect((await t.settled()).used.tokens).toBe(PROMPT_TOKENS + countTokens('Hello from ', MODEL));
  });

  it("relays Anthropic's error event, which the SDK raises", async () => {
    const t = await team('team-midstream-anthropic');
    const stream = await anthropic(t.key, { 'x-fake-error-after': '2' }).messages.create({ model: 'claude-3-5-haiku-latest', max_tokens: 100, stream: true, messages: HELLO });
    const error = await (async () => {
      for await (const _ of stream) void _;
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.APIError);
    expect((error as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({ type: 'error', error: { type: 'overloaded_error' } });
    await t.settled();
  });

  it('ends a stream whose upstream connection breaks with an upstream_error event', async () => {
    const t = await team('team-dropped');
    const stream = await openai(t.key, { 'x-fake-drop-after': '2' }).chat.completions.create({ model: MODEL, stream: true, messages: HELLO });
    let text = '';
    const error = await drain(stream, (c) => (text += c.choices[0]?.delta.content ?? '')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as APIError).code).toBe('upstream_error');
    expect(text).toBe('Hello from ');
    expect((await t.settled()).used.tokens).toBe(PROMPT_TOKENS + countTokens('Hello from ', MODEL));
  });
});

describe('a client that goes away', () => {
  it('aborts the upstream stream and settles what was streamed', async () => {
    const t = await team('team-abort-stream');
    const trace = newTrace();
    const stream = await openai(t.key, { 'x-fake-trace': trace, 'x-fake-repeat': '100', 'x-fake-chunk-delay-ms': '40' }).chat.completions.create({
      model: MODEL,
      stream: true,
      messages: HELLO,
    });
    let chunks = 0;
    for await (const _ of stream) if (++chunks === 4) break; // leaving the loop aborts the request
    const state = await t.settled();
    expect(state.used.tokens).toBeGreaterThan(PROMPT_TOKENS);
    expect(state.used.tokens).toBeLessThan(PROMPT_TOKENS + 100);
    const [up] = await eventually(() => received(trace), (r) => r[0]?.closedEarly === true, 'upstream call aborted');
    expect(up.closedEarly).toBe(true);
  });

  it('settles a JSON call whose client aborted while waiting', async () => {
    const t = await team('team-abort-json');
    const controller = new AbortController();
    const pending = openai(t.key, { 'x-fake-delay-ms': '500' }).chat.completions.create({ model: MODEL, max_tokens: 100, messages: HELLO }, { signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    expect(await pending.catch((e: unknown) => e)).toBeInstanceOf(OpenAI.APIUserAbortError);
    const state = await t.settled();
    expect(state.used.requests).toBe(1);
  });
});

async function drain<T>(stream: AsyncIterable<T>, each: (chunk: T) => void = () => undefined): Promise<void> {
  for await (const chunk of stream) each(chunk);
}
