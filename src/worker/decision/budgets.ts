// The budget step of /v1/evaluate (the proxy holds its budgets in proxy/budget-hold.ts): for an allowed request that budgets (or, when reserving, rate
// limits) apply to, estimate what it will use and check or reserve that. Nothing happens for a
// deny or needs_approval (the request will not run) or when no limit applies.
import type { BudgetsEnv } from '../../durable/env';
import { enrich } from '../../enrich/index';
import { forgetBudgetState } from './budget-cache';
import { checkBudgets } from './budget-check';
import { reserveBudgets } from './budget-reserve';
import type { BudgetsMode, BudgetVerdict } from './budget-verdict';
import type { Outcome } from './decide';
import { estimateOf } from './estimate';
import { applying, isEmpty } from './limits';

export interface Assessed {
  /** The context with the estimate's fields (tokens, cost) filled in. */
  context: Record<string, unknown>;
  verdict?: BudgetVerdict;
}

export async function assessBudgets(env: BudgetsEnv, outcome: Outcome, mode: BudgetsMode, ids: { requestId: string; keyId?: string }): Promise<Assessed> {
  if (outcome.decision.decision !== 'allow') return { context: outcome.context };
  const all = applying(outcome.limits, outcome.context);
  const limits = mode === 'check' ? { budgets: all.budgets, rateLimits: [] } : all;
  if (isEmpty(limits)) return { context: outcome.context };
  // The bundle may observe neither tokens nor cost; the estimate needs both (a field the caller
  // sent, or that evaluation enriched, is kept).
  const context = enrich(outcome.context, { only: ['tokens', 'cost'] });
  const estimate = estimateOf(context);
  if (mode === 'check') return { context, verdict: await checkBudgets(env, limits.budgets, context, estimate, outcome.snapshot) };
  const verdict = await reserveBudgets(env, limits, context, estimate, ids.requestId, ids.keyId);
  // The counters moved: this isolate's next check or condition reads them afresh (budget-cache.ts).
  forgetBudgetState(limits.budgets, context);
  return { context, verdict };
}
