// Budget leases against real local BudgetCounter objects in workerd. Each LeaseHolder stands for
// one isolate (its own module state); several of them against one counter are several isolates.
// Clocks are injected: the counter's through runInDurableObject, each holder's through its own.
import { env, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { EXACT_BELOW_SHARE, LEASE_LAPSE_GRACE_MS, LEASE_SHARE, LEASE_TTL_MS } from '../../src/durable/budget-counter';
import type { LimitSpec } from '../../src/durable/budget-types';
import { counterStub, releaseAll, reserveAll, settleAll, type Reservation } from '../../src/durable/budgets-client';
import type { BudgetsEnv } from '../../src/durable/env';
import { LeaseHolder } from '../../src/durable/lease-holder';
import type { Budget, RateLimit } from '../../src/policy/types';

const realEnv = env as unknown as BudgetsEnv;
const context = { team: { id: 'team-a' }, user: { id: 'user-1' } };
const T0 = Date.parse('2031-06-10T12:00:00.000Z');

function budget(id: string, over: Partial<Budget> = {}): Budget {
  return { id, scope: 'team.id', window: 'month', limit: { costUsd: 100 }, ...over };
}

function specOf(b: Budget): LimitSpec {
  return { window: b.window, limit: b.limit };
}

/** A holder (one simulated isolate) whose clock the test moves. */
function isolate(): { holder: LeaseHolder; advance: (ms: number) => void } {
  let now = T0;
  const holder = new LeaseHolder(() => now);
  return { holder, advance: (ms) => void (now += ms) };
}

async function setCounterClock(kind: 'budget' | 'rateLimit', id: string, ms: number): Promise<void> {
  await runInDurableObject(counterStub(realEnv, kind, id, kind === 'budget' ? 'team-a' : 'user-1'), (instance) => {
    (instance as unknown as { clock: () => number }).clock = () => ms;
  });
}

async function stateOf(b: Budget) {
  return counterStub(realEnv, 'budget', b.id, 'team-a').state(specOf(b));
}

async function admit(holder: LeaseHolder, b: Budget, cost: number, id: string) {
  return reserveAll(realEnv, [b], [], context, { costUsd: cost }, id, { leases: holder });
}

function reservationsOf(r: Awaited<ReturnType<typeof admit>>): Reservation[] {
  if (!r.ok) throw new Error(`expected a grant, got ${r.code}`);
  return r.reservations;
}

type Counter = ReturnType<typeof counterStub>;

/**
 * Latency and fault injection, not a stand-in: the real counters, seen through `wrap`, which
 * gives the methods a test calls (delayed behind a gate, or failing like an unreachable object).
 */
function envWrapping(wrap: (stub: Counter) => object): BudgetsEnv {
  const real = realEnv.BUDGETS;
  return {
    BUDGETS: { idFromName: (n: string) => real.idFromName(n), get: (id: DurableObjectId) => wrap(real.get(id)) },
  } as unknown as BudgetsEnv;
}

/** A promise the test resolves when it chooses. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

describe('budget leases', () => {
  it('grants a slice of what is left, spent locally and counted as leased until it comes back', async () => {
    const b = budget('lease-basic');
    await setCounterClock('budget', b.id, T0);
    const { holder, advance } = isolate();
    // The first lease: the smaller of LEASE_SHARE of the $100 left and the holder's first ask
    // (room for 8 requests like this one, $2.40).
    const expectedLease = Math.min(LEASE_SHARE * 100, 8 * 0.3);
    const first = reservationsOf(await admit(holder, b, 0.3, 'a-0'));
    expect(first[0].lease).toBeDefined();
    expect(await stateOf(b)).toMatchObject({ used: { costUsd: 0 }, reserved: { costUsd: 0 }, leased: { costUsd: expectedLease } });

    // Five more fit in the lease: the counter sees nothing of them yet.
    const more = await Promise.all([1, 2, 3, 4, 5].map((i) => admit(holder, b, 0.3, `a-${i}`)));
    expect(more.every((r) => r.ok && r.reservations[0].lease)).toBe(true);
    // A local settle corrects the lease by actual - estimate, still without a call.
    await settleAll(realEnv, reservationsOf(more[0]), { costUsd: 0.1 }, {}, { leases: holder });
    const meanwhile = await stateOf(b);
    expect(meanwhile.used.costUsd).toBe(0);
    expect(meanwhile.remaining.costUsd).toBeCloseTo(100 - expectedLease, 9);

    // Past its usable time the holder hands it back with what it spent: 6 x $0.30 - $0.20.
    advance(LEASE_TTL_MS);
    await holder.returnDue(realEnv);
    const after = await stateOf(b);
    expect(after.used.costUsd).toBeCloseTo(1.6, 9);
    expect(after.leased.costUsd).toBe(0);
    expect(after.remaining.costUsd).toBeCloseTo(98.4, 9);
  });

  it('sizes later leases by what the last one spent (a rate limit leases requests)', async () => {
    const limit: RateLimit = { id: 'lease-rpm', scope: 'user.id', window: 'minute', limit: { requests: 1000 } };
    await setCounterClock('rateLimit', limit.id, T0);
    const { holder } = isolate();
    const spec: LimitSpec = { window: 'minute', limit: limit.limit };
    const stub = counterStub(realEnv, 'rateLimit', limit.id, 'user-1');
    const call = (i: number) => reserveAll(realEnv, [], [limit], context, {}, `r-${i}`, { leases: holder });
    // First ask: room for 8 requests (below LEASE_SHARE of 1000 = 20).
    for (let i = 0; i < 8; i++) expect((await call(i)).ok).toBe(true);
    expect(await stub.state(spec)).toMatchObject({ used: { requests: 0 }, leased: { requests: 8 } });
    // The ninth renews: the 8 spent come back as used, and the next lease is twice that (16 <= 2% of 992).
    expect((await call(8)).ok).toBe(true);
    expect(await stub.state(spec)).toMatchObject({ used: { requests: 8 }, leased: { requests: 16 }, remaining: { requests: 976 } });
  });

  it('reserves exactly when little is left, and with lease: off', async () => {
    const near = budget('lease-near', { limit: { costUsd: 10 } });
    await setCounterClock('budget', near.id, T0);
    // Spend until less than EXACT_BELOW_SHARE of the limit is left, without leases.
    const spent = 10 * (1 - EXACT_BELOW_SHARE) + 0.2;
    await reserveAll(realEnv, [near], [], context, { costUsd: spent }, 'near-setup');
    const { holder } = isolate();
    const r = reservationsOf(await admit(holder, near, 0.3, 'near-1'));
    expect(r[0].lease).toBeUndefined();
    expect(await stateOf(near)).toMatchObject({ leased: { costUsd: 0 } });
    expect((await stateOf(near)).reserved.costUsd).toBeCloseTo(spent + 0.3, 9);

    const off = budget('lease-off', { lease: 'off' });
    const o = reservationsOf(await admit(holder, off, 0.3, 'off-1'));
    expect(o[0].lease).toBeUndefined();
    expect(await stateOf(off)).toMatchObject({ reserved: { costUsd: 0.3 }, leased: { costUsd: 0 } });
  });

  it('a lease its holder never returns lapses and counts as fully spent', async () => {
    const b = budget('lease-lapse');
    await setCounterClock('budget', b.id, T0);
    const dead = isolate();
    reservationsOf(await admit(dead.holder, b, 0.3, 'dead-1'));
    const granted = (await stateOf(b)).leased.costUsd!;
    expect(granted).toBeGreaterThan(0.3);

    // Until its lapse time the lease still holds its grant.
    await setCounterClock('budget', b.id, T0 + LEASE_TTL_MS + LEASE_LAPSE_GRACE_MS - 1);
    expect((await stateOf(b)).leased.costUsd).toBe(granted);
    // Then the whole grant counts as used ($0.30 of it was spent; the rest is the documented under-use).
    await setCounterClock('budget', b.id, T0 + LEASE_TTL_MS + LEASE_LAPSE_GRACE_MS);
    const lapsed = await stateOf(b);
    expect(lapsed.used.costUsd).toBe(granted);
    expect(lapsed.leased.costUsd).toBe(0);
    expect(lapsed.remaining.costUsd).toBeCloseTo(100 - granted, 9);

    // A late return cannot lower it; another isolate spends what is left.
    dead.advance(LEASE_TTL_MS + LEASE_LAPSE_GRACE_MS);
    await dead.holder.returnDue(realEnv);
    expect((await stateOf(b)).used.costUsd).toBe(granted);
    const other = isolate();
    expect((await admit(other.holder, b, 0.3, 'other-1')).ok).toBe(true);
  });

  it('an isolate that goes quiet returns its lease when its time is up, so it does not lapse', async () => {
    const b = budget('lease-quiet');
    await setCounterClock('budget', b.id, T0);
    const { holder, advance } = isolate();
    const r = reservationsOf(await admit(holder, b, 0.3, 'quiet-1'));
    await settleAll(realEnv, r, { costUsd: 0.2 }, {}, { leases: holder });
    const waited: number[] = [];
    // The waiter sleeps until the lease's usable time is up (here: the test moves the clock instead).
    await holder.returnWhenDue(realEnv, async (ms) => {
      waited.push(ms);
      advance(ms);
    });
    expect(waited).toEqual([LEASE_TTL_MS]);
    const state = await stateOf(b);
    expect(state.leased.costUsd).toBe(0);
    expect(state.used.costUsd).toBeCloseTo(0.2, 9);
    // Later, past the lapse time, nothing more is counted.
    await setCounterClock('budget', b.id, T0 + LEASE_TTL_MS + LEASE_LAPSE_GRACE_MS);
    expect((await stateOf(b)).used.costUsd).toBeCloseTo(0.2, 9);
  });

  it('the alarm lapses an unreturned lease', async () => {
    const b = budget('lease-alarm');
    await setCounterClock('budget', b.id, T0);
    const { holder } = isolate();
    reservationsOf(await admit(holder, b, 0.3, 'alarm-1'));
    const stub = counterStub(realEnv, 'budget', b.id, 'team-a');
    await setCounterClock('budget', b.id, T0 + LEASE_TTL_MS + LEASE_LAPSE_GRACE_MS);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    const rows = await runInDurableObject(stub, (_, state) => state.storage.sql.exec('SELECT status FROM leases').toArray());
    expect(rows).toEqual([{ status: 'lapsed' }]);
  });

  it('a settle after the lease went back reaches the counter, above the estimate too', async () => {
    const b = budget('lease-late-settle');
    await setCounterClock('budget', b.id, T0);
    const { holder, advance } = isolate();
    const low = reservationsOf(await admit(holder, b, 0.3, 'late-1'));
    const high = reservationsOf(await admit(holder, b, 0.3, 'late-2'));
    const gone = reservationsOf(await admit(holder, b, 0.3, 'late-3'));
    advance(LEASE_TTL_MS);
    await holder.returnDue(realEnv);
    expect((await stateOf(b)).used.costUsd).toBeCloseTo(0.9, 9);
    await settleAll(realEnv, low, { costUsd: 0.1 }, {}, { leases: holder });
    expect((await stateOf(b)).used.costUsd).toBeCloseTo(0.7, 9);
    await settleAll(realEnv, high, { costUsd: 0.8 }, {}, { leases: holder });
    expect((await stateOf(b)).used.costUsd).toBeCloseTo(1.2, 9);
    // The worker's own release (the request never went out) takes the estimate and the request back.
    await releaseAll(realEnv, gone, {}, { leases: holder });
    expect((await stateOf(b)).used).toMatchObject({ requests: 2 });
    expect((await stateOf(b)).used.costUsd).toBeCloseTo(0.9, 9);
  });
});

describe('budget leases and an unreachable counter', () => {
  /** Fault injection, not a stand-in: the named counter throws like an unreachable object. */
  function envWithDown(name: string): BudgetsEnv {
    const real = realEnv.BUDGETS;
    const fail = async () => {
      throw new Error('Network connection lost.');
    };
    return {
      BUDGETS: {
        idFromName: (n: string) => ({ n }),
        get: (id: { n: string }) => (id.n === name ? { reserve: fail, take: fail, settle: fail, release: fail, state: fail, returnLease: fail, adjustLease: fail } : real.get(real.idFromName(id.n))),
      },
    } as unknown as BudgetsEnv;
  }

  it('onUnavailable decides without a lease; a live lease keeps admitting from what it holds', async () => {
    const denying = budget('lease-down-deny');
    const allowing = budget('lease-down-allow', { onUnavailable: 'allow' });
    const { holder } = isolate();
    const deny = await reserveAll(envWithDown('lease-down-deny:team-a'), [denying], [], context, { costUsd: 0.3 }, 'd-1', { leases: holder });
    expect(deny).toMatchObject({ ok: false, code: 'budget_unavailable', budgetId: 'lease-down-deny' });
    const allow = await reserveAll(envWithDown('lease-down-allow:team-a'), [allowing], [], context, { costUsd: 0.3 }, 'd-2', { leases: holder });
    expect(allow).toMatchObject({ ok: true, reservations: [], warnings: [expect.stringMatching(/unavailable; allowed by onUnavailable: allow/)] });

    // With a lease taken while the counter was reachable, the isolate spends it locally.
    const held = budget('lease-down-held');
    reservationsOf(await admit(holder, held, 0.3, 'h-1'));
    const during = await reserveAll(envWithDown('lease-down-held:team-a'), [held], [], context, { costUsd: 0.3 }, 'h-2', { leases: holder });
    expect(during.ok && during.reservations[0].lease).toBeTruthy();
  });
});

