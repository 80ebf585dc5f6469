// The isolate's side of budget leases (budget-counter.ts `take`): per counter, the lease this
// isolate holds, spent locally without a call per request.
//
// Module state of an isolate outlives the request that made it, and workerd refuses I/O objects
// (stubs, promises of another request's I/O) across requests: everything kept here is plain data,
// and every call builds its stub from the calling request's env.
//
// Per counter at most one request at a time asks for a lease (the leader); requests that find
// no usable lease meanwhile reserve exactly, in parallel. Before a refusal is final, this
// isolate's own unspent lease goes back to the counter and the request is tried once more
// exactly, so an isolate never refuses a request while it holds lease that would have let it
// through (another isolate's unspent lease still can: see budget-counter.ts).
import { DIMENSIONS, ZERO_UNITS, amountsOf, fromUnit, limitedDimensions, unitsOf, type Amounts, type Dimension, type Units } from './amounts';
import type { LeaseTicket, LimitSpec, ReserveOptions, ReserveResult, WindowState } from './budget-types';
import { counterStub } from './counter-stub';
import type { BudgetsEnv } from './env';
import type { LimitKind } from './reservation-id';

/** What a holder asks for at first: room for this many requests like the current one. */
const FIRST_WANT_REQUESTS = 8;
/** After a lease, ask for this many times what it spent (demand grows or shrinks with use). */
const WANT_GROWTH = 2;
/** A leader's ask older than this is taken for lost (its request died): another may ask. */
const ASK_TIMEOUT_MS = 5_000;
/** returnWhenDue waits at most this long (a lease is usable for at most LEASE_TTL_MS, 10 s). */
const MAX_WAIT_MS = 10_000;
/** Counters tracked at most; past it, slots without a live lease are dropped. */
const MAX_SLOTS = 10_000;

export interface LeaseTarget {
  kind: LimitKind;
  limitId: string;
  scopeValue: string;
  spec: LimitSpec;
}

interface HeldLease {
  leaseId: string;
  granted: Units;
  limited: Dimension[];
  spent: Units;
  /** Holder clock: the lease is not spent from at or after this. */
  usableUntil: number;
  returned: boolean;
  /** A request's waitUntil is waiting to return it when its time is up (returnWhenDue). */
  awaited?: true;
  /** The counter's window state when it granted the lease (spending moves leased into used). */
  base: WindowState & { remaining: Amounts };
  resetAt: number;
}

interface Slot {
  target: LeaseTarget;
  lease?: HeldLease;
  /** Holder clock when the current leader asked, and its token (so a late answer cannot clear a newer ask). */
  asking?: { since: number; token: number };
  /** What the last lease spent: sizes the next ask. */
  lastSpent?: Units;
}

export interface Taken {
  result: ReserveResult;
  /** Present when the request was admitted under a lease: settle and release go through the holder. */
  ticket?: LeaseTicket;
}

export class LeaseHolder {
  private readonly slots = new Map<string, Slot>();
  private tokens = 0;

  constructor(private clock: () => number = () => Date.now()) {}

  /** Tests only: the holder's notion of now (undefined restores Date.now). */
  setClock(now: (() => number) | undefined): void {
    this.clock = now ?? (() => Date.now());
  }

  /** Admits the request under this isolate's lease on the counter, or through the counter. */
  async take(env: BudgetsEnv, target: LeaseTarget, estimate: Amounts, requestId: string, opts: ReserveOptions): Promise<Taken> {
    const key = keyOf(target);
    const need = unitsOf(estimate, { ...ZERO_UNITS, requests: 1 });
    const slot = this.slotFor(key, target);
    const local = this.spendLocally(key, slot, need);
    if (local) return local;

    const stub = counterStub(env, target.kind, target.limitId, target.scopeValue);
    let result: ReserveResult;
    const now = this.clock();
    if (slot.asking && now - slot.asking.since < ASK_TIMEOUT_MS) {
      result = await stub.reserve(requestId, estimate, target.spec, opts);
    } else {
      const token = ++this.tokens;
      slot.asking = { since: now, token };
      const returning = this.giveBack(slot);
      const want = wantOf(need, slot.lastSpent);
      try {
        const answer = await stub.take(requestId, estimate, target.spec, { want: amountsOf(want), ...(returning ? { returning } : {}) }, opts);
        if ('lease' in answer) {
          const { lease, state } = answer;
          // A later ask (this one was taken for lost) may have installed a lease meanwhile: it goes
          // back now, or nothing would return it and it would lapse (counted as fully spent).
          const displaced = this.giveBack(slot);
          if (displaced) await stub.returnLease(displaced.leaseId, displaced.spent).catch(() => undefined);
          slot.lease = {
            leaseId: lease.leaseId,
            granted: unitsOf(lease.granted),
            limited: limitedDimensions(target.spec.limit),
            spent: { ...ZERO_UNITS },
            usableUntil: this.clock() + lease.usableForMs,
            returned: false,
            base: state,
            resetAt: lease.resetAt,
          };
          const spent = this.spendLocally(key, slot, need);
          if (spent) return spent;
          // Cannot happen (the counter sizes a lease to fit the request); stay exact if it does.
          result = await stub.reserve(requestId, estimate, target.spec, opts);
        } else {
          result = answer.reserve;
        }
      } finally {
        if (slot.asking?.token === token) slot.asking = undefined;
      }
    }
    if (result.granted) return { result };

    // Refused: first this isolate's own unspent lease, then once more exactly with it returned.
    const local2 = this.spendLocally(key, slot, need);
    if (local2) return local2;
    const returning = this.giveBack(slot);
    if (!returning) return { result };
    // The counter has refused: a retry that cannot reach it keeps that refusal. Thrown, it would
    // read as an unreachable counter, which onUnavailable: allow lets through (fail open).
    const again = await stub.take(requestId, estimate, target.spec, { want: {}, returning, exactOnly: true }, opts).catch(() => undefined);
    return { result: again && 'reserve' in again ? again.reserve : result };
  }

