import { calcPrice } from '@pydantic/genai-prices';
import { describe, expect, it } from 'vitest';
import { estimateCost } from '../../src/enrich/index';

const usage = { inputTokens: 1234, outputTokens: 567 };
const reference = (model: string, providerId?: string, input = usage.inputTokens, output = usage.outputTokens): number | undefined =>
  calcPrice({ input_tokens: input, output_tokens: output }, model, providerId ? { providerId } : undefined)?.total_price;

describe('estimateCost', () => {
  it.each([
    ['gpt-4o', undefined], ['gpt-4o-mini', 'openai'], ['gpt-4', undefined], ['o3-mini', undefined],
    ['claude-3-5-sonnet-20241022', undefined], ['claude-sonnet-4-5', 'anthropic'], ['gemini-2.5-flash', undefined],
    ['gpt-4o', 'azure'], ['mistral-large-latest', undefined],
  ])('prices %s (provider %s) as the price package does', (model, provider) => {
    const expected = reference(model, provider);
    expect(expected).toBeGreaterThan(0);
    expect(estimateCost({ model, provider, ...usage })).toBeCloseTo(expected!, 10);
  });

  it('uses the published rates (gpt-4o: $2.50 in, $10 out per million)', () => {
    expect(estimateCost({ model: 'gpt-4o', inputTokens: 1_000_000, outputTokens: 0 })).toBe(2.5);
    expect(estimateCost({ model: 'gpt-4o', inputTokens: 0, outputTokens: 1_000_000 })).toBe(10);
  });

  it('follows tiered prices (long-context Claude Sonnet 4.5 above 200k input tokens)', () => {
    const long = estimateCost({ model: 'claude-sonnet-4-5', inputTokens: 300_000, outputTokens: 1000 });
    expect(long).toBeCloseTo(reference('claude-sonnet-4-5', undefined, 300_000, 1000)!, 10);
    const short = estimateCost({ model: 'claude-sonnet-4-5', inputTokens: 100_000, outputTokens: 1000 })!;
    expect(long! / 3).toBeGreaterThan(short); // the per-token rate rises past the tier
  });

  it('is undefined for a model the price table does not know, never a guess', () => {
    expect(estimateCost({ model: 'totally-unknown-model', ...usage })).toBeUndefined();
    expect(estimateCost({ model: 'llama-3.1-70b', ...usage })).toBeUndefined();
  });

  it('trusts a provider the table knows: no fallback to another provider for a model it does not serve', () => {
    expect(estimateCost({ provider: 'groq', model: 'gpt-4o', ...usage })).toBeUndefined();
  });

  it('falls back to the model name for a provider the table does not know, and strips routing prefixes', () => {
    const direct = estimateCost({ model: 'gpt-4o', ...usage });
    expect(estimateCost({ provider: 'my-gateway', model: 'gpt-4o', ...usage })).toBe(direct);
    expect(estimateCost({ model: 'openai/gpt-4o', ...usage })).toBe(direct);
    expect(estimateCost({ model: 'text-embedding-3-small', inputTokens: 1000, outputTokens: 0 })).toBeCloseTo(reference('text-embedding-3-small', 'openai', 1000, 0)!, 12);
  });

  it('is undefined for invalid token counts or an empty model', () => {
    expect(estimateCost({ model: 'gpt-4o', inputTokens: -1, outputTokens: 0 })).toBeUndefined();
    expect(estimateCost({ model: 'gpt-4o', inputTokens: Number.NaN, outputTokens: 0 })).toBeUndefined();
    expect(estimateCost({ model: 'gpt-4o', inputTokens: 1, outputTokens: Infinity })).toBeUndefined();
    expect(estimateCost({ model: '', ...usage })).toBeUndefined();
  });

  it('rounds away floating-point noise', () => {
    const cost = estimateCost({ model: 'gpt-4o', inputTokens: 1234, outputTokens: 567 })!;
    expect(String(cost)).toBe('0.008755');
  });

  it('gives the same answer on repeated (cached) lookups', () => {
    const first = estimateCost({ model: 'claude-3-5-haiku-latest', ...usage });
    expect(first).toBeGreaterThan(0);
    for (let i = 0; i < 3; i++) expect(estimateCost({ model: 'claude-3-5-haiku-latest', ...usage })).toBe(first);
  });
});
