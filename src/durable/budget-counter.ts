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
import { BudgetStore, TOMBSTONE_MS, type ReservationRow } from './budget-store';
import {
  DEFAULT_RESERVATION_TTL_MS,
  type CounterState,
  type LeaseAsk,
  type LimitSpec,
  type OwnerCheck,
  type ReleaseResult,
  type ReserveOptions,
  type ReserveResult,
  type SettleResult,
  type TakeResult,
} from './budget-types';
import { LeaseStore, countedOf, type LeaseRow } from './lease-store';
import { WINDOW_KINDS, windowAt, type WindowBounds } from './windows';

/** A lease is at most this share of what a dimension has left. */
export const LEASE_SHARE = 0.02;
/** Below this share of its limit left in any dimension, requests are reserved exactly. */
export const EXACT_BELOW_SHARE = 0.1;
/** A lease must fit at least this many of the asking request's estimate (else: exact reserve). */
export const LEASE_MIN_FIT = 2;
/** How long a holder may spend a lease, from when it receives it (never past the window's end). */
export const LEASE_TTL_MS = 10_000;
/** How long after its usable time an unreturned lease waits before it lapses (counted as spent). */
export const LEASE_LAPSE_GRACE_MS = 20_000;

/** Used, reserved (held) and leased amounts of one window, in storage units. */
interface Committed {
  used: Units;
  held: Units;
  leased: Units;
}

/**
 * One budget or rate-limit counter: one object per (limit id, scope value).
 *
 * An admitted request counts: neither a settle nor a client's release can take its request back
 * (see admittedUsage), and a client key cannot settle above the estimate it was granted.
 *
 * The invariant: in every window, used + reserved + leased never exceeds the limit, whatever
 * the concurrency (spend above estimates aside, see below). Each RPC method does its whole read-check-write synchronously, with no `await`
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
 * Leases (`take`): instead of reserving one request, the counter can grant an isolate a slice of
 * what is left (LEASE_SHARE of it, at most what the isolate asks for: about twice its recent
 * spend), which the isolate spends locally without a call per request (lease-holder.ts). A lease
 * is granted only when the slice fits in what is left, so it enters the invariant like a
 * reservation: granted amounts count as `leased` until the lease comes back, and then as `used`
 * by what the holder reports it spent. Design choices:
 * - A lease the holder never returns (its isolate died) lapses LEASE_LAPSE_GRACE_MS after its
 *   usable time and counts as fully spent. Conservative: the ceiling holds; the cost is that
 *   budget a dead isolate did not spend stays unusable until the window rolls over (at most one
 *   lease per dead isolate, and a lease is at most LEASE_SHARE of what was left).
 * - Near the limit (any limited dimension with less than EXACT_BELOW_SHARE of its limit left,
 *   or a slice too small for LEASE_MIN_FIT of this request's estimate) no lease is granted: the
 *   request is reserved exactly, in the same call. Outstanding leases of other isolates still
 *   count, so near the limit a request may be refused while another isolate holds lease it has
 *   not spent (it comes back at the holder's next call or lapses within seconds).
 * - A lease belongs to the window it was granted in and is usable at most until that window's
 *   end (counted on the holder's clock from when it receives the grant, so a request admitted a
 *   round trip's time after the boundary still counts in the old window, as a late settle does).
 * - A holder's settle is local: it corrects the lease's spend by (actual - estimate); the
 *   counter learns the spend when the lease is returned (or renewed), and corrections that come
 *   after that as `adjustLease` (which may arrive before the return: both add up, in any order).
 *   Real usage above the estimate is recorded like a reservation settled above its estimate (the
 *   overshoot below).
 *
 * Windows are UTC calendar windows. A reservation belongs to the window it was made in: settling
 * it after the boundary adds its actual usage to that earlier window, never to the new one (the
 * new window's limit was checked without it).
 */
