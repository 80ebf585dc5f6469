// The OpenAI routes through the official `openai` SDK: chat completions (JSON and SSE), the
// Responses API, embeddings; deny and approval refusals; the obligations as the upstream
// received them; the provider key swap; header and query handling.
import { SELF } from 'cloudflare:test';
import OpenAI, { APIError } from 'openai';
import { beforeAll, describe, expect, it } from 'vitest';
import { publish } from '../worker/support/publish';
import { clientKey, newTrace, openai, ORIGIN, received } from './support/clients';

const POLICIES = `
metadata: { id: proxy-openai }
rules:
  - id: deny-blocked-model
    condition: { operator: eq, field: llm.model, value: gpt-blocked }
    action: { decision: deny, reason: "{{llm.model}} is blocked here" }
  - id: approval-for-o1
    condition: { operator: eq, field: llm.model, value: o1-needs-approval }
    action: { decision: needs_approval, reason: "o1 needs a manager's approval" }
  - id: redact-pii
    condition: { operator: eq, field: team.id, value: team-redact }
    action: { decision: modify, obligations: [{ type: redact_pii, types: [email, phone] }] }
  - id: clamp-output
    condition: { operator: eq, field: team.id, value: team-clamp }
    action: { decision: modify, obligations: [{ type: set_max_tokens, value: 64 }] }
  - id: route-legacy
    condition: { operator: eq, field: llm.model, value: gpt-legacy }
    action:
      decision: modify
      obligations:
        - { type: route_model, model: gpt-4o-mini }
        - { type: add_header, name: x-routed-by, value: policy }
        - { type: add_header, name: authorization, value: "Bearer not-from-a-policy" }
`;

const REPLY = 'Hello from the fake upstream.';
let plainKey: string;
let redactKey: string;
let clampKey: string;

beforeAll(async () => {
  await publish(POLICIES, '1.0.0');
  plainKey = await clientKey({ team: { id: 'team-plain' }, user: { id: 'ana' } });
  redactKey = await clientKey({ team: { id: 'team-redact' } });
  clampKey = await clientKey({ team: { id: 'team-clamp' } });
});

