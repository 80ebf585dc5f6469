// What the worker and the proxy call around a request: reserve its estimate in every budget and
// rate limit that applies, settle with the real usage afterwards (or release if it never ran),
// and read budget state for `budget.<id>.*` conditions.
import type { Budget, RateLimit } from '../policy/types';
import { checkAmounts, type Amounts, type Dimension } from './amounts';
import type { BudgetCounter } from './budget-counter';
import type { LeaseTicket, LimitSpec, ReleaseResult, ReserveResult, SettleResult } from './budget-types';
import { counterStub } from './counter-stub';
import type { BudgetsEnv } from './env';
import type { LeaseHolder } from './lease-holder';
import { makeReservation, type LimitKind, type Reservation } from './reservation-id';
import { scopeValueOf } from './scope';

export type { Reservation } from './reservation-id';
export { counterStub } from './counter-stub';

export interface ReserveAllOptions {
  /** The client key making the request; only it (or the admin) may settle or release later. */
  keyId?: string;
  /** Hold time of unsettled reservations (default 10 minutes); long streams may want more. */
  reservationTtlMs?: number;
  /**
   * This isolate's leases (lease-holder.ts): limits with `lease: auto` are admitted under a lease
   * when the counter grants one. Without it every request is reserved exactly (what callers that
   * settle through /v1/budgets/settle need: their reservation ids name a counter row).
   */
  leases?: LeaseHolder;
}

/** How settleAll and releaseAll reach requests admitted under a lease. */
export interface LeaseOptions {
  leases?: LeaseHolder;
}

export type ReserveAllResult =
  | { ok: true; reservations: Reservation[]; warnings: string[]; states: BudgetStates }
  | {
      ok: false;
      states: BudgetStates;
      /** `budget_unavailable`: a counter could not be reached and the budget says onUnavailable: deny. */
      code: 'budget_exceeded' | 'rate_limited' | 'budget_unavailable';
      /** The budget or rate limit id that refused. */
      budgetId: string;
      retryAfterSeconds: number;
      message: string;
    };

export interface BudgetSnapshotEntry {
  remaining: Amounts;
  used: Amounts;
  reserved: Amounts;
  /** Held by isolates' leases (left out by counters that report none). */
  leased?: Amounts;
}

/** Budget id -> the counter's state right after the reserve (what a snapshot would have read). */
export type BudgetStates = Record<string, BudgetSnapshotEntry>;

/** Seconds a caller is told to wait when a counter could not be reached. */
const UNAVAILABLE_RETRY_SECONDS = 5;

interface Target {
  kind: LimitKind;
  limitId: string;
  scopeValue: string;
  spec: LimitSpec;
  onUnavailable: 'deny' | 'allow';
  lease: 'auto' | 'off';
}

type Attempt = { target: Target; result: ReserveResult; ticket?: LeaseTicket } | { target: Target; error: unknown };

/**
 * Reserves `estimate` in every budget and rate limit that applies to `context`, in parallel.
 * A limit applies when its scope field resolves to a scalar in the context; a budget scoped to
 * `team.id` does not apply to a request without a team. If any limit refuses, the reservations
 * already granted are released before returning, so a refused request holds nothing.
 * `onExceed: warn` budgets let the request through with a warning (and still count its spend);
 * a counter that cannot be reached refuses unless its budget says `onUnavailable: allow`
 * (rate limits always refuse then: they have no such setting).
 */