describe('budget leases keep the ceiling', () => {
  it('admits exactly 333 of 500 concurrent $0.30 requests against $100 with leases on (cold isolate)', async () => {
    const b = budget('lease-333-cold');
    const { holder, advance } = isolate();
    const results = await Promise.all(Array.from({ length: 500 }, (_, i) => admit(holder, b, 0.3, `c-${i}`)));
    expect(results.filter((r) => r.ok)).toHaveLength(333);
    expect(results.filter((r) => !r.ok).every((r) => !r.ok && r.code === 'budget_exceeded')).toBe(true);
    expect(results.some((r) => r.ok && r.reservations[0].lease)).toBe(true);
    advance(LEASE_TTL_MS);
    await holder.returnDue(realEnv);
    const state = await stateOf(b);
    expect(state.used.costUsd! + state.reserved.costUsd!).toBeCloseTo(99.9, 9);
    expect(state.leased.costUsd).toBe(0);
  });

  it('admits exactly 333 of 500 concurrent $0.30 requests against $100 with a lease already held', async () => {
    const b = budget('lease-333-warm');
    const { holder, advance } = isolate();
    // Warm: the isolate holds a lease (and has spent from it) when the burst comes.
    const warm = await Promise.all(Array.from({ length: 3 }, (_, i) => admit(holder, b, 0.3, `w-${i}`)));
    expect(warm.every((r) => r.ok)).toBe(true);
    const burst = await Promise.all(Array.from({ length: 497 }, (_, i) => admit(holder, b, 0.3, `b-${i}`)));
    expect(warm.length + burst.filter((r) => r.ok).length).toBe(333);
    advance(LEASE_TTL_MS);
    await holder.returnDue(realEnv);
    const state = await stateOf(b);
    expect(state.used.costUsd! + state.reserved.costUsd!).toBeCloseTo(99.9, 9);
  });

  it('many isolates spending concurrently never overspend, and every cent is accounted for', async () => {
    const b = budget('lease-many');
    const isolates = Array.from({ length: 8 }, () => isolate());
    let admittedActual = 0;
    let admitted = 0;
    let underLease = 0;
    // At each admission: its $0.30 estimate beside the actuals of everything settled before it (the
    // counter holds at least that much, so its invariant bounds it by $100 at every admission).
    let peak = 0;
    // 8 isolates x 4 connections, each a closed loop (as clients do): ask, settle at or below the
    // $0.30 estimate (freeing the difference), ask again, until refused three times in a row.
    await Promise.all(
      isolates.flatMap(({ holder }, k) =>
        Array.from({ length: 4 }, async (_, c) => {
          for (let i = 0, refusals = 0; refusals < 3; i++) {
            const r = await admit(holder, b, 0.3, `m-${k}-${c}-${i}`);
            if (!r.ok) {
              refusals++;
              continue;
            }
            refusals = 0;
            const actual = ((i % 3) + 1) / 10;
            admitted++;
            peak = Math.max(peak, admittedActual + 0.3);
            admittedActual += actual;
            if (r.reservations[0].lease) underLease++;
            await settleAll(realEnv, r.reservations, { costUsd: actual }, {}, { leases: holder });
          }
        }),
      ),
    );
    // Many requests went through a lease, without a counter call of their own (the others came
    // while their isolate's leader was asking, or within the last 10% where every request is exact).
    expect(underLease).toBeGreaterThan(admitted / 3);
    // Spend never passes the limit: the settled actuals of everything admitted fit in $100, and
    // near the limit little was left unused (refused only with under $0.30 free or held by leases).
    expect(peak).toBeLessThanOrEqual(100 + 1e-9);
    expect(admittedActual).toBeLessThanOrEqual(100 + 1e-9);
    expect(admittedActual).toBeGreaterThan(95);
    const live = await stateOf(b);
    expect(live.used.costUsd! + live.reserved.costUsd! + live.leased.costUsd!).toBeLessThanOrEqual(100 + 1e-9);
    // Every isolate hands its lease back: the counter then holds exactly what was spent.
    for (const { holder, advance } of isolates) {
      advance(LEASE_TTL_MS);
      await holder.returnDue(realEnv);
    }
    const state = await stateOf(b);
    expect(state.leased.costUsd).toBe(0);
    expect(state.reserved.costUsd).toBe(0);
    expect(state.used.costUsd).toBeCloseTo(admittedActual, 6);
    expect(state.used.requests).toBe(admitted);
  });
});

