// Response-stage rules (`stage: response`) on answers and streams: a deny replaces a JSON answer
// with 403 policy_denied, or cuts a stream off with the provider's error event before the
// offending text reaches the client; redact_pii rewrites the answer (and the streamed text);
// `usage.*` is visible to conditions. Plus the failure policy: a rule whose evaluation fails
// follows its onError, and the decision record says so.
import Anthropic from '@anthropic-ai/sdk';
import { SELF, env } from 'cloudflare:test';
import OpenAI, { APIError } from 'openai';
import { beforeAll, describe, expect, it } from 'vitest';
import { queryDecisions } from '../../src/durable/decisions-client';
import type { DecisionsEnv } from '../../src/durable/env';
import { publish } from '../worker/support/publish';
import { anthropic, clientKey, eventually, newTrace, openai, ORIGIN } from './support/clients';

const POLICIES = `
metadata: { id: answers }
rules:
  - id: allow-all
    condition: true
    action: { decision: allow }
  - id: no-classified-answers
    stage: response
    condition: { operator: contains, field: response.text, value: PROJECT-NIGHTFALL }
    action: { decision: deny, reason: "answers may not mention classified projects" }
  - id: redact-answer-pii
    stage: response
    condition: { operator: eq, field: response.containsPII, value: true }
    action: { decision: modify, obligations: [{ type: redact_pii }] }
  - id: cap-answer-size
    stage: response
    condition: { operator: gt, field: usage.outputTokens, value: 4000 }
    action: { decision: deny, reason: "answer too long ({{usage.outputTokens}} tokens)" }
  - id: repeat-check
    condition: { operator: eq, field: llm.messages.0.content, valueField: llm.messages.1.content }
    action: { decision: deny, reason: "the first two messages repeat" }
  - id: lenient-repeat-check
    onError: allow
    condition: { operator: eq, field: llm.messages.0.content, valueField: llm.messages.2.content }
    action: { decision: deny, reason: "messages one and three repeat" }
`;

const MODEL = 'gpt-4o-mini';
const HELLO = [{ role: 'user' as const, content: 'Tell me a story' }];
const FILLER = Array.from({ length: 120 }, (_, i) => `word${i}`).join(' ');
const CLASSIFIED = `${FILLER} and then PROJECT-NIGHTFALL began ${FILLER}`;
let key: string;

beforeAll(async () => {
  await publish(POLICIES, '1.0.0');
  key = await clientKey({ team: { id: 'team-answers' } });
});

const reply = (text: string) => ({ 'x-fake-reply': encodeURIComponent(text) });

describe('JSON answers', () => {
  it('replaces a denied answer with 403 policy_denied and records the response-stage decision', async () => {
    const requestId = newTrace();
    const error = await openai(key, { ...reply('The plan is PROJECT-NIGHTFALL.'), 'x-request-id': requestId })
      .chat.completions.create({ model: MODEL, messages: HELLO })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.PermissionDeniedError);
    expect((error as APIError).code).toBe('policy_denied');
    expect((error as APIError).message).toContain('answers may not mention classified projects');
    expect(JSON.stringify((error as APIError).error)).not.toContain('NIGHTFALL');

    const page = await eventually(() => queryDecisions(env as unknown as DecisionsEnv, { rule: 'no-classified-answers' }), (p) => p.records.some((r) => r.requestId === requestId), 'record');
    const record = page.records.find((r) => r.requestId === requestId)!;
    expect(record).toMatchObject({ decision: 'deny', decidingRules: ['answers/no-classified-answers'], tags: { stage: 'response' } });
  });

  it('redacts PII in an answer when a response rule says redact_pii', async () => {
    const out = await openai(key, reply('Write to jane.doe@example.com or call +1 415 555 0132.')).chat.completions.create({ model: MODEL, messages: HELLO });
    expect(out.choices[0].message.content).toBe('Write to [REDACTED:EMAIL] or call [REDACTED:PHONE].');

    const message = await anthropic(key, reply('Mail ops@example.org')).messages.create({ model: 'claude-3-5-haiku-latest', max_tokens: 50, messages: HELLO });
    expect(message.content).toEqual([{ type: 'text', text: 'Mail [REDACTED:EMAIL]' }]);

    const response = await openai(key, reply('Mail ops@example.org')).responses.create({ model: MODEL, input: 'hi' });
    expect(response.output_text).toBe('Mail [REDACTED:EMAIL]');
  });

  it('shows usage to response rules', async () => {
    const error = await openai(key, { 'x-fake-output-tokens': '5000' })
      .chat.completions.create({ model: MODEL, messages: HELLO })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.PermissionDeniedError);
    expect((error as APIError).message).toContain('answer too long (5000 tokens)');
  });
});

