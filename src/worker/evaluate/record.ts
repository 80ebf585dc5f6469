// The decision record and version stats of an evaluation, queued in the isolate's write-behind
// buffers (worker/recording/) and written within ~50 ms by a flush under waitUntil, so
// recording never adds to the caller's latency nor costs a Durable Object call per request.
// `outcome` is what the caller got: the policy's decision, or the budget code when the budget
// step refused an allowed request; the record keeps the policy's own Decision, so its deciding
// rules stay the ones that matched.
import { decisionRecordInput } from '../../durable/decision-input';
import type { DecisionsEnv, VersionStatsEnv } from '../../durable/env';
import type { Decision } from '../../policy/types';
import { onErrorInfo } from '../proxy/record';
import { recordDecisionLater } from '../recording/decisions';
import { countVersionStatsLater, shadowEvent } from '../recording/version-stats';
import { NO_BUNDLE } from './decide';
import { estimatedCostOf } from './estimate';

export interface EvaluationRecord {
  decision: Decision;
  outcome: string;
  requestId: string;
  context: Record<string, unknown>;
  latencyMs: number;
  /** The budget or rate limit that refused, if one did. */
  budgetId?: string;
  /** More record tags (the approval step's). */
  tags?: Record<string, string>;
}

export function recordEvaluation(env: DecisionsEnv & VersionStatsEnv, waitUntil: (p: Promise<unknown>) => void, r: EvaluationRecord): void {
  const estimatedCostUsd = estimatedCostOf(r.context);
  const input = decisionRecordInput(r.decision, {
    requestId: r.requestId,
    source: 'evaluate',
    context: r.context,
    outcome: r.outcome,
    latencyMs: r.latencyMs,
    estimatedCostUsd,
    onError: onErrorInfo(r.decision, undefined),
    tags: r.budgetId || r.tags ? { ...r.tags, ...(r.budgetId ? { budget: r.budgetId } : {}) } : undefined,
  });
  // A context the record cannot copy (nested deeper than structuredClone goes) must not cost the
  // record itself: once more with only who asked (the record's subject comes from it).
  recordDecisionLater(env, waitUntil, input, () => ({ ...input, context: identityOf(r.context), tags: { ...input.tags, context: 'omitted' } }));
  const version = r.decision.bundle.version;
  if (version === NO_BUNDLE.version) return;
  const error = (r.decision.errors?.length ?? 0) > 0;
  countVersionStatsLater(env, waitUntil, {
    bundleVersion: version, requestId: r.requestId, outcome: r.outcome, error, estimatedCostUsd,
    ...shadowEvent(env, r.decision, r.context),
  });
}

function identityOf(context: Record<string, unknown>): Record<string, unknown> {
  const { user, team, project } = context;
  return { user, team, project };
}