describe('budget leases: returns and corrections in any order', () => {
  it('a settle above the estimate that reaches the counter before its lease comes back still counts', async () => {
    const b = budget('lease-adjust-first');
    await setCounterClock('budget', b.id, T0);
    const { holder, advance } = isolate();
    const r = reservationsOf(await admit(holder, b, 0.3, 'race-1'));
    expect(r[0].lease).toBeDefined();
    advance(LEASE_TTL_MS);
    const slow = gate();
    const slowReturn = envWrapping((stub) => ({ returnLease: async (...args: Parameters<Counter['returnLease']>) => (await slow.opened, stub.returnLease(...args)) }));
    // The holder hands the lease back (its report: $0.30 admitted); the return is still on its way...
    const returning = holder.returnDue(slowReturn);
    // ...when the request's real usage ($0.80) is settled: the correction goes straight to the counter.
    const [settled] = await settleAll(realEnv, r, { costUsd: 0.8 }, {}, { leases: holder });
    expect(settled.ok).toBe(true);
    slow.open();
    await returning;
    const state = await stateOf(b);
    expect(state.leased.costUsd).toBe(0);
    expect(state.used.costUsd).toBeCloseTo(0.8, 9);
  });

  it('a second return of a lease changes nothing (a repeated report cannot erase spend)', async () => {
    const b = budget('lease-double-return');
    await setCounterClock('budget', b.id, T0);
    const stub = counterStub(realEnv, 'budget', b.id, 'team-a');
    const taken = await stub.take('dr-1', { costUsd: 0.3 }, specOf(b), { want: { costUsd: 2 } });
    if (!('lease' in taken)) throw new Error('expected a lease');
    expect(await stub.returnLease(taken.lease.leaseId, { costUsd: 1.5, requests: 5 })).toEqual({ ok: true });
    await stub.returnLease(taken.lease.leaseId, { costUsd: 0, requests: 0 });
    const state = await stateOf(b);
    expect(state.used).toMatchObject({ costUsd: 1.5, requests: 5 });
    expect(state.remaining.costUsd).toBeCloseTo(98.5, 9);
  });
});

