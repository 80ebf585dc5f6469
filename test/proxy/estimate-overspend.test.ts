// Issue 14, security 4: proxy budgets overspent 52× because the estimate saw only the message
// text and one answer. A request must reserve what it can use: n answers of max output tokens,
// the tool and JSON schemas it sends, its images; and the settle records what the upstream
// reported, whatever the estimate was.
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { beforeAll, describe, expect, it } from 'vitest';
import { IMAGE_TOKENS } from '../../src/worker/proxy/estimate-extras';
import { call, json } from '../worker/support/http';
import { ADMIN, publish } from '../worker/support/publish';
import { anthropic, clientKey, eventually, openai } from './support/clients';

// 5,000 tokens a day per team; every request below asks for 200 output tokens, so without the
// parts the old estimate ignored, each one fits easily.
const POLICIES = `
metadata: { id: overspend }
rules:
  - id: allow-all
    condition: true
    action: { decision: allow }
budgets:
  - id: team-tokens
    scope: team.id
    window: day
    limit: { tokens: 5000 }
`;

const HELLO = [{ role: 'user' as const, content: 'Say hello' }];

beforeAll(async () => {
  await publish(POLICIES, '1.0.0');
});

async function clientFor(team: string, headers: Record<string, string> = {}): Promise<OpenAI> {
  return openai(await clientKey({ team: { id: team } }), headers);
}

async function used(team: string): Promise<{ used: { tokens: number; requests: number }; reserved: { requests: number } }> {
  return json(await call(`/v1/budgets/team-tokens/${team}`, { token: ADMIN }));
}

describe('the estimate counts what a request can use', () => {
  it('reserves n answers: n: 50 of 200 tokens does not fit 5,000 tokens', async () => {
    const client = await clientFor('overspend-n');
    const error = await client.chat.completions.create({ model: 'gpt-4o-mini', max_tokens: 200, n: 50, messages: HELLO }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect((error as InstanceType<typeof OpenAI.RateLimitError>).code).toBe('budget_exceeded');
    // The same request with one answer fits.
    await expect(client.chat.completions.create({ model: 'gpt-4o-mini', max_tokens: 200, messages: HELLO })).resolves.toBeDefined();
  });

  it('counts the tool schemas sent as input', async () => {
    const client = await clientFor('overspend-tools');
    const huge = Array.from({ length: 6000 }, (_, i) => `field${i % 97}`).join(' ');
    const tools = [{ type: 'function' as const, function: { name: 'lookup', description: huge, parameters: { type: 'object', properties: {} } } }];
    const error = await client.chat.completions.create({ model: 'gpt-4o-mini', max_tokens: 200, tools, messages: HELLO }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
  });

  it('counts a response_format JSON schema as input', async () => {
    const client = await clientFor('overspend-schema');
    const properties = Object.fromEntries(Array.from({ length: 900 }, (_, i) => [`answer_field_${i}`, { type: 'string', description: `the ${i}th part of the answer` }]));
    const error = await client.chat.completions
      .create({ model: 'gpt-4o-mini', max_tokens: 200, messages: HELLO, response_format: { type: 'json_schema', json_schema: { name: 'big', schema: { type: 'object', properties } } } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
  });

  it(`counts every image part (${IMAGE_TOKENS} tokens each): four images do not fit 5,000 tokens`, async () => {
    const client = await clientFor('overspend-images');
    const image = { type: 'image_url' as const, image_url: { url: 'https://example.com/cat.png' } };
    const error = await client.chat.completions
      .create({ model: 'gpt-4o-mini', max_tokens: 200, messages: [{ role: 'user', content: [{ type: 'text', text: 'What is this?' }, image, image, image, image] }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    // Anthropic image blocks count the same way.
    const claude = anthropic(await clientKey({ team: { id: 'overspend-images-claude' } }));
    const block = { type: 'image' as const, source: { type: 'base64' as const, media_type: 'image/png' as const, data: 'iVBORw0KGgo=' } };
    const refused = await claude.messages
      .create({ model: 'claude-3-5-haiku-latest', max_tokens: 200, messages: [{ role: 'user', content: [block, block, block, block] }] })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(Anthropic.RateLimitError);
  });

  it('settles what the upstream reported, above the estimate', async () => {
    // 200 tokens reserved for the output, 4,000 reported by the upstream.
    const client = await clientFor('overspend-settle', { 'x-fake-output-tokens': '4000' });
    await client.chat.completions.create({ model: 'gpt-4o-mini', max_tokens: 200, messages: HELLO });
    const state = await eventually(() => used('overspend-settle'), (s) => s.used.requests === 1 && s.reserved.requests === 0, 'settled');
    expect(state.used.tokens).toBeGreaterThanOrEqual(4000);
    // The budget is now nearly spent: the next request with the same reservation is refused.
    const next = await client.chat.completions.create({ model: 'gpt-4o-mini', max_tokens: 1000, messages: HELLO }).catch((e: unknown) => e);
    expect(next).toBeInstanceOf(OpenAI.RateLimitError);
  });
});
