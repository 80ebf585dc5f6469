// BudgetCounter against real local Durable Objects in workerd.
import { abortAllDurableObjects, env, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type { BudgetCounter } from '../../src/durable/budget-counter';
import type { LimitSpec } from '../../src/durable/budget-types';
import type { BudgetsEnv } from '../../src/durable/env';

const { BUDGETS } = env as unknown as BudgetsEnv;

function counter(name: string): DurableObjectStub<BudgetCounter> {
  return BUDGETS.get(BUDGETS.idFromName(name));
}

/** Moves the object's clock (test-only: reachable through runInDurableObject, not RPC). */
async function setClock(stub: DurableObjectStub<BudgetCounter>, iso: string): Promise<void> {
  const ms = Date.parse(iso);
  await runInDurableObject(stub, (instance) => {
    (instance as unknown as { clock: () => number }).clock = () => ms;
  });
}

/** The error an RPC call fails with (awaited inside, so the RPC promise is never left unhandled). */
async function failureOf(call: () => Promise<unknown>): Promise<Error> {
  try {
    await call();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected the call to fail');
}

const monthly100: LimitSpec = { window: 'month', limit: { costUsd: 100 } };

describe('BudgetCounter invariant', () => {
  it('admits exactly 333 of 500 concurrent $0.30 reservations against $100', async () => {
    const stub = counter('team-spend:concurrency');
    const results = await Promise.all(
      Array.from({ length: 500 }, (_, i) => stub.reserve(`req-${i}`, { costUsd: 0.3 }, monthly100)),
    );
    expect(results.filter((r) => r.granted)).toHaveLength(333);
    expect(results.filter((r) => !r.granted).every((r) => !r.granted && r.limitedBy === 'costUsd')).toBe(true);
    const state = await stub.state(monthly100);
    expect(state.reserved.costUsd).toBeCloseTo(99.9, 9);
    expect(state.used.costUsd).toBe(0);
    expect(state.remaining.costUsd).toBeCloseTo(0.1, 9);
  });

  it('never lets used + reserved pass the limit under mixed concurrent reserve, settle and release', async () => {
    const stub = counter('team-spend:mixed');
    const spec: LimitSpec = { window: 'day', limit: { costUsd: 5, requests: 40 } };
    const ops: Promise<unknown>[] = [];
    for (let i = 0; i < 120; i++) {
      ops.push(
        (async () => {
          const r = await stub.reserve(`m-${i}`, { costUsd: 0.25 }, spec);
          if (!r.granted) return;
          // Settle below, at or release: never above the estimate, so the limit must hold exactly.
          if (i % 3 === 0) await stub.release(r.reservationId);
          else await stub.settle(r.reservationId, { costUsd: i % 3 === 1 ? 0.1 : 0.25 });
        })(),
      );
    }
    await Promise.all(ops);
    const state = await stub.state(spec);
    expect(state.used.costUsd! + state.reserved.costUsd!).toBeLessThanOrEqual(5);
    expect(state.used.requests! + state.reserved.requests!).toBeLessThanOrEqual(40);
    expect(state.reserved.costUsd).toBe(0);
  });
});

describe('BudgetCounter settle and release', () => {
  it('settling below the estimate frees budget for later requests', async () => {
    const stub = counter('team-spend:settle-below');
    const spec: LimitSpec = { window: 'month', limit: { costUsd: 1 } };
    const first = await stub.reserve('a', { costUsd: 0.6 }, spec);
    expect(first.granted).toBe(true);
    expect((await stub.reserve('b', { costUsd: 0.6 }, spec)).granted).toBe(false);
    expect(await stub.settle('a', { costUsd: 0.2 })).toEqual({ ok: true, reservationId: 'a' });
    const again = await stub.reserve('c', { costUsd: 0.6 }, spec);
    expect(again.granted).toBe(true);
    expect(again.remaining.costUsd).toBeCloseTo(0.2, 9);
    const state = await stub.state(spec);
    expect(state.used.costUsd).toBeCloseTo(0.2, 9);
    expect(state.reserved.costUsd).toBeCloseTo(0.6, 9);
  });

  it('records usage above the estimate, then refuses everything until the window rolls', async () => {
    const stub = counter('team-spend:settle-above');
    const spec: LimitSpec = { window: 'month', limit: { costUsd: 1 } };
    await stub.reserve('a', { costUsd: 0.5 }, spec);
    await stub.settle('a', { costUsd: 1.3 });
    const state = await stub.state(spec);
    expect(state.used.costUsd).toBeCloseTo(1.3, 9);
    expect(state.remaining.costUsd).toBe(0);
    const refused = await stub.reserve('b', {}, spec);
    expect(refused).toMatchObject({ granted: false, limitedBy: 'costUsd' });
  });

  it('keeps the estimate for dimensions the settlement does not give', async () => {
    const stub = counter('user-rpm:settle-partial');
    const spec: LimitSpec = { window: 'hour', limit: { tokens: 1000, requests: 10 } };
    await stub.reserve('a', { tokens: 300 }, spec);
    await stub.settle('a', { tokens: 120 });
    const state = await stub.state(spec);
    expect(state.used).toEqual({ costUsd: 0, tokens: 120, requests: 1 });
    expect(state.remaining).toEqual({ tokens: 880, requests: 9 });
  });

  it('settle and release are idempotent and refuse the wrong client key', async () => {
    const stub = counter('team-spend:owner');
    const spec: LimitSpec = { window: 'day', limit: { costUsd: 10 } };
    await stub.reserve('r1', { costUsd: 1 }, spec, { keyId: 'key-a' });
    expect(await stub.settle('r1', { costUsd: 1 }, { keyId: 'key-b' })).toMatchObject({ ok: false, reason: 'forbidden' });
    expect(await stub.release('r1', { keyId: 'key-b' })).toMatchObject({ ok: false, reason: 'forbidden' });
    expect(await stub.settle('r1', { costUsd: 0.5 }, { keyId: 'key-a' })).toEqual({ ok: true, reservationId: 'r1' });
    expect(await stub.settle('r1', { costUsd: 2 })).toMatchObject({ ok: true, alreadySettled: true });
    expect(await stub.release('r1')).toMatchObject({ ok: false, reason: 'settled' });
    expect((await stub.state(spec)).used.costUsd).toBe(0.5);

    await stub.reserve('r2', { costUsd: 1 }, spec);
    expect(await stub.release('r2')).toEqual({ ok: true, reservationId: 'r2' });
    expect(await stub.release('r2')).toMatchObject({ ok: true, alreadyFinished: true });
    expect(await stub.settle('r2', { costUsd: 1 })).toMatchObject({ ok: false, reason: 'released' });
    expect(await stub.settle('nope', {})).toMatchObject({ ok: false, reason: 'unknown' });
    expect((await stub.state(spec)).reserved.costUsd).toBe(0);
  });
});

describe('BudgetCounter: an admitted request stays counted', () => {
  const spec: LimitSpec = { window: 'minute', limit: { requests: 3, costUsd: 10 } };

  it('a settle with requests: 0 cannot erase the request (attack: unlimited calls past a rate limit)', async () => {
    const stub = counter('user-rpm:erase-by-settle');
    for (const id of ['a', 'b', 'c']) {
      expect((await stub.reserve(id, { costUsd: 0.1 }, spec, { keyId: 'k' })).granted).toBe(true);
      await stub.settle(id, { costUsd: 0, requests: 0 }, { keyId: 'k' });
    }
    expect((await stub.reserve('d', { costUsd: 0.1 }, spec, { keyId: 'k' })).granted).toBe(false);
    expect((await stub.state(spec)).used.requests).toBe(3);
  });

  it("a client's release after use keeps the request counted; the worker's own release does not", async () => {
    const stub = counter('user-rpm:erase-by-release');
    for (const id of ['a', 'b', 'c']) {
      await stub.reserve(id, { costUsd: 1 }, spec, { keyId: 'k' });
      expect(await stub.release(id, { keyId: 'k' })).toEqual({ ok: true, reservationId: id });
    }
    const state = await stub.state(spec);
    expect(state.used).toEqual({ costUsd: 0, tokens: 0, requests: 3 });
    expect(state.reserved).toEqual({ costUsd: 0, tokens: 0, requests: 0 });
    expect((await stub.reserve('d', {}, spec, { keyId: 'k' })).granted).toBe(false);

    const other = counter('user-rpm:worker-release');
    await other.reserve('x', { costUsd: 1 }, spec);
    await other.release('x');
    expect((await other.state(spec)).used.requests).toBe(0);
  });

  it('a client key cannot settle above its estimate; the worker records what the upstream reported', async () => {
    const stub = counter('team-spend:client-cap');
    await stub.reserve('a', { costUsd: 0.5, tokens: 100 }, spec, { keyId: 'k' });
    await stub.settle('a', { costUsd: 9, tokens: 5000 }, { keyId: 'k' });
    expect((await stub.state(spec)).used).toEqual({ costUsd: 0.5, tokens: 100, requests: 1 });
    await stub.reserve('b', { costUsd: 0.5 }, spec);
    await stub.settle('b', { costUsd: 2 });
    expect((await stub.state(spec)).used.costUsd).toBeCloseTo(2.5, 9);
  });
});

describe('BudgetCounter idempotency', () => {
  it('a repeated reserve for one request takes nothing more', async () => {
    const stub = counter('team-spend:idempotent');
    const spec: LimitSpec = { window: 'day', limit: { costUsd: 1 } };
    const a = await stub.reserve('same', { costUsd: 0.7 }, spec);
    const b = await stub.reserve('same', { costUsd: 0.7 }, spec);
    expect(a).toMatchObject({ granted: true, reservationId: 'same' });
    expect(b).toMatchObject({ granted: true, reservationId: 'same', replayed: true });
    expect((await stub.state(spec)).reserved.costUsd).toBeCloseTo(0.7, 9);
    // Concurrent duplicates too.
    const dupes = await Promise.all(Array.from({ length: 20 }, () => stub.reserve('dup', { costUsd: 0.1 }, spec)));
    expect(dupes.filter((r) => r.granted && !r.replayed)).toHaveLength(1);
    expect((await stub.state(spec)).reserved.costUsd).toBeCloseTo(0.8, 9);
  });

  it('a request whose reservation was released can reserve again', async () => {
    const stub = counter('team-spend:re-reserve');
    const spec: LimitSpec = { window: 'day', limit: { costUsd: 1 } };
    await stub.reserve('x', { costUsd: 0.5 }, spec);
    await stub.release('x');
    const again = await stub.reserve('x', { costUsd: 0.5 }, spec);
    expect(again.granted && again.replayed).toBeFalsy();
    expect((await stub.state(spec)).reserved.costUsd).toBe(0.5);
  });
});

describe('BudgetCounter windows', () => {
  it('rolls a per-minute rate limit over at the UTC minute boundary', async () => {
    const stub = counter('user-rpm:rollover');
    const spec: LimitSpec = { window: 'minute', limit: { requests: 2 } };
    await setClock(stub, '2031-03-04T10:15:59.000Z');
    expect((await stub.reserve('1', {}, spec)).granted).toBe(true);
    expect((await stub.reserve('2', {}, spec)).granted).toBe(true);
    const refused = await stub.reserve('3', {}, spec);
    expect(refused).toEqual({
      granted: false,
      limitedBy: 'requests',
      remaining: { requests: 0 },
      resetAt: Date.parse('2031-03-04T10:16:00.000Z'),
      // The window's state rides along, so the caller needs no second call to show it.
      used: { costUsd: 0, tokens: 0, requests: 0 },
      reserved: { costUsd: 0, tokens: 0, requests: 2 },
      leased: { requests: 0 },
    });
    await setClock(stub, '2031-03-04T10:16:00.000Z');
    expect((await stub.reserve('3', {}, spec)).granted).toBe(true);
    expect((await stub.state(spec)).window).toEqual({
      kind: 'minute',
      start: Date.parse('2031-03-04T10:16:00.000Z'),
      resetAt: Date.parse('2031-03-04T10:17:00.000Z'),
    });
  });

  it('counts a reservation settled in the next month in the month it was made', async () => {
    const stub = counter('team-spend:month-boundary');
    const spec: LimitSpec = { window: 'month', limit: { costUsd: 10 } };
    await setClock(stub, '2031-01-31T23:59:59.500Z');
    const r = await stub.reserve('late', { costUsd: 4 }, spec);
    expect(r).toMatchObject({ granted: true, resetAt: Date.parse('2031-02-01T00:00:00.000Z') });
    await setClock(stub, '2031-02-01T00:00:01.000Z');
    expect(await stub.state(spec)).toMatchObject({ used: { costUsd: 0 }, reserved: { costUsd: 0 }, remaining: { costUsd: 10 } });
    await stub.settle('late', { costUsd: 6 });
    expect((await stub.state(spec)).used.costUsd).toBe(0);
    await setClock(stub, '2031-01-15T00:00:00.000Z');
    expect(await stub.state(spec)).toMatchObject({ used: { costUsd: 6 }, reserved: { costUsd: 0 } });
  });
});

describe('BudgetCounter expiry alarm', () => {
  it('releases an unsettled reservation after its TTL', async () => {
    const stub = counter('team-spend:expiry');
    const spec: LimitSpec = { window: 'day', limit: { costUsd: 1 }, reservationTtlMs: 60_000 };
    await setClock(stub, '2031-05-05T12:00:00.000Z');
    await stub.reserve('stuck', { costUsd: 0.9 }, spec);
    await stub.reserve('kept', { costUsd: 0.1 }, { ...spec, reservationTtlMs: 600_000 });
    expect((await stub.reserve('blocked', { costUsd: 0.5 }, spec)).granted).toBe(false);

    await setClock(stub, '2031-05-05T12:01:00.000Z');
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    // Read the table directly: the alarm, not a later call, released the hold.
    const rows = await runInDurableObject(stub, (_, state) =>
      state.storage.sql.exec('SELECT id, status FROM reservations ORDER BY id').toArray(),
    );
    expect(rows).toEqual([
      { id: 'kept', status: 'held' },
      { id: 'stuck', status: 'expired' },
    ]);
    expect((await stub.state(spec)).reserved.costUsd).toBeCloseTo(0.1, 9);
    expect((await stub.reserve('blocked', { costUsd: 0.5 }, spec)).granted).toBe(true);

    // A late settlement of the expired reservation still records what was spent.
    await stub.settle('stuck', { costUsd: 0.3 });
    expect((await stub.state(spec)).used.costUsd).toBeCloseTo(0.3, 9);
  });
});

describe('BudgetCounter durability and surface', () => {
  it('keeps its state when the object is evicted and re-created', async () => {
    const name = 'team-spend:eviction';
    const spec: LimitSpec = { window: 'month', limit: { costUsd: 50 } };
    const before = counter(name);
    await before.reserve('held', { costUsd: 2 }, spec);
    await before.reserve('done', { costUsd: 3 }, spec);
    await before.settle('done', { costUsd: 2.5 });
    const instanceBefore = await runInDurableObject(before, (instance) => instance);

    await abortAllDurableObjects();

    const after = counter(name);
    const instanceAfter = await runInDurableObject(after, (instance) => instance);
    expect(instanceAfter).not.toBe(instanceBefore);
    expect(await after.state(spec)).toMatchObject({ used: { costUsd: 2.5 }, reserved: { costUsd: 2 }, remaining: { costUsd: 45.5 } });
    expect(await after.reserve('held', { costUsd: 2 }, spec)).toMatchObject({ granted: true, replayed: true });
  });

  it('does not expose its clock over RPC', async () => {
    const stub = counter('team-spend:surface') as unknown as { clock: () => Promise<number> };
    expect((await failureOf(() => stub.clock())).message).toMatch(/does not (exist|implement)|not a function|not found/i);
  });

  it('rejects malformed amounts and specs', async () => {
    const stub = counter('team-spend:validation');
    expect((await failureOf(() => stub.reserve('a', { costUsd: -1 }, monthly100))).message).toMatch(/estimate.costUsd/);
    expect((await failureOf(() => stub.reserve('a', {}, { window: 'week' as never, limit: {} }))).message).toMatch(/spec.window/);
    expect((await failureOf(() => stub.reserve('', {}, monthly100))).message).toMatch(/requestId/);
    expect((await failureOf(() => stub.reserve('a', {}, { window: 'month', limit: { costUsd: 1e9 } }))).message).toMatch(/too large/);
  });

  it('counts large budgets exactly', async () => {
    const stub = counter('org-spend:large');
    const spec: LimitSpec = { window: 'month', limit: { costUsd: 5_000_000 } };
    expect(await stub.reserve('big', { costUsd: 1_250_000.25 }, spec)).toMatchObject({ granted: true, remaining: { costUsd: 3_749_999.75 } });
    await stub.settle('big', { costUsd: 1_250_000.000001 });
    expect((await stub.state(spec)).used.costUsd).toBe(1_250_000.000001);
  });
});