describe('budget leases across windows and bundles', () => {
  it('a lease is spent only in the window it was granted in, and its spend stays there', async () => {
    const limit: RateLimit = { id: 'lease-rollover', scope: 'user.id', window: 'minute', limit: { requests: 1000 } };
    const spec: LimitSpec = { window: 'minute', limit: limit.limit };
    const stub = counterStub(realEnv, 'rateLimit', limit.id, 'user-1');
    const beforeEnd = T0 + 58_000; // T0 is a whole minute: 2 s before the window ends
    await setCounterClock('rateLimit', limit.id, beforeEnd);
    const { holder, advance } = isolate();
    advance(58_000);
    const call = (id: string) => reserveAll(realEnv, [], [limit], context, {}, id, { leases: holder });
    const old = [await call('w-1'), await call('w-2'), await call('w-3')];
    const oldLease = old.map((r) => (r.ok ? r.reservations[0].lease?.leaseId : undefined));
    expect(new Set(oldLease).size).toBe(1);
    expect(oldLease[0]).toBeDefined();

    // The window ends: the old lease is not spent from any more; the next call renews in the new window.
    advance(2_000);
    await setCounterClock('rateLimit', limit.id, T0 + 60_000);
    const next = await call('w-4');
    expect(next.ok && next.reservations[0].lease?.leaseId).not.toBe(oldLease[0]);
    // The new window starts from zero (the new lease aside); the old lease's 3 requests count in the old one.
    const state = await stub.state(spec);
    expect(state.window.start).toBe(T0 + 60_000);
    expect(state.used.requests).toBe(0);
    expect(state.leased.requests! + state.remaining.requests!).toBe(1000);
    const rows = await runInDurableObject(stub, (_, s) => s.storage.sql.exec('SELECT window_start, used_requests FROM usage ORDER BY window_start').toArray());
    expect(rows).toContainEqual({ window_start: T0, used_requests: 3 });
  });

  it('a bundle that lowers the limit does not spend the old lease, which still counts against the new limit', async () => {
    const v1 = budget('lease-new-bundle', { limit: { costUsd: 100 } });
    const v2 = budget('lease-new-bundle', { limit: { costUsd: 5 } });
    await setCounterClock('budget', v1.id, T0);
    const { holder } = isolate();
    const first = reservationsOf(await admit(holder, v1, 0.3, 'nb-1'));
    expect(first[0].lease).toBeDefined();
    const leased = (await stateOf(v1)).leased.costUsd!;
    // Under the new limit the slice would be too small for this request: it is reserved exactly,
    // not spent from the lease the old limit granted.
    const second = reservationsOf(await admit(holder, v2, 0.3, 'nb-2'));
    expect(second[0].lease).toBeUndefined();
    const state = await stateOf(v2);
    expect(state.leased.costUsd).toBe(leased);
    expect(state.reserved.costUsd).toBeCloseTo(0.3, 9);
    expect(state.remaining.costUsd).toBeCloseTo(5 - leased - 0.3, 9);
  });
});

