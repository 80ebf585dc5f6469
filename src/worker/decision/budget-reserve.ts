// `budgets: "reserve"`: hold the estimate in every applying budget and rate limit, atomically per
// counter, as the proxy does before forwarding. The caller runs the request itself and then
// settles the reservations with the real usage (or releases them) through POST /v1/budgets/settle
// | release with the same client key; unsettled holds lapse after the counters' TTL.
import type { Amounts } from '../../durable/amounts';
import { reserveAll } from '../../durable/budgets-client';
import { DEFAULT_RESERVATION_TTL_MS } from '../../durable/budget-types';
import type { BudgetsEnv } from '../../durable/env';
import type { BudgetVerdict } from './budget-verdict';
import type { Limits } from './limits';

export async function reserveBudgets(env: BudgetsEnv, limits: Limits, context: object, estimate: Amounts, requestId: string, keyId: string | undefined): Promise<BudgetVerdict> {
  // Counters take a repeated request id for a retry and hold nothing more; x-request-id comes
  // from the caller, so each evaluation reserves under an id of its own (as budget-hold.ts does).
  const reservationId = `${requestId}~${crypto.randomUUID()}`;
  const result = await reserveAll(env, limits.budgets, limits.rateLimits, context, estimate, reservationId, { keyId });
  if (!result.ok) {
    const { code, budgetId, retryAfterSeconds, message } = result;
    return { refusal: { code, budgetId, retryAfterSeconds, message }, warnings: [] };
  }
  if (result.reservations.length === 0) return { warnings: result.warnings };
  return {
    warnings: result.warnings,
    reservation: { ids: result.reservations.map((r) => r.id), expiresInSeconds: DEFAULT_RESERVATION_TTL_MS / 1000 },
  };
}