describe('streams', () => {
  it('cuts an OpenAI stream off with an error event before the denied text reaches the client', async () => {
    const stream = await openai(key, reply(CLASSIFIED)).chat.completions.create({ model: MODEL, stream: true, messages: HELLO });
    let text = '';
    const error = await (async () => {
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as APIError).code).toBe('policy_denied');
    expect((error as APIError).message).toContain('answers may not mention classified projects');
    // Text flowed before the cut, all of it from before the denied phrase.
    expect(text.length).toBeGreaterThan(0);
    expect(CLASSIFIED.startsWith(text)).toBe(true);
    expect(text).not.toContain('PROJECT');
  });

  it('cuts Anthropic and Responses streams off with their own error events', async () => {
    const a = await anthropic(key, reply(CLASSIFIED)).messages.create({ model: 'claude-3-5-haiku-latest', max_tokens: 2000, stream: true, messages: HELLO });
    let anthropicText = '';
    const anthropicError = await (async () => {
      for await (const e of a) if (e.type === 'content_block_delta' && e.delta.type === 'text_delta') anthropicText += e.delta.text;
    })().catch((e: unknown) => e);
    expect(anthropicError).toBeInstanceOf(Anthropic.APIError);
    expect((anthropicError as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({ type: 'error', error: { type: 'policy_denied' } });
    expect(anthropicText).not.toContain('PROJECT');

    const r = await openai(key, reply(CLASSIFIED)).responses.create({ model: MODEL, stream: true, input: 'hi' });
    let responsesText = '';
    const responsesError = await (async () => {
      for await (const e of r) if (e.type === 'response.output_text.delta') responsesText += e.delta;
    })().catch((e: unknown) => e);
    expect(responsesError).toBeInstanceOf(OpenAI.APIError);
    expect((responsesError as APIError).code).toBe('policy_denied');
    expect(responsesText).not.toContain('PROJECT');
  });

  it('denies a short answer at the end of the stream, before any of its text went out', async () => {
    const stream = await openai(key, reply('PROJECT-NIGHTFALL, briefly.')).chat.completions.create({ model: MODEL, stream: true, messages: HELLO });
    let text = '';
    const error = await (async () => {
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    })().catch((e: unknown) => e);
    expect((error as APIError).code).toBe('policy_denied');
    expect(text).toBe('');
  });

  it('redacts PII spread over several stream events', async () => {
    const answer = `${FILLER} call me on +1 415 555 0132 tomorrow ${FILLER}`;
    const stream = await openai(key, reply(answer)).chat.completions.create({ model: MODEL, stream: true, messages: HELLO });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe(answer.replace('+1 415 555 0132', '[REDACTED:PHONE]'));
  });

  it('passes a clean stream through whole', async () => {
    const stream = await anthropic(key, reply(FILLER)).messages.create({ model: 'claude-3-5-haiku-latest', max_tokens: 2000, stream: true, messages: HELLO });
    let text = '';
    for await (const e of stream) if (e.type === 'content_block_delta' && e.delta.type === 'text_delta') text += e.delta.text;
    expect(text).toBe(FILLER);
  });
});

describe('a rule whose evaluation fails', () => {
  // Equal, very deeply nested contents: comparing them runs out of stack inside the engine.
  const deep = '['.repeat(50_000) + ']'.repeat(50_000);
  const send = (messages: string) =>
    SELF.fetch(`${ORIGIN}/proxy/openai/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'x-request-id': newTrace() },
      body: `{"model":"${MODEL}","messages":${messages}}`,
    });

  it('denies by default (onError: deny for deny rules) and the record says so', async () => {
    const res = await send(`[{"role":"user","content":${deep}},{"role":"user","content":${deep}}]`);
    expect(res.status).toBe(403);
    const requestId = res.headers.get('x-request-id')!;
    const page = await eventually(() => queryDecisions(env as unknown as DecisionsEnv, { team: 'team-answers', decision: 'deny' }), (p) => p.records.some((r) => r.requestId === requestId), 'record');
    const record = page.records.find((r) => r.requestId === requestId)!;
    expect(record.onError).toMatchObject({ mode: 'deny', rules: ['answers/repeat-check'] });
  });

  it('lets the request through past an onError: allow rule, and the record says so', async () => {
    const res = await send(`[{"role":"user","content":${deep}},{"role":"user","content":"hi"},{"role":"user","content":${deep}}]`);
    expect(res.headers.get('x-policy-decision')).toBe('allow');
    expect(res.status).toBe(200);
    const requestId = res.headers.get('x-request-id')!;
    const page = await eventually(() => queryDecisions(env as unknown as DecisionsEnv, { team: 'team-answers', decision: 'allow' }), (p) => p.records.some((r) => r.requestId === requestId), 'record');
    const record = page.records.find((r) => r.requestId === requestId)!;
    expect(record.onError).toMatchObject({ mode: 'allow', rules: ['answers/lenient-repeat-check'] });
  });
});