export class BudgetCounter extends DurableObject<unknown> {
  private readonly store: BudgetStore;
  private readonly leases: LeaseStore;
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
    this.leases = new LeaseStore(ctx.storage.sql);
    void ctx.blockConcurrencyWhile(async () => {
      this.store.migrate();
      this.leases.migrate();
    });
  }

  async reserve(requestId: string, estimate: Amounts, spec: LimitSpec, opts: ReserveOptions = {}): Promise<ReserveResult> {
    checkId('requestId', requestId);
    checkAmounts('estimate', estimate);
    checkSpec(spec);
    const now = this.clock();
    this.lapseDue(now);
    const result = this.reserveAt(now, requestId, estimate, spec, opts.keyId ?? null);
    if (result.granted && !result.replayed) await this.scheduleAlarm(now, now + ttlOf(spec));
    return result;
  }

  /**
   * A lease for the asking isolate, or when none can be granted (near the limit, or
   * `ask.exactOnly`) an exact reservation of this request, as `reserve` makes. Returns the
   * isolate's previous lease first, in the same step, so its unspent part counts as left.
   */
  async take(requestId: string, estimate: Amounts, spec: LimitSpec, ask: LeaseAsk, opts: ReserveOptions = {}): Promise<TakeResult> {
    checkId('requestId', requestId);
    checkAmounts('estimate', estimate);
    checkSpec(spec);
    checkAsk(ask);
    const now = this.clock();
    this.lapseDue(now);
    if (ask.returning) this.returnAt(now, ask.returning.leaseId, unitsOf(ask.returning.spent));
    const granted = ask.exactOnly ? undefined : this.grantAt(now, estimate, spec, ask.want);
    if (granted) {
      await this.scheduleAlarm(now, now + granted.lease.usableForMs + LEASE_LAPSE_GRACE_MS);
      return granted;
    }
    const result = this.reserveAt(now, requestId, estimate, spec, opts.keyId ?? null);
    if (result.granted && !result.replayed) await this.scheduleAlarm(now, now + ttlOf(spec));
    return { reserve: result };
  }

  /** Returns a lease the holder will not spend from any more (`spent`: what it admitted under it). */
  async returnLease(leaseId: string, spent: Amounts): Promise<{ ok: boolean }> {
    checkId('leaseId', leaseId);
    checkAmounts('spent', spent);
    const now = this.clock();
    this.lapseDue(now);
    return { ok: this.returnAt(now, leaseId, unitsOf(spent)) };
  }

  /**
   * A settle that came after its holder handed the lease back: the lease's reported spend moves
   * by `more` - `less` (actual above or below the estimate), and its window's used with it. The
   * holder sends it only after its report was taken, so it is never part of that report; it may
   * still arrive first (the two calls travel separately): an active lease keeps it until then.
   */
  async adjustLease(leaseId: string, more: Amounts, less: Amounts): Promise<{ ok: boolean }> {
    checkId('leaseId', leaseId);
    checkAmounts('more', more);
    checkAmounts('less', less);
    const now = this.clock();
    this.lapseDue(now);
    const lease = this.leases.lease(leaseId);
    if (!lease) return { ok: false };
    const reported = subtract(add(lease.reported, unitsOf(more)), unitsOf(less));
    if (lease.status === 'active') this.leases.correct(lease.id, reported);
    else this.finishLease(now, lease, lease.status, reported);
    return { ok: true };
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
    const now = this.clock();
    this.lapseDue(now);
    const window = windowAt(spec.window, now);
    const totals = this.committed(window);
    return {
      used: amountsOf(totals.used),
      reserved: amountsOf(totals.held),
      leased: stateOf(totals, spec.limit).leased,
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
    this.lapseDue(now);
    this.store.purge(now);
    this.leases.purge(now - TOMBSTONE_MS);
    await this.scheduleAlarm(now, null);
  }

  private reserveAt(now: number, requestId: string, estimate: Amounts, spec: LimitSpec, keyId: string | null): ReserveResult {
    const window = windowAt(spec.window, now);
    const prior = this.store.reservation(requestId);
    // Idempotent per request: a retry of a held or settled reservation takes nothing more.
    // A released or expired one no longer holds anything, so the retry reserves afresh.
    if (prior && (prior.status === 'held' || prior.status === 'settled')) {
      const now = this.committed(window);
      return {
        granted: true,
        reservationId: requestId,
        remaining: remainingOf(now, spec.limit),
        resetAt: prior.window.end,
        replayed: true,
        ...stateOf(now, spec.limit),
      };
    }
    const wanted = unitsOf(estimate, { ...ZERO_UNITS, requests: 1 });
    const totals = this.committed(window);
    const limitedBy = firstExceeded(totals, wanted, spec.limit);
    if (limitedBy && spec.onExceed !== 'warn') {
      return { granted: false, remaining: remainingOf(totals, spec.limit), resetAt: window.end, limitedBy, ...stateOf(totals, spec.limit) };
    }
    this.store.putHeld(requestId, window, wanted, keyId, now + ttlOf(spec));
    this.store.addToWindow(window, ZERO_UNITS, wanted);
    const after = { ...totals, held: add(totals.held, wanted) };
    return {
      granted: true,
      reservationId: requestId,
      remaining: remainingOf(after, spec.limit),
      resetAt: window.end,
      ...(limitedBy ? { overLimit: true as const } : {}),
      ...stateOf(after, spec.limit),
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

  /** The lease to grant, or undefined when this request must be reserved exactly. */
  private grantAt(now: number, estimate: Amounts, spec: LimitSpec, want: Amounts): Extract<TakeResult, { lease: unknown }> | undefined {
    const window = windowAt(spec.window, now);
    const totals = this.committed(window);
    const needed = unitsOf(estimate, { ...ZERO_UNITS, requests: 1 });
    const wanted = unitsOf(want);
    const granted = { ...ZERO_UNITS };
    const dims = limitedDimensions(spec.limit);
    for (const dim of dims) {
      const cap = unitsOf({ [dim]: spec.limit[dim] })[dim];
      const left = cap - totals.used[dim] - totals.held[dim] - totals.leased[dim];
      if (left < cap * EXACT_BELOW_SHARE) return undefined;
      const fit = Math.max(1, LEASE_MIN_FIT * needed[dim]);
      const slice = Math.min(Math.floor(left * LEASE_SHARE), Math.max(wanted[dim], fit));
      if (slice < fit) return undefined;
      granted[dim] = slice;
    }
    const usableForMs = Math.min(LEASE_TTL_MS, window.end - now);
    const leaseId = `lease-${crypto.randomUUID()}`;
    this.leases.put(leaseId, window, granted, now + usableForMs + LEASE_LAPSE_GRACE_MS);
    const after = { ...totals, leased: add(totals.leased, granted) };
    return {
      lease: { leaseId, granted: amountsOf(granted, dims), usableForMs, resetAt: window.end },
      state: { ...stateOf(after, spec.limit), remaining: remainingOf(after, spec.limit) },
    };
  }

  /**
   * The holder's report on a lease (added to corrections that came before it); false when the
   * counter no longer knows the lease. A holder reports once: a repeated return changes nothing.
   */
  private returnAt(now: number, leaseId: string, spent: Units): boolean {
    const lease = this.leases.lease(leaseId);
    if (!lease) return false;
    if (lease.status === 'returned') return true;
    // A late return of a lapsed lease keeps it lapsed: it counts as the larger of grant and report.
    this.finishLease(now, lease, lease.status === 'lapsed' ? 'lapsed' : 'returned', add(lease.reported, spent));
    return true;
  }

  /** Leases past their lapse time count as fully spent (see the class comment). */
  private lapseDue(now: number): void {
    for (const lease of this.leases.activeDueBy(now)) this.finishLease(now, lease, 'lapsed', lease.reported);
  }

  /** Moves a lease to its new status and report; its window's used moves by what it counts for. */
  private finishLease(now: number, lease: LeaseRow, status: 'returned' | 'lapsed', reported: Units): void {
    const before = countedOf(lease);
    const after = countedOf({ status, granted: lease.granted, reported });
    this.leases.finish(lease.id, status, reported, now);
    this.store.addToWindow(lease.window, subtract(after, before), ZERO_UNITS);
  }

  private committed(window: WindowBounds): Committed {
    return { ...this.store.totals(window), leased: this.leases.leasedIn(window) };
  }

  /** Makes sure an alarm comes by `candidate` (or by the store's next due time when null). */
  private async scheduleAlarm(now: number, candidate: number | null): Promise<void> {
    if (candidate !== null && this.alarmAt !== null && this.alarmAt <= candidate) return;
    const due = earliest(earliest(this.store.nextDue(), this.leases.nextLapse()), this.leases.nextPurge(TOMBSTONE_MS));
    if (due === null) return;
    this.alarmAt = due;
    // Alarms run on the real clock: schedule the same delay from real now, so a test clock set
    // anywhere in time still sees its alarm only when it runs it.
    await this.ctx.storage.setAlarm(Date.now() + Math.max(0, due - now));
  }
}

function firstExceeded(totals: Committed, wanted: Units, limit: Amounts): Dimension | undefined {
  for (const dim of limitedDimensions(limit)) {
    const cap = unitsOf({ [dim]: limit[dim] })[dim];
    const committed = totals.used[dim] + totals.held[dim] + totals.leased[dim];
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

/** The window's state as answers carry it (leased: the limited dimensions, the only ones leases bound). */
function stateOf(totals: Committed, limit: Amounts): { used: Amounts; reserved: Amounts; leased: Amounts } {
  return { used: amountsOf(totals.used), reserved: amountsOf(totals.held), leased: amountsOf(totals.leased, limitedDimensions(limit)) };
}

function remainingOf(totals: Committed, limit: Amounts): Amounts {
  const out: Amounts = {};
  for (const dim of limitedDimensions(limit)) {
    const cap = unitsOf({ [dim]: limit[dim] })[dim];
    out[dim] = fromUnit(dim, Math.max(0, cap - totals.used[dim] - totals.held[dim] - totals.leased[dim]));
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

function subtract(a: Units, b: Units): Units {
  return { costUsd: a.costUsd - b.costUsd, tokens: a.tokens - b.tokens, requests: a.requests - b.requests };
}

function earliest(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  return b === null ? a : Math.min(a, b);
}

function negate(u: Units): Units {
  return { costUsd: -u.costUsd, tokens: -u.tokens, requests: -u.requests };
}

function checkId(what: string, id: unknown): void {
  if (typeof id !== 'string' || id.length === 0 || id.length > 512) {
    throw new TypeError(`${what} must be a non-empty string of at most 512 characters`);
  }
}

function checkAsk(ask: LeaseAsk): void {
  if (!ask || typeof ask !== 'object') throw new TypeError('ask must be an object');
  checkAmounts('ask.want', ask.want ?? {});
  if (ask.returning) {
    checkId('ask.returning.leaseId', ask.returning.leaseId);
    checkAmounts('ask.returning.spent', ask.returning.spent);
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