  /**
   * A request admitted under a lease ended with `actual` (dimensions left out keep the estimate;
   * an admitted request counts as one, as the counter's settle has it). While the lease is held
   * the correction is local; after it went back, the counter is told (`adjustLease`).
   */
  async settle(env: BudgetsEnv, ticket: LeaseTicket, actual: Amounts): Promise<{ ok: boolean }> {
    const used = unitsOf(actual, ticket.estimate);
    used.requests = Math.max(used.requests, ticket.estimate.requests);
    return this.correct(env, ticket, used);
  }

  /** The worker's own release of a request that never went out: its estimate comes off the lease. */
  async release(env: BudgetsEnv, ticket: LeaseTicket): Promise<{ ok: boolean }> {
    return this.correct(env, ticket, { ...ZERO_UNITS });
  }

  /** Returns the leases whose usable time is over (call from a request's waitUntil). */
  async returnDue(env: BudgetsEnv): Promise<void> {
    const now = this.clock();
    const due: Array<Promise<unknown>> = [];
    for (const slot of this.slots.values()) {
      const lease = slot.lease;
      if (!lease || lease.returned || now < lease.usableUntil) continue;
      due.push(this.sendBack(env, slot));
    }
    await Promise.all(due);
  }

  /**
   * Waits until each live lease's usable time is up and returns it, so an isolate that goes quiet
   * hands its leases back instead of letting them lapse (a lapsed lease counts as fully spent).
   * One waiter per lease; call from a request's waitUntil (a timer of at most LEASE_TTL_MS).
   */
  async returnWhenDue(env: BudgetsEnv, sleep: (ms: number) => Promise<void> = realSleep): Promise<void> {
    const waits: Array<Promise<void>> = [];
    for (const slot of this.slots.values()) {
      const lease = slot.lease;
      if (!lease || lease.returned || lease.awaited) continue;
      lease.awaited = true;
      const wait = Math.min(MAX_WAIT_MS, Math.max(0, lease.usableUntil - this.clock()));
      waits.push(
        sleep(wait).then(async () => {
          // Renewed or returned meanwhile: nothing to do (a renewal made a new lease).
          if (slot.lease === lease && !lease.returned) await this.sendBack(env, slot);
        }),
      );
    }
    await Promise.all(waits);
  }

  /** The state to show for the counter (conditions, records), when this isolate holds a live lease on it. */
  stateOf(target: LeaseTarget): (WindowState & { remaining: Amounts }) | undefined {
    const lease = this.slots.get(keyOf(target))?.lease;
    return lease && !lease.returned ? stateAfter(lease) : undefined;
  }

  /**
   * What this isolate may still spend on the counter, when it holds a live lease on it: what the
   * counter had left when it granted the lease, plus the lease's unspent part.
   */
  spendable(target: LeaseTarget): Amounts | undefined {
    const lease = this.slots.get(keyOf(target))?.lease;
    if (!lease || lease.returned || this.clock() >= lease.usableUntil) return undefined;
    const left = unitsOf(lease.base.remaining);
    const out: Amounts = {};
    for (const dim of lease.limited) out[dim] = fromUnit(dim, left[dim] + Math.max(0, lease.granted[dim] - lease.spent[dim]));
    return out;
  }

  private slotFor(key: string, target: LeaseTarget): Slot {
    let slot = this.slots.get(key);
    if (slot) return slot;
    if (this.slots.size >= MAX_SLOTS) this.prune();
    slot = { target };
    this.slots.set(key, slot);
    return slot;
  }