export async function reserveAll(
  env: BudgetsEnv,
  budgets: readonly Budget[],
  rateLimits: readonly RateLimit[],
  context: object,
  estimate: Amounts,
  requestId: string,
  opts: ReserveAllOptions = {},
): Promise<ReserveAllResult> {
  checkAmounts('estimate', estimate);
  // A caller's mistake must throw here, not pass for an unreachable counter further down.
  if (typeof requestId !== 'string' || requestId === '' || requestId.length > 512) {
    throw new TypeError('requestId must be a non-empty string of at most 512 characters');
  }
  const targets = targetsFor(budgets, rateLimits, context, opts.reservationTtlMs);
  const attempts = await Promise.all(targets.map((t) => attempt(env, t, estimate, requestId, opts)));

  const granted: Reservation[] = [];
  const warnings: string[] = [];
  const states: BudgetStates = {};
  let refusal: Omit<Extract<ReserveAllResult, { ok: false }>, 'states'> | undefined;
  for (const a of attempts) {
    const { target } = a;
    if (!('error' in a) && target.kind === 'budget') {
      const { remaining, used, reserved, leased } = a.result;
      states[target.limitId] = leased ? { remaining, used, reserved, leased } : { remaining, used, reserved };
    }
    if ('error' in a) {
      if (target.onUnavailable === 'allow') warnings.push(`${label(target)} is unavailable; allowed by onUnavailable: allow`);
      else refusal ??= unavailable(target);
    } else if (a.result.granted) {
      const reservation = makeReservation(target.kind, target.limitId, target.scopeValue, requestId);
      granted.push(a.ticket ? { ...reservation, lease: a.ticket } : reservation);
      if (a.result.overLimit) warnings.push(`${label(target)} is over its limit (onExceed: warn)`);
    } else {
      refusal ??= refused(target, a.result);
    }
  }
  if (refusal) {
    await releaseAll(env, granted, {}, opts);
    // The released holds are no longer in the states: drop them rather than show them.
    for (const r of granted) delete states[r.limitId];
    return { ...refusal, states };
  }
  return { ok: true, reservations: granted, warnings, states };
}

/**
 * Replaces each reservation's hold with the request's real usage. Dimensions missing from
 * `actual` keep the reserved estimate. Never throws: a counter that cannot be reached is
 * reported as `unavailable` (its hold then lapses after the TTL; the usage is not recorded).
 */
export async function settleAll(
  env: BudgetsEnv,
  reservations: readonly Reservation[],
  actual: Amounts,
  owner: { keyId?: string } = {},
  leases: LeaseOptions = {},
): Promise<Array<SettleResult | Unavailable>> {
  checkAmounts('actual', actual);
  return Promise.all(
    reservations.map((r) =>
      guarded(r, async (): Promise<SettleResult> => {
        // A lease's settle is the holder's (local while it holds the lease); only the worker has leases.
        if (r.lease && leases.leases && owner.keyId === undefined) return leaseAnswer(r, await leases.leases.settle(env, r.lease, actualFor(r, actual)));
        return stubFor(env, r).settle(r.requestId, actualFor(r, actual), owner);
      }),
    ),
  );
}

/** Drops the holds of a request that did not run. Never throws (see settleAll). */
export async function releaseAll(
  env: BudgetsEnv,
  reservations: readonly Reservation[],
  owner: { keyId?: string } = {},
  leases: LeaseOptions = {},
): Promise<Array<ReleaseResult | Unavailable>> {
  return Promise.all(
    reservations.map((r) =>
      guarded(r, async (): Promise<ReleaseResult> => {
        if (r.lease && leases.leases && owner.keyId === undefined) return leaseAnswer(r, await leases.leases.release(env, r.lease));
        return stubFor(env, r).release(r.requestId, owner);
      }),
    ),
  );
}

/** A lease settle or release as settleAll / releaseAll report it ('unknown': the counter forgot the lease). */
function leaseAnswer(r: Reservation, done: { ok: boolean }): SettleResult & ReleaseResult {
  return done.ok ? { ok: true, reservationId: r.id } : { ok: false, reservationId: r.id, reason: 'unknown' };
}

/**
 * The current window's state of every budget that applies to `context`, keyed by budget id, for
 * conditions on `budget.<id>.remaining.*` and `budget.<id>.used.*`. A budget whose counter cannot
 * be reached is left out (conditions on it see a missing field).
 */
export async function budgetSnapshot(
  env: BudgetsEnv,
  budgets: readonly Budget[],
  context: object,
): Promise<Record<string, BudgetSnapshotEntry>> {
  const targets = targetsFor(budgets, [], context, undefined);
  const states = await Promise.all(
    targets.map(async (t) => {
      try {
        return { t, state: await counterStub(env, t.kind, t.limitId, t.scopeValue).state(t.spec) };
      } catch {
        return { t, state: undefined };
      }
    }),
  );
  const out: Record<string, BudgetSnapshotEntry> = {};
  for (const { t, state } of states) {
    if (state) out[t.limitId] = { remaining: state.remaining, used: state.used, reserved: state.reserved, leased: state.leased };
  }
  return out;
}

