// The per-isolate cache of budget state for `budgets: "check"` and budget.<id> conditions
// (src/worker/decision/budget-cache.ts), against real BudgetCounter objects, with the cache's
// clock injected: a read within the TTL is served from memory (the counter has moved, the
// answer has not), one after it (or after the window's reset) reads the counter again.
import { env } from 'cloudflare:test';
import { afterEach, describe, expect, it } from 'vitest';
import { reserveAll } from '../../src/durable/budgets-client';
import type { BudgetsEnv } from '../../src/durable/env';
import { windowAt } from '../../src/durable/windows';
import { BUDGET_STATE_TTL_MS, cachedBudgetSnapshot, forgetBudgetState, setBudgetCacheClock } from '../../src/worker/decision/budget-cache';
import type { Budget } from '../../src/policy/types';

const realEnv = env as unknown as BudgetsEnv;

function budget(id: string, over: Partial<Budget> = {}): Budget {
  return { id, scope: 'team.id', window: 'month', limit: { costUsd: 10 }, ...over };
}

function clockAt(start: number): { now: number } {
  const clock = { now: start };
  setBudgetCacheClock(() => clock.now);
  return clock;
}

afterEach(() => setBudgetCacheClock(undefined));

describe('the budget state cache', () => {
  it('serves a second read within the TTL from memory and reads the counter again after it', async () => {
    const b = budget('cache-ttl');
    const context = { team: { id: 'team-cache-ttl' } };
    const clock = clockAt(Date.now());
    expect((await cachedBudgetSnapshot(realEnv, [b], context))['cache-ttl'].remaining.costUsd).toBe(10);

    // Spend behind the cache's back (as another isolate would).
    expect(await reserveAll(realEnv, [b], [], context, { costUsd: 4 }, 'cache-ttl-1')).toMatchObject({ ok: true });

    clock.now += BUDGET_STATE_TTL_MS - 1;
    expect((await cachedBudgetSnapshot(realEnv, [b], context))['cache-ttl'].remaining.costUsd).toBe(10);

    clock.now += 1;
    const fresh = (await cachedBudgetSnapshot(realEnv, [b], context))['cache-ttl'];
    expect(fresh.remaining.costUsd).toBe(6);
    expect(fresh.reserved.costUsd).toBe(4);
  });

  it('keeps counters apart by scope value', async () => {
    const b = budget('cache-scope');
    clockAt(Date.now());
    await cachedBudgetSnapshot(realEnv, [b], { team: { id: 'team-a' } });
    await reserveAll(realEnv, [b], [], { team: { id: 'team-b' } }, { costUsd: 3 }, 'cache-scope-1');
    expect((await cachedBudgetSnapshot(realEnv, [b], { team: { id: 'team-b' } }))['cache-scope'].remaining.costUsd).toBe(7);
    expect((await cachedBudgetSnapshot(realEnv, [b], { team: { id: 'team-a' } }))['cache-scope'].remaining.costUsd).toBe(10);
  });

  it('does not serve state past the window reset, even within the TTL', async () => {
    const b = budget('cache-reset');
    const context = { team: { id: 'team-cache-reset' } };
    // The cache's clock 100 ms before the month ends; the counter keeps its own (real) time.
    const clock = clockAt(windowAt('month', Date.now()).end - 100);
    expect((await cachedBudgetSnapshot(realEnv, [b], context))['cache-reset'].reserved.costUsd).toBe(0);
    await reserveAll(realEnv, [b], [], context, { costUsd: 2 }, 'cache-reset-1');
    clock.now += 50;
    expect((await cachedBudgetSnapshot(realEnv, [b], context))['cache-reset'].reserved.costUsd).toBe(0);
    clock.now += 100; // past the reset, 150 ms after the read: well within the TTL
    expect((await cachedBudgetSnapshot(realEnv, [b], context))['cache-reset'].reserved.costUsd).toBe(2);
  });

  it('reads afresh after forgetBudgetState (what a reserve through this isolate does)', async () => {
    const b = budget('cache-forget');
    const context = { team: { id: 'team-cache-forget' } };
    clockAt(Date.now());
    await cachedBudgetSnapshot(realEnv, [b], context);
    await reserveAll(realEnv, [b], [], context, { costUsd: 5 }, 'cache-forget-1');
    forgetBudgetState([b], context);
    expect((await cachedBudgetSnapshot(realEnv, [b], context))['cache-forget'].remaining.costUsd).toBe(5);
  });

  it('leaves out a budget that does not apply, as budgetSnapshot does', async () => {
    clockAt(Date.now());
    expect(await cachedBudgetSnapshot(realEnv, [budget('cache-none')], { user: { id: 'u' } })).toEqual({});
  });
});
