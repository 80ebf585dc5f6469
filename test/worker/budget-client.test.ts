// reserveAll / settleAll / releaseAll / budgetSnapshot against real local BudgetCounter objects.
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { budgetSnapshot, counterStub, releaseAll, reserveAll, settleAll } from '../../src/durable/budgets-client';
import type { BudgetsEnv } from '../../src/durable/env';
import { parseReservationId } from '../../src/durable/reservation-id';
import type { Budget, RateLimit } from '../../src/policy/types';

const realEnv = env as unknown as BudgetsEnv;

/** Budget ids are per test so tests never share counters. */
function budget(id: string, over: Partial<Budget> = {}): Budget {
  return { id, scope: 'team.id', window: 'month', limit: { costUsd: 10 }, ...over };
}

const context = { team: { id: 'team-a' }, user: { id: 'user-1' } };

async function reservedCost(id: string, scopeValue = 'team-a'): Promise<number | undefined> {
  const state = await counterStub(realEnv, 'budget', id, scopeValue).state({ window: 'month', limit: {} });
  return state.reserved.costUsd;
}

/**
 * Fault injection, not a stand-in: counters named in `down` throw like an unreachable object;
 * every other call goes to the real namespace.
 */
function envWithUnreachable(down: string[]): BudgetsEnv {
  const real = realEnv.BUDGETS;
  const namespace = {
    idFromName: (name: string) => ({ name }),
    get: (id: { name: string }) => {
      if (down.includes(id.name)) {
        const fail = async () => {
          throw new Error('Network connection lost.');
        };
        return { reserve: fail, settle: fail, release: fail, state: fail };
      }
      return real.get(real.idFromName(id.name));
    },
  };
  return { BUDGETS: namespace as unknown as BudgetsEnv['BUDGETS'] };
}

describe('reserveAll', () => {
  it('reserves in every applicable budget and rate limit, with routable reservation ids', async () => {
    const budgets = [budget('c1-team'), budget('c1-user', { scope: 'user.id' })];
    const limits: RateLimit[] = [{ id: 'c1-rpm', scope: 'user.id', window: 'minute', limit: { requests: 5, tokens: 1000 } }];
    const result = await reserveAll(realEnv, budgets, limits, context, { costUsd: 1, tokens: 100 }, 'req-1');
    expect(result).toMatchObject({ ok: true, warnings: [] });
    if (!result.ok) return;
    expect(result.reservations.map((r) => [r.kind, r.limitId, r.scopeValue])).toEqual([
      ['budget', 'c1-team', 'team-a'],
      ['budget', 'c1-user', 'user-1'],
      ['rateLimit', 'c1-rpm', 'user-1'],
    ]);
    for (const r of result.reservations) expect(parseReservationId(r.id)).toEqual(r);
    expect(await reservedCost('c1-team')).toBe(1);
    const rpm = await counterStub(realEnv, 'rateLimit', 'c1-rpm', 'user-1').state(limits[0]);
    expect(rpm.reserved).toEqual({ costUsd: 0, tokens: 100, requests: 1 });
  });

  it('skips a budget whose scope field is missing from the context', async () => {
    const result = await reserveAll(realEnv, [budget('c2-project', { scope: 'project.id' }), budget('c2-team')], [], context, { costUsd: 1 }, 'req-2');
    expect(result.ok && result.reservations.map((r) => r.limitId)).toEqual(['c2-team']);
  });

  it('releases the granted holds when another budget refuses', async () => {
    const roomy = budget('c3-roomy');
    const tight = budget('c3-tight', { limit: { costUsd: 0.5 } });
    const result = await reserveAll(realEnv, [roomy, tight], [], context, { costUsd: 1 }, 'req-3');
    expect(result).toMatchObject({ ok: false, code: 'budget_exceeded', budgetId: 'c3-tight' });
    if (result.ok) return;
    expect(result.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(result.message).toMatch(/c3-tight/);
    expect(await reservedCost('c3-roomy')).toBe(0);
    expect(await reservedCost('c3-tight')).toBe(0);
  });

  it('leaks no holds under concurrent partial refusals', async () => {
    const roomy = budget('c4-roomy', { limit: { costUsd: 1000 } });
    const tight = budget('c4-tight', { limit: { costUsd: 3 } });
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) => reserveAll(realEnv, [roomy, tight], [], context, { costUsd: 0.25 }, `c4-${i}`)),
    );
    const admitted = results.filter((r) => r.ok).length;
    expect(admitted).toBe(12);
    expect(await reservedCost('c4-roomy')).toBeCloseTo(admitted * 0.25, 9);
    expect(await reservedCost('c4-tight')).toBeCloseTo(3, 9);
  });

  it('throws on a caller mistake instead of treating it as an outage', async () => {
    await expect(reserveAll(realEnv, [budget('c8-team')], [], context, { costUsd: -1 }, 'c8')).rejects.toThrow(/estimate.costUsd/);
    await expect(reserveAll(realEnv, [budget('c8-team')], [], context, { costUsd: 1 }, '')).rejects.toThrow(/requestId/);
  });

  it('answers rate_limited for a rate limit', async () => {
    const limits: RateLimit[] = [{ id: 'c5-rpm', scope: 'user.id', window: 'minute', limit: { requests: 1 } }];
    expect((await reserveAll(realEnv, [], limits, context, {}, 'c5-a')).ok).toBe(true);
    const second = await reserveAll(realEnv, [budget('c5-team')], limits, context, { costUsd: 1 }, 'c5-b');
    expect(second).toMatchObject({ ok: false, code: 'rate_limited', budgetId: 'c5-rpm' });
    expect(await reservedCost('c5-team')).toBe(0);
  });

  it('lets an onExceed: warn budget through with a warning and still counts its spend', async () => {
    const warnOnly = budget('c6-warn', { limit: { costUsd: 1 }, onExceed: 'warn' });
    const result = await reserveAll(realEnv, [warnOnly], [], context, { costUsd: 2 }, 'c6');
    expect(result).toMatchObject({ ok: true, warnings: [expect.stringMatching(/c6-warn.*over its limit/)] });
    if (!result.ok) return;
    await settleAll(realEnv, result.reservations, { costUsd: 2.5 });
    expect((await budgetSnapshot(realEnv, [warnOnly], context))['c6-warn']).toMatchObject({ used: { costUsd: 2.5 }, remaining: { costUsd: 0 } });
  });

  it('refuses when a counter is unreachable, unless the budget says onUnavailable: allow', async () => {
    const down = envWithUnreachable(['c7-strict:team-a', 'c7-lenient:team-a']);
    const strict = budget('c7-strict');
    const lenient = budget('c7-lenient', { onUnavailable: 'allow' });
    const healthy = budget('c7-healthy');

    const denied = await reserveAll(down, [healthy, strict], [], context, { costUsd: 1 }, 'c7-a');
    expect(denied).toMatchObject({ ok: false, code: 'budget_unavailable', budgetId: 'c7-strict' });
    expect(await reservedCost('c7-healthy')).toBe(0);

    const allowed = await reserveAll(down, [healthy, lenient], [], context, { costUsd: 1 }, 'c7-b');
    expect(allowed).toMatchObject({ ok: true, warnings: [expect.stringMatching(/c7-lenient.*unavailable/)] });
    expect(allowed.ok && allowed.reservations.map((r) => r.limitId)).toEqual(['c7-healthy']);
  });
});

