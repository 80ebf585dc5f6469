// The proxy's admission reads budget state for conditions through the isolate's 1 s cache
// (src/worker/decision/budget-cache.ts), as /v1/evaluate does, with the cache's clock injected:
// a second proxied call within the TTL is judged on the state the first one read (spend made
// behind the cache's back, as another isolate's would be, does not show until the TTL passes),
// while a reservation the proxy itself makes drops the cached state, so the next admission in
// this isolate sees it at once.
import { env } from 'cloudflare:test';
import OpenAI, { APIError } from 'openai';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { reserveAll } from '../../src/durable/budgets-client';
import type { BudgetsEnv } from '../../src/durable/env';
import type { Budget } from '../../src/policy/types';
import { BUDGET_STATE_TTL_MS, clearBudgetCache, setBudgetCacheClock } from '../../src/worker/decision/budget-cache';
import { publish } from '../worker/support/publish';
import { clientKey, openai } from './support/clients';

const realEnv = env as unknown as BudgetsEnv;

const POLICIES = `
metadata: { id: cached-budget-state }
rules:
  - id: allow-all
    condition: true
    action: { decision: allow }
  - id: stop-when-low
    condition: { operator: lt, field: budget.cached-tokens.remaining.tokens, value: 5000 }
    action: { decision: deny, reason: "low: {{budget.cached-tokens.remaining.tokens}} tokens left" }
budgets:
  - id: cached-tokens
    scope: user.id
    window: month
    limit: { tokens: 10000 }
`;

// As the bundle states it: the cache's key includes the limit, so spend made directly must name the same budget.
const CACHED_TOKENS: Budget = { id: 'cached-tokens', scope: 'user.id', window: 'month', limit: { tokens: 10000 } };
const HELLO = [{ role: 'user' as const, content: 'Say hello' }];

beforeAll(async () => {
  await publish(POLICIES, '1.0.0');
});

afterEach(() => {
  setBudgetCacheClock(undefined);
  clearBudgetCache();
});

function frozenClock(): { now: number } {
  const clock = { now: Date.now() };
  setBudgetCacheClock(() => clock.now);
  return clock;
}

/** The error a proxied call ends with (undefined when it succeeds). */
async function callError(client: OpenAI, maxTokens: number): Promise<unknown> {
  return client.chat.completions.create({ model: 'gpt-4o', max_tokens: maxTokens, messages: HELLO }).then(
    () => undefined,
    (e: unknown) => e,
  );
}

function remainingIn(error: unknown): number {
  expect(error).toBeInstanceOf(OpenAI.PermissionDeniedError);
  const match = /low: (\d+) tokens left/.exec((error as APIError).message);
  expect(match).not.toBeNull();
  return Number(match![1]);
}

describe('budget state for conditions on proxied calls', () => {
  it('reads the counter once for two calls within the TTL, and again after it', async () => {
    const user = 'cache-proxy-ttl';
    const context = { user: { id: user } };
    const client = openai(await clientKey({ user: { id: user } }));
    const clock = frozenClock();

    // Spend behind the cache's back (as another isolate would): 4000 tokens left, under the rule's 5000.
    expect(await reserveAll(realEnv, [CACHED_TOKENS], [], context, { tokens: 6000 }, 'cache-proxy-ttl-1')).toMatchObject({ ok: true });
    expect(remainingIn(await callError(client, 10))).toBe(4000);

    // More spend behind its back; within the TTL the second call is judged on the first read.
    expect(await reserveAll(realEnv, [CACHED_TOKENS], [], context, { tokens: 1000 }, 'cache-proxy-ttl-2')).toMatchObject({ ok: true });
    clock.now += BUDGET_STATE_TTL_MS - 1;
    expect(remainingIn(await callError(client, 10))).toBe(4000);

    // Past the TTL the counter is read again.
    clock.now += 1;
    expect(remainingIn(await callError(client, 10))).toBe(3000);
  });

  it("shows the proxy's own reservation to the next admission in the isolate at once", async () => {
    const user = 'cache-proxy-reserve';
    const client = openai(await clientKey({ user: { id: user } }), { 'x-fake-output-tokens': '6000' });
    frozenClock(); // time stands still: nothing expires from the cache on its own

    // The first call reads 10000 left (and caches it), is allowed, and reserves 9 + 6000 tokens.
    expect(await callError(client, 6000)).toBeUndefined();

    // Its reserve dropped the cached state: the next admission sees ~4000 left and the rule denies.
    // (Served the stale 10000, the rule would allow it and the budget would refuse it with 429.)
    const remaining = remainingIn(await callError(client, 6000));
    expect(remaining).toBeGreaterThanOrEqual(10000 - 6012); // settled: 12 prompt + 6000 output tokens
    expect(remaining).toBeLessThanOrEqual(10000 - 6009); // still reserved: 9 prompt + 6000 output tokens
  });
});