describe('budget leases: a slow ask', () => {
  it('when a second request asks after the first ask timed out, both leases come back', async () => {
    const b = budget('lease-two-leaders');
    await setCounterClock('budget', b.id, T0);
    const { holder, advance } = isolate();
    const ask = gate();
    // The first ask (take) reaches the counter only when the gate opens.
    const slowEnv = envWrapping((stub) => ({
      take: async (...args: Parameters<Counter['take']>) => (await ask.opened, stub.take(...args)),
      returnLease: (...args: Parameters<Counter['returnLease']>) => stub.returnLease(...args),
    }));
    const first = reserveAll(slowEnv, [b], [], context, { costUsd: 0.3 }, 'slow-1', { leases: holder });
    // The holder takes an ask older than 5 s for lost: the next request asks again and gets a lease.
    advance(5_000);
    reservationsOf(await admit(holder, b, 0.3, 'slow-2'));
    ask.open();
    reservationsOf(await first);
    advance(LEASE_TTL_MS);
    await holder.returnDue(realEnv);
    // Nothing is left out to lapse (a lapsed lease counts as fully spent): the counter holds what was admitted.
    const state = await stateOf(b);
    expect(state.leased.costUsd).toBe(0);
    expect(state.used.costUsd).toBeCloseTo(0.6, 9);
  });
});

