// The BudgetCounter RPC contract, shared by the object and its clients.
// Amounts are dollars / tokens / requests; times are epoch milliseconds.
import type { Window } from '../policy/types';
import type { Amounts, Dimension, Units } from './amounts';

/** What a counter enforces. Sent with every call, so a new bundle's limits apply at once. */
export interface LimitSpec {
  window: Window;
  limit: Amounts;
  /** How long an unsettled reservation holds its amounts (default 10 minutes). */
  reservationTtlMs?: number;
  /** `warn` budgets grant over the limit (flagged `overLimit`) so their spend is still counted. */
  onExceed?: 'deny' | 'warn';
}

/**
 * A lease: a slice of what a counter has left, granted to one isolate, which spends it locally
 * (no round trip per request) and returns what it spent (budget-counter.ts, lease-holder.ts).
 */
export interface LeaseAsk {
  /** How much the isolate would like (its recent spend); the counter grants at most a share of what is left. */
  want: Amounts;
  /** The isolate's previous lease on this counter, returned in the same call. */
  returning?: LeaseReturn;
  /** true: do not grant a new lease, only return `returning` and reserve this request exactly. */
  exactOnly?: boolean;
}

export interface LeaseReturn {
  leaseId: string;
  /** What the isolate admitted under the lease: estimates, corrected by settled actuals. */
  spent: Amounts;
}

/** A request admitted under a lease, as its reservation carries it (plain data). */
export interface LeaseTicket {
  /** The holder's slot (lease-holder.ts). */
  key: string;
  leaseId: string;
  /** What the request took from the lease, in storage units. */
  estimate: Units;
}

export interface LeaseGrant {
  leaseId: string;
  /** The slice, for the limited dimensions only (the others are not bounded by this counter). */
  granted: Amounts;
  /** How long the holder may spend it, counted from when it receives the answer. */
  usableForMs: number;
  resetAt: number;
}

/** A lease, or (near the limit, `lease: off`, or `exactOnly`) an exact reservation of the request. */
export type TakeResult = { lease: LeaseGrant; state: WindowState & { remaining: Amounts } } | { reserve: ReserveResult };

export interface ReserveOptions {
  /** Client key that made the reservation; settle and release by a client key must match it. */
  keyId?: string;
}

export type ReserveResult =
  | {
      granted: true;
      reservationId: string;
      /** What is left after this reservation, for the limited dimensions. */
      remaining: Amounts;
      resetAt: number;
      /** Only for `onExceed: warn`: the grant went past the limit. */
      overLimit?: true;
      /** The request already held (or settled) a reservation here: nothing more was taken. */
      replayed?: true;
    } & WindowState
  | ({ granted: false; remaining: Amounts; resetAt: number; limitedBy: Dimension } & WindowState);

/**
 * The window's used and reserved amounts after the call, so a reserve's answer can stand in for
 * a state read (conditions on `budget.<id>.used.*` are served from it: budget-cache.ts).
 */
export interface WindowState {
  used: Amounts;
  reserved: Amounts;
  /** Held by isolates' leases (granted, not yet returned), for the limited dimensions. */
  leased?: Amounts;
}

export interface OwnerCheck {
  /** A client key id: the call is refused unless the reservation was made with this key. */
  keyId?: string;
}

export type SettleResult =
  | { ok: true; reservationId: string; alreadySettled?: true }
  | { ok: false; reservationId: string; reason: 'unknown' | 'forbidden' | 'released' };

export type ReleaseResult =
  | { ok: true; reservationId: string; alreadyFinished?: true }
  | { ok: false; reservationId: string; reason: 'unknown' | 'forbidden' | 'settled' };

export interface CounterState {
  used: Amounts;
  reserved: Amounts;
  /** Held by isolates' leases: granted and not yet returned or lapsed. */
  leased: Amounts;
  /** limit - used - reserved - leased, never below 0, for the limited dimensions. */
  remaining: Amounts;
  limit: Amounts;
  window: { kind: Window; start: number; resetAt: number };
}

export const DEFAULT_RESERVATION_TTL_MS = 10 * 60_000;
