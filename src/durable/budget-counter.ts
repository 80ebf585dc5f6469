import { DurableObject } from 'cloudflare:workers';
import {
  DIMENSIONS,
  ZERO_UNITS,
  amountsOf,
  checkAmounts,
  fromUnit,
  limitedDimensions,
  unitsOf,
  type Amounts,
  type Dimension,
  type Units,
} from './amounts';
import { BudgetStore, TOMBSTONE_MS, type ReservationRow, type WindowTotals } from './budget-store';
import {
  DEFAULT_RESERVATION_TTL_MS,
  type CounterState,
  type LimitSpec,
  type OwnerCheck,
  type ReleaseResult,
  type ReserveOptions,
  type ReserveResult,
  type SettleResult,
} from './budget-types';
import { WINDOW_KINDS, windowAt } from './windows';

/**
 * One budget or rate-limit counter: one object per (limit id, scope value).
 *
 * An admitted request counts: neither a settle nor a client's release can take its request back
 * (see admittedUsage), and a client key cannot settle above the estimate it was granted.
 *
 * The invariant: in every window, used + reserved never exceeds the limit, whatever the
 * concurrency. Each RPC method does its whole read-check-write synchronously, with no `await`
 * between the read and the write. JavaScript runs one event at a time in the object, and the SQL
 * API is synchronous, so no other call can run in between; the input gate additionally keeps new
 * calls out while a storage operation is pending, and the output gate holds each reply until its
 * writes are durable, so no caller acts on a grant that could be lost. The only await
 * (scheduling the expiry alarm) comes after the state change is complete.
 *
 * State lives in memory, SQLite is its durable copy (budget-store.ts): reads are served from
 * memory, and every write reaches SQLite and memory in the same synchronous step, SQLite first.
 * The output gate makes the memory copy no weaker: a reply built from it waits until the writes
 * behind it are durable, and if they fail the object restarts and reloads from SQLite.
 *
 * Spend can still pass the limit in one way: a reservation settled above its estimate records
 * the real usage. Once used + reserved reaches the limit, nothing more is granted until the
 * window rolls over, so the overshoot is bounded by the estimation errors of the reservations
 * that were already granted.
 *
 * Windows are UTC calendar windows. A reservation belongs to the window it was made in: settling
 * it after the boundary adds its actual usage to that earlier window, never to the new one (the
 * new window's limit was checked without it).
 */
export class BudgetCounter extends DurableObject<unknown> {
  private readonly store: BudgetStore;
  /**
   * Epoch ms. Tests swap it inside the object with `runInDurableObject`, which exists only in the
   * vitest pool. RPC exposes prototype methods, not instance fields, so no caller can move it.
   */
  private clock: () => number = () => Date.now();
  /** When the scheduled alarm fires, in clock time; null when unknown (e.g. after eviction). */
  private alarmAt: number | null = null;

  constructor(ctx: DurableObjectState, env: unknown) {
    super(ctx, env);
    this.store = new BudgetStore(ctx.storage.sql);
    void ctx.blockConcurrencyWhile(async () => this.store.migrate());
  }

  async reserve(requestId: string, estimate: Amounts, spec: LimitSpec, opts: ReserveOptions = {}): Promise<ReserveResult> {
    checkId('requestId', requestId);
    checkAmounts('estimate', estimate);
    checkSpec(spec);
    const now = this.clock();
    const result = this.reserveAt(now, requestId, estimate, spec, opts.keyId ?? null);
    if (result.granted && !result.replayed) await this.scheduleAlarm(now, now + ttlOf(spec));
    return result;
  }

  async settle(reservationId: string, actual: Amounts, owner: OwnerCheck = {}): Promise<SettleResult> {
    checkId('reservationId', reservationId);
    checkAmounts('actual', actual);
    const now = this.clock();
    const result = this.settleAt(now, reservationId, actual, owner);
    if (result.ok && !result.alreadySettled) await this.scheduleAlarm(now, now + TOMBSTONE_MS);
    return result;
  }

  async release(reservationId: string, owner: OwnerCheck = {}): Promise<ReleaseResult> {
    checkId('reservationId', reservationId);
    const now = this.clock();
    const result = this.releaseAt(now, reservationId, owner);
    if (result.ok && !result.alreadyFinished) await this.scheduleAlarm(now, now + TOMBSTONE_MS);
    return result;
  }