describe('budget leases: a refusal stays a refusal', () => {
  it('when the retry after a refusal cannot reach the counter, the request is refused, not allowed by onUnavailable', async () => {
    const b = budget('lease-refusal-retry', { onUnavailable: 'allow' });
    await setCounterClock('budget', b.id, T0);
    const { holder } = isolate();
    const ask = gate();
    const exact = gate();
    let takes = 0;
    // The first ask waits for its gate, the exact reserve for its own, and the counter is
    // unreachable for any later take (the retry after the refusal).
    const flakyEnv = envWrapping((stub) => ({
      take: async (...args: Parameters<Counter['take']>) => {
        if (++takes > 1) throw new Error('Network connection lost.');
        await ask.opened;
        return stub.take(...args);
      },
      reserve: async (...args: Parameters<Counter['reserve']>) => (await exact.opened, stub.reserve(...args)),
    }));
    // One request asks for a lease; meanwhile one estimated at $150 (more than the $100 limit) is reserved exactly.
    const small = reserveAll(flakyEnv, [b], [], context, { costUsd: 0.3 }, 'rr-small', { leases: holder });
    const big = reserveAll(flakyEnv, [b], [], context, { costUsd: 150 }, 'rr-big', { leases: holder });
    ask.open();
    expect((await small).ok).toBe(true);
    // The big one is refused; the holder hands its lease back to try once more, and that call fails.
    exact.open();
    expect(await big).toMatchObject({ ok: false, code: 'budget_exceeded', budgetId: b.id });
  });
});

describe('budget leases: spend above the estimate', () => {
  it('a settle above the lease stops local spending, and the counter records the real usage at once on renewal', async () => {
    const b = budget('lease-overshoot');
    await setCounterClock('budget', b.id, T0);
    const { holder } = isolate();
    const first = reservationsOf(await admit(holder, b, 0.3, 'os-1'));
    const leaseId = first[0].lease!.leaseId;
    const granted = (await stateOf(b)).leased.costUsd!;
    // The call cost far more than its estimate and than the whole lease.
    await settleAll(realEnv, first, { costUsd: granted + 3 }, {}, { leases: holder });
    const next = reservationsOf(await admit(holder, b, 0.3, 'os-2'));
    expect(next[0].lease?.leaseId).not.toBe(leaseId);
    const state = await stateOf(b);
    expect(state.used.costUsd).toBeCloseTo(granted + 3, 9);
    expect(state.used.costUsd! + state.reserved.costUsd! + state.leased.costUsd! + state.remaining.costUsd!).toBeCloseTo(100, 9);
  });
});