describe('chat completions', () => {
  it('answers through the proxy with the policy headers, the upstream seeing only the worker key', async () => {
    const trace = newTrace();
    const { data, response } = await openai(plainKey, { 'x-fake-trace': trace })
      .chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Say hello' }] })
      .withResponse();
    expect(data.choices[0].message.content).toBe(REPLY);
    expect(data.usage).toMatchObject({ prompt_tokens: 12, completion_tokens: 5 });
    expect(response.headers.get('x-policy-decision')).toBe('allow');
    expect(response.headers.get('x-policy-bundle')).toBe('1.0.0');
    expect(response.headers.get('x-request-id')).toMatch(/.+/);

    const [up] = await received(trace);
    expect(up.path).toBe('/v1/chat/completions');
    expect(up.headers.authorization).toBe('Bearer sk-worker-openai-key');
    expect(JSON.stringify(up.headers)).not.toContain(plainKey);
    expect(up.headers['x-request-id']).toBe(response.headers.get('x-request-id'));
    expect(up.body).toMatchObject({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Say hello' }] });
  });

  it('streams chunk by chunk, asking upstream for usage and hiding that chunk from a caller who did not', async () => {
    const trace = newTrace();
    const stream = await openai(plainKey, { 'x-fake-trace': trace }).chat.completions.create({
      model: 'gpt-4o-mini',
      stream: true,
      messages: [{ role: 'user', content: 'Say hello' }],
    });
    const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe(REPLY);
    expect(chunks.length).toBeGreaterThan(4);
    expect(chunks.every((c) => c.choices.length > 0)).toBe(true);
    expect(chunks.some((c) => c.usage)).toBe(false);
    const [up] = await received(trace);
    expect(up.body.stream_options).toEqual({ include_usage: true });
  });

  it('passes the usage chunk to a caller who asked for it', async () => {
    const stream = await openai(plainKey).chat.completions.create({
      model: 'gpt-4o-mini',
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'Say hello' }],
    });
    const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    const last = chunks[chunks.length - 1];
    expect(last.choices).toEqual([]);
    expect(last.usage).toMatchObject({ prompt_tokens: 12, completion_tokens: 5 });
  });

  it('denies with 403 policy_denied, which the SDK raises as PermissionDeniedError, and never calls upstream', async () => {
    const trace = newTrace();
    const error = await openai(plainKey, { 'x-fake-trace': trace })
      .chat.completions.create({ model: 'gpt-blocked', messages: [{ role: 'user', content: 'hi' }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.PermissionDeniedError);
    const e = error as InstanceType<typeof OpenAI.PermissionDeniedError>;
    expect(e.status).toBe(403);
    expect(e.code).toBe('policy_denied');
    expect(e.message).toContain('gpt-blocked is blocked here');
    expect(e.headers?.get('x-policy-decision')).toBe('deny');
    expect(e.headers?.get('x-policy-bundle')).toBe('1.0.0');
    expect(await received(trace)).toEqual([]);
  });

  it('refuses needs_approval with 403 approval_required', async () => {
    const error = await openai(plainKey)
      .chat.completions.create({ model: 'o1-needs-approval', stream: true, messages: [{ role: 'user', content: 'hi' }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.PermissionDeniedError);
    expect((error as APIError).code).toBe('approval_required');
    expect((error as APIError).message).toContain("o1 needs a manager's approval");
  });

  it('redacts PII in every text part of every message before forwarding', async () => {
    const trace = newTrace();
    await openai(redactKey, { 'x-fake-trace': trace }).chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: 'Escalations go to boss@example.com.' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Call me on +1 415 555 0132 please.' },
            { type: 'image_url', image_url: { url: 'https://example.com/cat.png' } },
            { type: 'text', text: 'Or mail jane.doe@example.org.' },
          ],
        },
        { role: 'assistant', content: 'Noted.' },
      ],
    });
    const [up] = await received(trace);
    const sent = JSON.stringify(up.body.messages);
    expect(sent).not.toMatch(/boss@example\.com|jane\.doe@example\.org|555 0132/);
    expect(up.body.messages[0].content).toBe('Escalations go to [REDACTED:EMAIL].');
    expect(up.body.messages[1].content[0].text).toBe('Call me on [REDACTED:PHONE] please.');
    expect(up.body.messages[1].content[1]).toEqual({ type: 'image_url', image_url: { url: 'https://example.com/cat.png' } });
    expect(up.body.messages[1].content[2].text).toBe('Or mail [REDACTED:EMAIL].');
    expect(up.body.messages[2].content).toBe('Noted.');
  });

  it('clamps every max-tokens field the body uses, and sets one when it uses none', async () => {
    const both = newTrace();
    await openai(clampKey, { 'x-fake-trace': both }).chat.completions.create({ model: 'gpt-4o-mini', max_tokens: 1000, max_completion_tokens: 2000, messages: [{ role: 'user', content: 'hi' }] });
    expect((await received(both))[0].body).toMatchObject({ max_tokens: 64, max_completion_tokens: 64 });

    const none = newTrace();
    await openai(clampKey, { 'x-fake-trace': none }).chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
    const noneBody = (await received(none))[0].body;
    expect(noneBody.max_completion_tokens).toBe(64);
    expect(noneBody.max_tokens).toBeUndefined();

    const lower = newTrace();
    await openai(clampKey, { 'x-fake-trace': lower }).chat.completions.create({ model: 'gpt-4o-mini', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] });
    expect((await received(lower))[0].body.max_tokens).toBe(10);
  });

  it('routes the model and adds headers, but never lets a policy header replace the provider key', async () => {
    const trace = newTrace();
    const out = await openai(plainKey, { 'x-fake-trace': trace }).chat.completions.create({ model: 'gpt-legacy', messages: [{ role: 'user', content: 'hi' }] });
    expect(out.model).toBe('gpt-4o-mini');
    const [up] = await received(trace);
    expect(up.body.model).toBe('gpt-4o-mini');
    expect(up.headers['x-routed-by']).toBe('policy');
    expect(up.headers.authorization).toBe('Bearer sk-worker-openai-key');
  });

  it('passes upstream errors through in their own shape and status', async () => {
    const error = await openai(plainKey, { 'x-fake-status': '400' })
      .chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as APIError).message).toContain('fake upstream failure (400)');
    expect((error as APIError).headers?.get('x-policy-decision')).toBe('allow');
  });
});

