// The BudgetCounter RPC contract, shared by the object and its clients.
// Amounts are dollars / tokens / requests; times are epoch milliseconds.
import type { Window } from '../policy/types';
import type { Amounts, Dimension } from './amounts';

/** What a counter enforces. Sent with every call, so a new bundle's limits apply at once. */
export interface LimitSpec {
  window: Window;
  limit: Amounts;
  /** How long an unsettled reservation holds its amounts (default 10 minutes). */
  reservationTtlMs?: number;
  /** `warn` budgets grant over the limit (flagged `overLimit`) so their spend is still counted. */
  onExceed?: 'deny' | 'warn';
}

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
  /** limit - used - reserved, never below 0, for the limited dimensions. */
  remaining: Amounts;
  limit: Amounts;
  window: { kind: Window; start: number; resetAt: number };
}

export const DEFAULT_RESERVATION_TTL_MS = 10 * 60_000;
