// GET  /v1/budgets/:budgetId/:scopeValue  (admin) -> used / reserved / leased / remaining in the current window
// POST /v1/budgets/settle  {reservationIds | reservations, actual}  -> {ok, results: [...]}
// POST /v1/budgets/release {reservationIds | reservations}          -> {ok, results: [...]}
//
// Settle and release take the ids reserveAll handed out. A client key may settle or release only
// the reservations it made (the counter stores the key id); the admin token may do any.
// The GET reads the limit from the active bundle: counters hold usage, bundles hold limits.
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { releaseAll, settleAll, counterStub } from '../../durable/budgets-client';
import type { BudgetsEnv } from '../../durable/env';
import { parseReservationId, type LimitKind, type Reservation } from '../../durable/reservation-id';
import type { Budget, RateLimit } from '../../policy/types';
import type { AppEnv } from '../app-env';
import { loaderFor } from '../bundle/registry';
import { ApiError } from '../http/api-error';
import { readJsonBody } from '../http/read-json';
import { validate } from '../http/validate';
import { waitUntilOf } from '../http/wait-until';
import { requireAdmin, requireClient } from '../middleware/auth';

const MAX_PER_CALL = 100;

const amount = z.number().finite().nonnegative();
const amounts = z.strictObject({ costUsd: amount.optional(), tokens: amount.optional(), requests: amount.optional() });
const references = {
  reservationIds: z.array(z.string()).min(1).max(MAX_PER_CALL).optional(),
  /** The Reservation objects reserveAll returned; only their `id` counts. */
  reservations: z.array(z.looseObject({ id: z.string() })).min(1).max(MAX_PER_CALL).optional(),
};
const settleBody = z.strictObject({ ...references, actual: amounts });
const releaseBody = z.strictObject(references);

export const budgets = new Hono<AppEnv>();

budgets.post('/settle', requireClient(), async (c) => {
  const body = validate(settleBody, await readJsonBody(c.req.raw, c.get('config').maxBodyBytes));
  const results = await settleAll(durableEnv(c), reservationsOf(body), body.actual, ownerOf(c));
  return c.json({ ok: results.every((r) => r.ok), results });
});

budgets.post('/release', requireClient(), async (c) => {
  const body = validate(releaseBody, await readJsonBody(c.req.raw, c.get('config').maxBodyBytes));
  const results = await releaseAll(durableEnv(c), reservationsOf(body), ownerOf(c));
  return c.json({ ok: results.every((r) => r.ok), results });
});

budgets.get('/:budgetId/:scopeValue', requireAdmin(), async (c) => {
  const budgetId = c.req.param('budgetId');
  const scopeValue = c.req.param('scopeValue');
  const found = await findLimit(c, budgetId);
  if (!found) throw new ApiError(404, 'not_found', `no budget or rate limit ${budgetId} in the active policy bundle`);
  const { kind, limit } = found;
  const state = await counterStub(durableEnv(c), kind, budgetId, scopeValue).state({ window: limit.window, limit: limit.limit });
  return c.json({
    budgetId,
    kind,
    scope: limit.scope,
    scopeValue,
    window: { kind: state.window.kind, start: iso(state.window.start), resetAt: iso(state.window.resetAt) },
    limit: state.limit,
    used: state.used,
    reserved: state.reserved,
    leased: state.leased,
    remaining: state.remaining,
  });
});

/** The stable bundle's definition, else the canary's (a budget new in the canary). */
async function findLimit(c: Context<AppEnv>, id: string): Promise<{ kind: LimitKind; limit: Budget | RateLimit } | undefined> {
  const active = await loaderFor(c.env, c.get('config')).get(waitUntilOf(c));
  for (const loaded of [active?.stable, active?.canary]) {
    for (const policy of loaded?.evaluator.bundle.policies ?? []) {
      const budget = policy.budgets?.find((b) => b.id === id);
      if (budget) return { kind: 'budget', limit: budget };
      const rateLimit = policy.rateLimits?.find((r) => r.id === id);
      if (rateLimit) return { kind: 'rateLimit', limit: rateLimit };
    }
  }
  return undefined;
}

function reservationsOf(body: { reservationIds?: string[]; reservations?: Array<{ id: string }> }): Reservation[] {
  if ((body.reservationIds === undefined) === (body.reservations === undefined)) {
    throw new ApiError(400, 'invalid_request', 'give exactly one of reservationIds and reservations');
  }
  const ids = body.reservationIds ?? body.reservations!.map((r) => r.id);
  return ids.map((id, i) => {
    const parsed = parseReservationId(id);
    if (!parsed) throw new ApiError(400, 'invalid_request', `reservation ${i}: not a reservation id`);
    return parsed;
  });
}

function ownerOf(c: Context<AppEnv>): { keyId?: string } {
  const principal = c.get('principal');
  return principal.kind === 'client' ? { keyId: principal.keyId } : {};
}

// The worker's Env declares the namespaces without their classes; the bindings are these.
function durableEnv(c: Context<AppEnv>): BudgetsEnv {
  return c.env;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