describe('settleAll, releaseAll and budgetSnapshot', () => {
  it('settles every reservation with the actual usage and shows it in the snapshot', async () => {
    const budgets = [budget('s1-team'), budget('s1-user', { scope: 'user.id', limit: { costUsd: 5, tokens: 10_000 } })];
    const result = await reserveAll(realEnv, budgets, [], context, { costUsd: 1, tokens: 500 }, 's1');
    if (!result.ok) throw new Error('expected a grant');
    const settled = await settleAll(realEnv, result.reservations, { costUsd: 0.4, tokens: 320 });
    expect(settled.every((s) => s.ok)).toBe(true);
    const snap = await budgetSnapshot(realEnv, budgets, context);
    expect(snap['s1-team']).toEqual({ used: { costUsd: 0.4, tokens: 320, requests: 1 }, reserved: { costUsd: 0, tokens: 0, requests: 0 }, leased: { costUsd: 0 }, remaining: { costUsd: 9.6 } });
    expect(snap['s1-user'].remaining).toEqual({ costUsd: 4.6, tokens: 9680 });
  });

  it('releaseAll drops the holds; a snapshot leaves out budgets that do not apply', async () => {
    const b = budget('s2-team');
    const result = await reserveAll(realEnv, [b], [], context, { costUsd: 3 }, 's2');
    if (!result.ok) throw new Error('expected a grant');
    expect(await reservedCost('s2-team')).toBe(3);
    expect((await releaseAll(realEnv, result.reservations))[0]).toMatchObject({ ok: true });
    expect(await reservedCost('s2-team')).toBe(0);
    expect(await budgetSnapshot(realEnv, [b, budget('s2-project', { scope: 'project.id' })], context)).toEqual({
      's2-team': { used: { costUsd: 0, tokens: 0, requests: 0 }, reserved: { costUsd: 0, tokens: 0, requests: 0 }, leased: { costUsd: 0 }, remaining: { costUsd: 10 } },
    });
  });

  it('reports an unreachable counter instead of throwing', async () => {
    const down = envWithUnreachable(['s3-team:team-a']);
    const result = await reserveAll(realEnv, [budget('s3-team')], [], context, { costUsd: 1 }, 's3');
    if (!result.ok) throw new Error('expected a grant');
    expect(await settleAll(down, result.reservations, { costUsd: 1 })).toEqual([
      expect.objectContaining({ ok: false, reason: 'unavailable' }),
    ]);
  });

  it('keeps settle and release to the client key that reserved', async () => {
    const result = await reserveAll(realEnv, [budget('s4-team')], [], context, { costUsd: 1 }, 's4', { keyId: 'key-1' });
    if (!result.ok) throw new Error('expected a grant');
    expect((await settleAll(realEnv, result.reservations, { costUsd: 1 }, { keyId: 'key-2' }))[0]).toMatchObject({ ok: false, reason: 'forbidden' });
    expect((await settleAll(realEnv, result.reservations, { costUsd: 1 }, { keyId: 'key-1' }))[0]).toMatchObject({ ok: true });
  });
});