  async state(spec: LimitSpec): Promise<CounterState> {
    checkSpec(spec);
    const window = windowAt(spec.window, this.clock());
    const totals = this.store.totals(window);
    return {
      used: amountsOf(totals.used),
      reserved: amountsOf(totals.held),
      remaining: remainingOf(totals, spec.limit),
      limit: { ...spec.limit },
      window: { kind: window.kind, start: window.start, resetAt: window.end },
    };
  }

  /** Releases the holds of reservations past their TTL, then forgets old tombstones and windows. */
  override async alarm(): Promise<void> {
    this.alarmAt = null;
    const now = this.clock();
    for (const r of this.store.heldDueBy(now)) {
      this.store.addToWindow(r.window, ZERO_UNITS, negate(r.units));
      this.store.finish(r.id, 'expired', now);
    }
    this.store.purge(now);
    await this.scheduleAlarm(now, null);
  }

  private reserveAt(now: number, requestId: string, estimate: Amounts, spec: LimitSpec, keyId: string | null): ReserveResult {
    const window = windowAt(spec.window, now);
    const prior = this.store.reservation(requestId);
    // Idempotent per request: a retry of a held or settled reservation takes nothing more.
    // A released or expired one no longer holds anything, so the retry reserves afresh.
    if (prior && (prior.status === 'held' || prior.status === 'settled')) {
      const now = this.store.totals(window);
      return {
        granted: true,
        reservationId: requestId,
        remaining: remainingOf(now, spec.limit),
        resetAt: prior.window.end,
        replayed: true,
        ...stateOf(now),
      };
    }
    const wanted = unitsOf(estimate, { ...ZERO_UNITS, requests: 1 });
    const totals = this.store.totals(window);
    const limitedBy = firstExceeded(totals, wanted, spec.limit);
    if (limitedBy && spec.onExceed !== 'warn') {
      return { granted: false, remaining: remainingOf(totals, spec.limit), resetAt: window.end, limitedBy, ...stateOf(totals) };
    }
    this.store.putHeld(requestId, window, wanted, keyId, now + ttlOf(spec));
    this.store.addToWindow(window, ZERO_UNITS, wanted);
    const after = { used: totals.used, held: add(totals.held, wanted) };
    return {
      granted: true,
      reservationId: requestId,
      remaining: remainingOf(after, spec.limit),
      resetAt: window.end,
      ...(limitedBy ? { overLimit: true as const } : {}),
      ...stateOf(after),
    };
  }

  private settleAt(now: number, id: string, actual: Amounts, owner: OwnerCheck): SettleResult {
    const r = this.store.reservation(id);
    if (!r) return { ok: false, reservationId: id, reason: 'unknown' };
    if (!ownedBy(r, owner)) return { ok: false, reservationId: id, reason: 'forbidden' };
    if (r.status === 'settled') return { ok: true, reservationId: id, alreadySettled: true };
    if (r.status === 'released') return { ok: false, reservationId: id, reason: 'released' };
    // Dimensions the caller could not measure keep their estimate. An expired reservation no
    // longer holds anything, but the request did happen: its usage is still recorded.
    const used = admittedUsage(unitsOf(actual, r.units), r.units, owner);
    const held = r.status === 'held' ? negate(r.units) : ZERO_UNITS;
    this.store.addToWindow(r.window, used, held);
    this.store.finish(id, 'settled', now, used);
    return { ok: true, reservationId: id };
  }

  private releaseAt(now: number, id: string, owner: OwnerCheck): ReleaseResult {
    const r = this.store.reservation(id);
    if (!r) return { ok: false, reservationId: id, reason: 'unknown' };
    if (!ownedBy(r, owner)) return { ok: false, reservationId: id, reason: 'forbidden' };
    if (r.status === 'settled') return { ok: false, reservationId: id, reason: 'settled' };
    if (r.status !== 'held') return { ok: true, reservationId: id, alreadyFinished: true };
    // The worker releases a hold whose request never went out (another budget refused it). A
    // client cannot prove that: its admitted request stays counted, so releasing after use
    // cannot wipe a rate limit.
    const kept = owner.keyId === undefined ? ZERO_UNITS : { ...ZERO_UNITS, requests: r.units.requests };
    this.store.addToWindow(r.window, kept, negate(r.units));
    this.store.finish(id, 'released', now);
    return { ok: true, reservationId: id };
  }

