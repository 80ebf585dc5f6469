// A request's budget and rate-limit reservations, from reserve to settle. The hold is settled
// exactly once (a second settle is a no-op), so every ending of a request (answer, upstream
// error, timeout, disconnect, a stream cut short) can settle without double counting.
// Limits with `lease: auto` (the default) are admitted under this isolate's lease when their
// counter grants one (durable/lease-holder.ts): no counter call for most requests, and a settle
// that only corrects the lease locally. /v1/evaluate's `budgets: "reserve"` never leases: its
// caller settles by reservation id through /v1/budgets/settle, which needs a counter row.
import type { Amounts } from '../../durable/amounts';
import { reserveAll, settleAll, type ReserveAllResult, type Reservation } from '../../durable/budgets-client';
import type { BudgetsEnv } from '../../durable/env';
import { isolateLeases, type LeaseHolder } from '../../durable/lease-holder';
import type { Budget, RateLimit } from '../../policy/types';
import { rememberBudgetState } from '../decision/budget-cache';
import { log } from '../log';

// A stream may run for many minutes; its hold must outlive it.
const STREAM_RESERVATION_TTL_MS = 30 * 60_000;

export interface ReserveRequest {
  budgets: Budget[];
  rateLimits: RateLimit[];
  context: object;
  estimate: Amounts;
  requestId: string;
  keyId?: string;
  streaming: boolean;
}

export type ReserveOutcome = { ok: true; hold: BudgetHold; warnings?: string[] } | Extract<ReserveAllResult, { ok: false }>;

export async function reserve(env: BudgetsEnv, r: ReserveRequest, leases: LeaseHolder = isolateLeases): Promise<ReserveOutcome> {
  if (r.budgets.length === 0 && r.rateLimits.length === 0) return { ok: true, hold: new BudgetHold(env, [], leases) };
  // Counters treat a repeated request id as a retry of the same request and take nothing more;
  // x-request-id comes from the caller, so each proxied call reserves under an id of its own.
  const reservationId = `${r.requestId}~${crypto.randomUUID()}`;
  const result = await reserveAll(env, r.budgets, r.rateLimits, r.context, r.estimate, reservationId, {
    keyId: r.keyId,
    reservationTtlMs: r.streaming ? STREAM_RESERVATION_TTL_MS : undefined,
    leases,
  });
  // The counters moved: this isolate's next condition on them reads the state the reserve answered
  // with (budget-cache.ts), not a second call.
  rememberBudgetState(r.budgets, r.context, result.states);
  if (!result.ok) return result;
  for (const warning of result.warnings) log('warn', 'budget_warning', { requestId: r.requestId, warning });
  return { ok: true, hold: new BudgetHold(env, result.reservations, leases), warnings: result.warnings };
}

export class BudgetHold {
  private settled = false;

  constructor(
    private readonly env: BudgetsEnv,
    readonly reservations: readonly Reservation[],
    private readonly leases: LeaseHolder,
  ) {}

  /** Records the real usage. Dimensions left out of `actual` keep the reserved estimate. */
  async settle(actual: Amounts, requestId: string): Promise<void> {
    if (this.settled || this.reservations.length === 0) return;
    this.settled = true;
    // The proxy settles as the worker, not as the client key: it measured the usage itself, so
    // what the upstream reported is recorded even above the estimate (budget-counter.ts).
    const results = await settleAll(this.env, this.reservations, actual, {}, { leases: this.leases });
    const failed = results.filter((r) => !r.ok);
    if (failed.length > 0) log('error', 'budget_settle_failed', { requestId, failed });
    // Settles run under waitUntil: a good moment to hand back leases whose time is up.
    if (this.reservations.some((r) => r.lease)) await this.leases.returnDue(this.env);
  }

  /**
   * For the request's waitUntil, after the settle: waits until this isolate's live leases are
   * due and returns them, so an isolate that goes quiet does not leave them to lapse (a lapsed
   * lease counts as fully spent). At most one waiter per lease; nothing to do without a lease.
   */
  async returnLeasesWhenDue(): Promise<void> {
    if (this.reservations.some((r) => r.lease)) await this.leases.returnWhenDue(this.env);
  }
}
