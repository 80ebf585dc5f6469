// The Anthropic route through the official `@anthropic-ai/sdk`: messages as JSON and SSE, the
// refusals in Anthropic's error shape, obligations on system, messages and tool results, and the
// provider key swap (the SDK authenticates with x-api-key).
import Anthropic from '@anthropic-ai/sdk';
import { SELF } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { publish } from '../worker/support/publish';
import { anthropic, clientKey, newTrace, ORIGIN, received } from './support/clients';

const POLICIES = `
metadata: { id: proxy-anthropic }
rules:
  - id: deny-opus-on-free
    condition:
      operator: and
      conditions:
        - { operator: eq, field: team.tier, value: free }
        - { operator: starts_with, field: llm.model, value: claude-opus }
    action: { decision: deny, reason: "{{llm.model}} is not on the free tier" }
  - id: redact-and-clamp
    condition: { operator: eq, field: team.id, value: team-careful }
    action:
      decision: modify
      obligations:
        - { type: redact_pii }
        - { type: set_max_tokens, value: 128 }
        - { type: route_model, model: claude-3-5-haiku-latest }
`;

const REPLY = 'Hello from the fake upstream.';
let freeKey: string;
let carefulKey: string;

beforeAll(async () => {
  await publish(POLICIES, '1.0.0');
  freeKey = await clientKey({ team: { id: 'team-free', tier: 'free' }, user: { id: 'fay' } });
  carefulKey = await clientKey({ team: { id: 'team-careful', tier: 'pro' } });
});

describe('messages', () => {
  it('answers JSON, the upstream seeing the worker key in x-api-key and the anthropic-version kept', async () => {
    const trace = newTrace();
    const { data, response } = await anthropic(freeKey, { 'x-fake-trace': trace })
      .messages.create({ model: 'claude-3-5-haiku-latest', max_tokens: 200, messages: [{ role: 'user', content: 'Say hello' }] })
      .withResponse();
    expect(data.content).toEqual([{ type: 'text', text: REPLY }]);
    expect(data.usage).toMatchObject({ input_tokens: 12, output_tokens: 5 });
    expect(response.headers.get('x-policy-decision')).toBe('allow');
    expect(response.headers.get('x-policy-bundle')).toBe('1.0.0');

    const [up] = await received(trace);
    expect(up.path).toBe('/v1/messages');
    expect(up.headers['x-api-key']).toBe('sk-ant-worker-anthropic-key');
    expect(up.headers.authorization).toBeUndefined();
    // The SDK's own version header passes unchanged.
    expect(up.headers['anthropic-version']).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(JSON.stringify(up.headers)).not.toContain(freeKey);
  });

  it('sets anthropic-version when the caller sends none', async () => {
    const trace = newTrace();
    const res = await SELF.fetch(`${ORIGIN}/proxy/anthropic/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': freeKey, 'content-type': 'application/json', 'x-fake-trace': trace },
      body: JSON.stringify({ model: 'claude-3-5-haiku-latest', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(res.status).toBe(200);
    expect((await received(trace))[0].headers['anthropic-version']).toBe('2023-06-01');
  });

  it('streams the named events through', async () => {
    const stream = await anthropic(freeKey).messages.create({ model: 'claude-3-5-haiku-latest', max_tokens: 200, stream: true, messages: [{ role: 'user', content: 'Say hello' }] });
    const types: string[] = [];
    let text = '';
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') text += event.delta.text;
    }
    expect(text).toBe(REPLY);
    expect(types[0]).toBe('message_start');
    expect(types.slice(-2)).toEqual(['message_delta', 'message_stop']);
  });

  it('works with the SDK stream helper too', async () => {
    const message = await anthropic(freeKey).messages.stream({ model: 'claude-3-5-haiku-latest', max_tokens: 200, messages: [{ role: 'user', content: 'Say hello' }] }).finalMessage();
    expect(message.content).toEqual([{ type: 'text', text: REPLY }]);
    expect(message.usage.output_tokens).toBe(5);
  });

  it('denies in the Anthropic error shape: PermissionDeniedError with error.type policy_denied', async () => {
    const trace = newTrace();
    const error = await anthropic(freeKey, { 'x-fake-trace': trace })
      .messages.create({ model: 'claude-opus-4-1', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.PermissionDeniedError);
    const e = error as InstanceType<typeof Anthropic.PermissionDeniedError>;
    expect(e.status).toBe(403);
    expect(e.error).toEqual({ type: 'error', error: { type: 'policy_denied', message: 'denied by policy: claude-opus-4-1 is not on the free tier' } });
    expect(e.headers?.get('x-policy-decision')).toBe('deny');
    expect(await received(trace)).toEqual([]);
  });

  it('redacts system, message parts and tool results, clamps max_tokens and routes the model', async () => {
    const trace = newTrace();
    await anthropic(carefulKey, { 'x-fake-trace': trace }).messages.create({
      model: 'claude-haiku-4-5',
      max_tokens: 4096,
      system: [{ type: 'text', text: 'The account owner is owner@example.com.' }],
      messages: [
        { role: 'user', content: 'My card is 4111 1111 1111 1111.' },
        { role: 'assistant', content: [{ type: 'tool_use', id: 'tu_1', name: 'lookup', input: { q: 'x' } }] },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'tu_1', content: [{ type: 'text', text: 'Found ip 203.0.113.7' }] },
            { type: 'text', text: 'SSN 123-45-6789?' },
          ],
        },
      ],
    });
    const [up] = await received(trace);
    expect(up.body.model).toBe('claude-3-5-haiku-latest');
    expect(up.body.max_tokens).toBe(128);
    expect(up.body.system).toEqual([{ type: 'text', text: 'The account owner is [REDACTED:EMAIL].' }]);
    expect(up.body.messages[0].content).toBe('My card is [REDACTED:CREDIT_CARD].');
    expect(up.body.messages[1].content).toEqual([{ type: 'tool_use', id: 'tu_1', name: 'lookup', input: { q: 'x' } }]);
    expect(up.body.messages[2].content[0].content[0].text).toBe('Found ip [REDACTED:IP_ADDRESS]');
    expect(up.body.messages[2].content[1].text).toBe('SSN [REDACTED:SSN]?');
  });

  it('answers an unknown key with 401 in the Anthropic shape', async () => {
    const error = await anthropic('lpe_unknown')
      .messages.create({ model: 'claude-3-5-haiku-latest', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.AuthenticationError);
    expect((error as InstanceType<typeof Anthropic.AuthenticationError>).error).toMatchObject({ type: 'error', error: { type: 'unauthorized' } });
  });

  it('passes an upstream overload (529) through as the SDK expects it', async () => {
    const error = await anthropic(freeKey, { 'x-fake-status': '529' })
      .messages.create({ model: 'claude-3-5-haiku-latest', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.InternalServerError);
    expect((error as InstanceType<typeof Anthropic.APIError>).status).toBe(529);
    expect((error as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({ error: { type: 'overloaded_error' } });
  });
});