export type Unavailable = { ok: false; reservationId: string; reason: 'unavailable'; message: string };

function stubFor(env: BudgetsEnv, r: Reservation): DurableObjectStub<BudgetCounter> {
  return counterStub(env, r.kind, r.limitId, r.scopeValue);
}

/** What a budget's counter enforces, as every call sends it. */
export function budgetSpec(b: Budget, ttl?: number): LimitSpec {
  return { window: b.window, limit: b.limit, onExceed: b.onExceed ?? 'deny', reservationTtlMs: ttl };
}

function targetsFor(budgets: readonly Budget[], rateLimits: readonly RateLimit[], context: object, ttl: number | undefined): Target[] {
  const targets: Target[] = [];
  for (const b of budgets) {
    const scopeValue = scopeValueOf(context, b.scope);
    if (scopeValue === undefined) continue;
    const spec = budgetSpec(b, ttl);
    targets.push({ kind: 'budget', limitId: b.id, scopeValue, spec, onUnavailable: b.onUnavailable ?? 'deny', lease: b.lease ?? 'auto' });
  }
  for (const r of rateLimits) {
    const scopeValue = scopeValueOf(context, r.scope);
    if (scopeValue === undefined) continue;
    const spec: LimitSpec = { window: r.window, limit: r.limit, reservationTtlMs: ttl };
    targets.push({ kind: 'rateLimit', limitId: r.id, scopeValue, spec, onUnavailable: 'deny', lease: r.lease ?? 'auto' });
  }
  return targets;
}

async function attempt(env: BudgetsEnv, target: Target, estimate: Amounts, requestId: string, opts: ReserveAllOptions): Promise<Attempt> {
  try {
    const reserveOpts = opts.keyId === undefined ? {} : { keyId: opts.keyId };
    if (opts.leases && target.lease === 'auto') return { target, ...(await opts.leases.take(env, target, estimateFor(target.kind, estimate), requestId, reserveOpts)) };
    const stub = counterStub(env, target.kind, target.limitId, target.scopeValue);
    const result = await stub.reserve(requestId, estimateFor(target.kind, estimate), target.spec, reserveOpts);
    return { target, result };
  } catch (error) {
    return { target, error };
  }
}

// Rate limits count requests and tokens only; a cost would be held for nothing.
function estimateFor(kind: LimitKind, estimate: Amounts): Amounts {
  return kind === 'budget' ? estimate : withoutCost(estimate);
}

function actualFor(r: Reservation, actual: Amounts): Amounts {
  return r.kind === 'budget' ? actual : withoutCost(actual);
}

function withoutCost(a: Amounts): Amounts {
  const { costUsd: _cost, ...rest } = a;
  return rest;
}

async function guarded<T>(r: Reservation, call: () => Promise<T>): Promise<T | Unavailable> {
  try {
    return await call();
  } catch (error) {
    return { ok: false, reservationId: r.id, reason: 'unavailable', message: error instanceof Error ? error.message : String(error) };
  }
}

function refused(target: Target, result: Extract<ReserveResult, { granted: false }>): Omit<Extract<ReserveAllResult, { ok: false }>, 'states'> {
  const dim: Dimension = result.limitedBy;
  const left = result.remaining[dim] ?? 0;
  return {
    ok: false,
    code: target.kind === 'budget' ? 'budget_exceeded' : 'rate_limited',
    budgetId: target.limitId,
    retryAfterSeconds: Math.max(1, Math.ceil((result.resetAt - Date.now()) / 1000)),
    message: `${label(target)} exceeded: ${dim} remaining ${left} in this ${target.spec.window}; resets at ${new Date(result.resetAt).toISOString()}`,
  };
}

function unavailable(target: Target): Omit<Extract<ReserveAllResult, { ok: false }>, 'states'> {
  return {
    ok: false,
    code: 'budget_unavailable',
    budgetId: target.limitId,
    retryAfterSeconds: UNAVAILABLE_RETRY_SECONDS,
    message: `${label(target)} could not be checked and refuses when unavailable`,
  };
}

function label(t: Target): string {
  return `${t.kind === 'budget' ? 'budget' : 'rate limit'} ${t.limitId} for ${t.scopeValue}`;
}
