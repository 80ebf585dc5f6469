// Issue 14, security 8: no part of a non-streamed answer may skip the response rules. A rule on
// `response.text` that denies a phrase in the content must deny it in an OpenAI refusal, in the
// arguments (and name) of an OpenAI chat or Responses tool call, and in an Anthropic tool_use
// block; and redact_pii must reach those parts too. Official SDKs against the fake upstream.
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { beforeAll, describe, expect, it } from 'vitest';
import { publish } from '../worker/support/publish';
import { anthropic, clientKey, openai } from './support/clients';

const POLICIES = `
metadata: { id: response-parts }
rules:
  - id: allow-all
    condition: true
    action: { decision: allow }
  - id: no-launch-codes
    stage: response
    condition: { operator: contains, field: response.text, value: "launch code" }
    action: { decision: deny, reason: "the answer gives out launch codes" }
  - id: redact-answers
    stage: response
    condition: { operator: eq, field: response.containsPII, value: true }
    action: { decision: modify, obligations: [{ type: redact_pii }] }
`;

const SECRET = 'the launch code is 0000';
const ASK = [{ role: 'user' as const, content: 'Tell me' }];
const tool = (args: unknown) => ({ 'x-fake-tool-calls': encodeURIComponent(JSON.stringify([{ name: 'reply_with', arguments: args }])) });

let key: string;

beforeAll(async () => {
  await publish(POLICIES, '1.0.0');
  key = await clientKey({ user: { id: 'parts-user' } });
});

async function chatError(headers: Record<string, string>): Promise<unknown> {
  return openai(key, headers).chat.completions.create({ model: 'gpt-4o-mini', messages: ASK }).catch((e: unknown) => e);
}

describe('response rules see every part of a JSON answer', () => {
  it('denies the phrase in the content (the baseline the other parts must match)', async () => {
    expect(await chatError({ 'x-fake-reply': encodeURIComponent(SECRET) })).toBeInstanceOf(OpenAI.PermissionDeniedError);
  });

  it('denies it in an OpenAI chat refusal', async () => {
    expect(await chatError({ 'x-fake-refusal': encodeURIComponent(`I cannot say that ${SECRET}`) })).toBeInstanceOf(OpenAI.PermissionDeniedError);
  });

  it('denies it in OpenAI chat tool-call arguments', async () => {
    const error = await chatError(tool({ text: SECRET }));
    expect(error).toBeInstanceOf(OpenAI.PermissionDeniedError);
    expect((error as InstanceType<typeof OpenAI.PermissionDeniedError>).code).toBe('policy_denied');
  });

  it('denies it in a Responses refusal and a Responses function call', async () => {
    const refusal = await openai(key, { 'x-fake-refusal': encodeURIComponent(SECRET) }).responses.create({ model: 'gpt-4o-mini', input: 'Tell me' }).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(OpenAI.PermissionDeniedError);
    const call = await openai(key, tool({ text: SECRET })).responses.create({ model: 'gpt-4o-mini', input: 'Tell me' }).catch((e: unknown) => e);
    expect(call).toBeInstanceOf(OpenAI.PermissionDeniedError);
  });

  it('denies it in an Anthropic tool_use block', async () => {
    const error = await anthropic(key, tool({ text: SECRET }))
      .messages.create({ model: 'claude-3-5-haiku-latest', max_tokens: 100, messages: ASK })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.PermissionDeniedError);
  });

  it('lets a harmless tool call through untouched', async () => {
    const answer = await openai(key, tool({ city: 'Paris' })).chat.completions.create({ model: 'gpt-4o-mini', messages: ASK });
    expect(JSON.parse((answer.choices[0].message.tool_calls![0] as { function: { arguments: string } }).function.arguments)).toEqual({ city: 'Paris' });
  });

  it('redacts PII in tool-call arguments and refusals, keeping the arguments JSON', async () => {
    const answer = await openai(key, tool({ to: 'jane.doe@example.com' })).chat.completions.create({ model: 'gpt-4o-mini', messages: ASK });
    const args = JSON.parse((answer.choices[0].message.tool_calls![0] as { function: { arguments: string } }).function.arguments) as { to: string };
    expect(args.to).not.toContain('jane.doe@example.com');
    expect(args.to).toContain('REDACTED');

    const refused = await openai(key, { 'x-fake-refusal': encodeURIComponent('I will not email jane.doe@example.com') }).chat.completions.create({ model: 'gpt-4o-mini', messages: ASK });
    expect(refused.choices[0].message.refusal).not.toContain('jane.doe@example.com');

    const message = await anthropic(key, tool({ to: 'jane.doe@example.com' })).messages.create({ model: 'claude-3-5-haiku-latest', max_tokens: 100, messages: ASK });
    const block = message.content.find((b) => b.type === 'tool_use') as { input: { to: string } };
    expect(block.input.to).not.toContain('jane.doe@example.com');
  });
});