  private spendLocally(key: string, slot: Slot, need: Units): Taken | undefined {
    const lease = slot.lease;
    if (!lease || lease.returned || this.clock() >= lease.usableUntil) return undefined;
    for (const dim of lease.limited) if (lease.spent[dim] + need[dim] > lease.granted[dim]) return undefined;
    for (const dim of DIMENSIONS) lease.spent[dim] += need[dim];
    const state = stateAfter(lease);
    return {
      result: { granted: true, reservationId: lease.leaseId, remaining: state.remaining, resetAt: lease.resetAt, used: state.used, reserved: state.reserved, leased: state.leased },
      ticket: { key, leaseId: lease.leaseId, estimate: need },
    };
  }

  /** Takes the slot's lease back from local use; what to send the counter, if there was one. */
  private giveBack(slot: Slot): { leaseId: string; spent: Amounts } | undefined {
    const lease = slot.lease;
    if (!lease || lease.returned) return undefined;
    lease.returned = true;
    slot.lease = undefined;
    slot.lastSpent = lease.spent;
    return { leaseId: lease.leaseId, spent: amountsOf(lease.spent) };
  }

  /** Gives the slot's live lease back and tells its counter (a lost return lapses, counted as spent). */
  private async sendBack(env: BudgetsEnv, slot: Slot): Promise<void> {
    const returning = this.giveBack(slot);
    if (!returning) return;
    const { kind, limitId, scopeValue } = slot.target;
    await counterStub(env, kind, limitId, scopeValue).returnLease(returning.leaseId, returning.spent).catch(() => undefined);
  }

  private async correct(env: BudgetsEnv, ticket: LeaseTicket, used: Units): Promise<{ ok: boolean }> {
    const slot = this.slots.get(ticket.key);
    const lease = slot?.lease;
    if (lease && lease.leaseId === ticket.leaseId && !lease.returned) {
      for (const dim of DIMENSIONS) lease.spent[dim] = Math.max(0, lease.spent[dim] + used[dim] - ticket.estimate[dim]);
      return { ok: true };
    }
    const more: Amounts = {};
    const less: Amounts = {};
    for (const dim of DIMENSIONS) {
      const d = used[dim] - ticket.estimate[dim];
      if (d > 0) more[dim] = fromUnit(dim, d);
      else if (d < 0) less[dim] = fromUnit(dim, -d);
    }
    if (Object.keys(more).length === 0 && Object.keys(less).length === 0) return { ok: true };
    // The slot is gone only after pruning; the ticket still names its counter through its key.
    const target = slot?.target ?? targetOfKey(ticket.key);
    return counterStub(env, target.kind, target.limitId, target.scopeValue).adjustLease(ticket.leaseId, more, less);
  }

  private prune(): void {
    for (const [key, slot] of this.slots) if (!slot.lease && !slot.asking) this.slots.delete(key);
  }
}

/** The isolate's holder: proxied calls in this isolate share it. */
export const isolateLeases = new LeaseHolder();

/** The counter and what the bundle says of it: a changed limit is a new slot (the old lease lapses). */
function keyOf(t: LeaseTarget): string {
  return JSON.stringify([t.kind, t.limitId, t.scopeValue, t.spec.window, t.spec.limit, t.spec.onExceed ?? 'deny']);
}

function targetOfKey(key: string): Pick<LeaseTarget, 'kind' | 'limitId' | 'scopeValue'> {
  const [kind, limitId, scopeValue] = JSON.parse(key) as [LimitKind, string, string];
  return { kind, limitId, scopeValue };
}

function realSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function wantOf(need: Units, lastSpent: Units | undefined): Units {
  const want = { ...ZERO_UNITS };
  for (const dim of DIMENSIONS) want[dim] = Math.max(FIRST_WANT_REQUESTS * need[dim], WANT_GROWTH * (lastSpent?.[dim] ?? 0));
  return want;
}

/** The grant-time state with this isolate's spend moved from leased to used. */
function stateAfter(lease: HeldLease): WindowState & { remaining: Amounts } {
  const used: Amounts = {};
  const baseUsed = unitsOf(lease.base.used);
  for (const dim of DIMENSIONS) used[dim] = fromUnit(dim, baseUsed[dim] + lease.spent[dim]);
  const leased: Amounts = {};
  const baseLeased = unitsOf(lease.base.leased);
  for (const dim of lease.limited) leased[dim] = fromUnit(dim, Math.max(0, baseLeased[dim] - lease.spent[dim]));
  return { used, reserved: lease.base.reserved, leased, remaining: lease.base.remaining };
}
