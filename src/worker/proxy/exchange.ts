// One proxied call after its request was admitted: what the later steps (forwarding, the answer,
// the stream) share, and `conclude`, which settles the budget hold and records the outcome.
import type { Amounts } from '../../durable/amounts';
import type { DecisionErrorInfo } from '../../durable/decision-types';
import type { Decision } from '../../policy/types';
import type { Admission } from './admit';
import type { BudgetHold } from './budget-hold';
import type { Estimate } from './estimate';
import type { EndpointAdapter } from './providers/types';
import { onErrorInfo, recordOutcome } from './record';
import type { ResponseJudge } from './response-rules';

export interface Exchange {
  adapter: EndpointAdapter;
  admission: Admission;
  env: Env;
  waitUntil: (p: Promise<unknown>) => void;
  requestId: string;
  startedAt: number;
  keyId?: string;
  /** The model the request is forwarded with (after route_model). */
  model: string;
  estimate: Estimate;
  hold: BudgetHold;
  /** The caller's body bytes, when nothing changed the body: forwarded as they are. */
  rawBody?: Uint8Array;
  tags: Record<string, string>;
  /** What the caller was warned of (x-policy-warnings): the policy's warnings and the budgets'. */
  warnings: string[];
}

export interface Conclusion {
  outcome: string;
  /** Usage to settle; absent keeps the reserved estimate as the spend. */
  actual?: Amounts;
  /** The decision to record when not the request's (a response-stage one). */
  decision?: Decision;
  tags?: Record<string, string>;
  error?: boolean;
  onError?: DecisionErrorInfo;
}

/**
 * Settles and records, both under waitUntil: callers answer without waiting. The returned promise
 * resolves when the settlement is written, for the few that must (a failure of our own).
 */
export function conclude(ex: Exchange, c: Conclusion): Promise<void> {
  const settled = ex.hold.settle(c.actual ?? {}, ex.requestId).catch(() => undefined);
  ex.waitUntil(settled.then(() => ex.hold.returnLeasesWhenDue()).catch(() => undefined));
  const a = ex.admission;
  recordOutcome(ex.env, ex.waitUntil, {
    decision: c.decision ? withRequestShadow(c.decision, a.decision) : a.decision,
    outcome: c.outcome,
    requestId: ex.requestId,
    provider: ex.adapter.provider,
    context: a.context,
    role: a.role,
    startedAt: ex.startedAt,
    estimatedCostUsd: ex.estimate.costUsd,
    actualCostUsd: c.actual?.costUsd ?? (c.actual ? undefined : ex.estimate.costUsd),
    onError: c.onError ?? onErrorInfo(a.decision, a.enrichError),
    tags: { ...ex.tags, ...c.tags },
    warnings: ex.warnings,
    error: c.error,
  });
  return settled;
}

/** A response-stage Decision with the request stage's shadow matches before its own (spec §10). */
function withRequestShadow(response: Decision, request: Decision): Decision {
  if (!request.shadow) return response;
  return { ...response, shadow: [...request.shadow, ...(response.shadow ?? [])] };
}

/** What response-stage rules need, when the serving bundle has any. */
export function responseJudge(ex: Exchange): ResponseJudge | undefined {
  const { facts, evaluator, context, enrichment } = ex.admission;
  if (!facts?.hasResponseRules || !evaluator) return undefined;
  return { evaluator, requestContext: context, enrichment, requestId: ex.requestId };
}