describe('responses API', () => {
  it('answers JSON and streams, reading instructions and input as the prompt', async () => {
    const trace = newTrace();
    const client = openai(redactKey, { 'x-fake-trace': trace });
    const answer = await client.responses.create({ model: 'gpt-4o-mini', instructions: 'Reply to ops@example.com', input: 'My number is +1 415 555 0132' });
    expect(answer.output_text).toBe(REPLY);

    const stream = await client.responses.create({
      model: 'gpt-4o-mini',
      stream: true,
      input: [{ role: 'user', content: [{ type: 'input_text', text: 'Write to ann@example.com' }] }],
    });
    let text = '';
    let completed = false;
    for await (const event of stream) {
      if (event.type === 'response.output_text.delta') text += event.delta;
      if (event.type === 'response.completed') completed = true;
    }
    expect(text).toBe(REPLY);
    expect(completed).toBe(true);

    const [json, streamed] = await received(trace);
    expect(json.body.instructions).toBe('Reply to [REDACTED:EMAIL]');
    expect(json.body.input).toBe('My number is [REDACTED:PHONE]');
    expect(streamed.body.input[0].content[0].text).toBe('Write to [REDACTED:EMAIL]');
  });

  it('clamps max_output_tokens', async () => {
    const trace = newTrace();
    await openai(clampKey, { 'x-fake-trace': trace }).responses.create({ model: 'gpt-4o-mini', input: 'hi', max_output_tokens: 500 });
    expect((await received(trace))[0].body.max_output_tokens).toBe(64);
  });
});

describe('embeddings', () => {
  it('forwards (redacted) input and returns the vectors the SDK decodes', async () => {
    const trace = newTrace();
    const out = await openai(redactKey, { 'x-fake-trace': trace }).embeddings.create({ model: 'text-embedding-3-small', input: ['plain text', 'mail bob@example.com'] });
    expect(out.data).toHaveLength(2);
    expect(out.data[0].embedding).toEqual([0.25, -0.5, 0.75, 1]);
    const [up] = await received(trace);
    expect(up.body.input).toEqual(['plain text', 'mail [REDACTED:EMAIL]']);
    expect(up.body.max_completion_tokens).toBeUndefined();
  });
});

describe('requests as sent', () => {
  it('drops the query string, hop-by-hop headers, caller credentials and unlisted headers', async () => {
    const trace = newTrace();
    const body = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
    const res = await SELF.fetch(`${ORIGIN}/proxy/openai/v1/chat/completions?api-version=2024-06-01&x=1`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${plainKey}`,
        'content-type': 'application/json',
        'x-fake-trace': trace,
        connection: 'keep-alive, x-connection-scoped',
        'x-connection-scoped': 'only for this hop',
        'keep-alive': 'timeout=5',
        'proxy-authorization': 'Basic abc',
        trailer: 'x-checksum',
        cookie: 'session=secret',
        'x-api-key': 'caller-secret',
        'x-custom': 'not on the allowlist',
        'openai-organization': 'org-of-the-caller',
        'openai-project': 'proj-of-the-caller',
        'user-agent': 'my-app/1.0',
      },
      body,
    });
    expect(res.status).toBe(200);
    const [up] = await received(trace);
    expect(up.query).toBe('');
    for (const name of ['keep-alive', 'x-connection-scoped', 'proxy-authorization', 'trailer', 'cookie', 'x-api-key', 'x-custom', 'openai-organization', 'openai-project']) {
      expect(up.headers[name]).toBeUndefined();
    }
    expect(up.headers['user-agent']).toBe('my-app/1.0');
    expect(up.headers.authorization).toBe('Bearer sk-worker-openai-key');
    expect(Number(up.headers['content-length'])).toBe(new TextEncoder().encode(JSON.stringify(up.body)).length);
  });

  it('takes the client key only as a bearer token: x-api-key is the Anthropic route\'s', async () => {
    for (const token of [plainKey, 'test-admin-token']) {
      const res = await SELF.fetch(`${ORIGIN}/proxy/openai/v1/chat/completions`, {
        method: 'POST',
        headers: { 'x-api-key': token, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }),
      });
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
    }
  });

  it('answers a missing or unknown key with 401 in the OpenAI shape', async () => {
    const error = await openai('lpe_not-a-real-key')
      .chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
    expect((error as APIError).code).toBe('unauthorized');
  });

  it('refuses a body without a model with 400 in the OpenAI shape', async () => {
    const res = await SELF.fetch(`${ORIGIN}/proxy/openai/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${plainKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ messages: [] }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: { message: 'model: required, a non-empty string', type: 'invalid_request', param: null, code: 'invalid_request' } });
  });
});