  /** Makes sure an alarm comes by `candidate` (or by the store's next due time when null). */
  private async scheduleAlarm(now: number, candidate: number | null): Promise<void> {
    if (candidate !== null && this.alarmAt !== null && this.alarmAt <= candidate) return;
    const due = this.store.nextDue();
    if (due === null) return;
    this.alarmAt = due;
    // Alarms run on the real clock: schedule the same delay from real now, so a test clock set
    // anywhere in time still sees its alarm only when it runs it.
    await this.ctx.storage.setAlarm(Date.now() + Math.max(0, due - now));
  }
}

function firstExceeded(totals: WindowTotals, wanted: Units, limit: Amounts): Dimension | undefined {
  for (const dim of limitedDimensions(limit)) {
    const cap = unitsOf({ [dim]: limit[dim] })[dim];
    const committed = totals.used[dim] + totals.held[dim];
    // An exhausted dimension refuses even a zero estimate.
    if (committed >= cap || committed + wanted[dim] > cap) return dim;
  }
  return undefined;
}

/**
 * What a settle records. An admitted request always counts as one (a settle may lower cost and
 * tokens to the real usage, never erase the request). A client key settling its own hold is
 * bounded by the estimate it was granted: it cannot claim a team's whole budget for one call.
 * The worker itself (no owner) records what the upstream reported, above the estimate too.
 */
function admittedUsage(actual: Units, estimate: Units, owner: OwnerCheck): Units {
  const used = { ...actual, requests: Math.max(actual.requests, estimate.requests) };
  if (owner.keyId === undefined) return used;
  return { costUsd: Math.min(used.costUsd, estimate.costUsd), tokens: Math.min(used.tokens, estimate.tokens), requests: estimate.requests };
}

function stateOf(totals: WindowTotals): { used: Amounts; reserved: Amounts } {
  return { used: amountsOf(totals.used), reserved: amountsOf(totals.held) };
}

function remainingOf(totals: WindowTotals, limit: Amounts): Amounts {
  const out: Amounts = {};
  for (const dim of limitedDimensions(limit)) {
    const cap = unitsOf({ [dim]: limit[dim] })[dim];
    out[dim] = fromUnit(dim, Math.max(0, cap - totals.used[dim] - totals.held[dim]));
  }
  return out;
}

function ownedBy(r: ReservationRow, owner: OwnerCheck): boolean {
  return owner.keyId === undefined || r.keyId === owner.keyId;
}

function ttlOf(spec: LimitSpec): number {
  return spec.reservationTtlMs ?? DEFAULT_RESERVATION_TTL_MS;
}

function add(a: Units, b: Units): Units {
  const out = { ...a };
  for (const dim of DIMENSIONS) out[dim] += b[dim];
  return out;
}

function negate(u: Units): Units {
  return { costUsd: -u.costUsd, tokens: -u.tokens, requests: -u.requests };
}

function checkId(what: string, id: unknown): void {
  if (typeof id !== 'string' || id.length === 0 || id.length > 512) {
    throw new TypeError(`${what} must be a non-empty string of at most 512 characters`);
  }
}

function checkSpec(spec: LimitSpec): void {
  if (!spec || typeof spec !== 'object') throw new TypeError('spec must be an object');
  if (!WINDOW_KINDS.includes(spec.window)) throw new RangeError(`spec.window must be one of ${WINDOW_KINDS.join(', ')}`);
  if (!spec.limit || typeof spec.limit !== 'object') throw new TypeError('spec.limit must be an object');
  checkAmounts('spec.limit', spec.limit);
  const ttl = spec.reservationTtlMs;
  if (ttl !== undefined && !(typeof ttl === 'number' && Number.isFinite(ttl) && ttl > 0)) {
    throw new RangeError('spec.reservationTtlMs must be a positive number of milliseconds');
  }
}
