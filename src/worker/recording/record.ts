// The one recorder of every door (/v1/evaluate, the proxy, MCP): a decision's record and its
// version stats, queued in the isolate's write-behind buffers (decisions.ts, version-stats.ts)
// and written within ~50 ms by a flush under waitUntil, so recording never adds to the caller's
// latency nor costs a Durable Object call per request.
// `outcome` is what the caller got: the policy's decision, or budget_exceeded, rate_limited ...
// when a later step refused an allowed request; the record keeps the policy's own Decision, so
// its deciding rules stay the ones that matched.
import { decisionRecordInput } from '../../durable/decision-input';
import type { DecisionErrorInfo, DecisionRecordInput, DecisionSource } from '../../durable/decision-types';
import type { DecisionsEnv, VersionStatsEnv } from '../../durable/env';
import type { Decision } from '../../policy/types';
import { NO_BUNDLE } from '../decision/bundle-choice';
import { decisionsTotal } from '../metrics/index';
import { recordDecisionLater } from './decisions';
import { countVersionStatsLater, shadowEvent } from './version-stats';
import type { WaitUntil } from './write-behind';

export interface DecisionEvent {
  source: DecisionSource;
  decision: Decision;
  outcome: string;
  requestId: string;
  context: object;
  /** The bundle role (stable, canary, none) for the decisions counter. */
  role: string;
  latencyMs: number;
  estimatedCostUsd?: number;
  actualCostUsd?: number;
  onError?: DecisionErrorInfo;
  tags?: Record<string, string>;
  /** Why a later step refused an allowed request (budget-reasons.ts), instead of the policy's reasons. */
  reasons?: string[];
  /** Everything the caller was warned of, when more than the Decision's warnings. */
  warnings?: string[];
  /** The request failed past the decision (an upstream error); counts as an error in version stats. */
  error?: boolean;
  /** What to store instead when the context cannot be copied (nested deeper than structuredClone goes). */
  fallbackContext?: (context: object) => { context: object; tag: Record<string, string> };
  /** Count in version stats only what the source counts there (default: all). */
  versionStats?: 'full' | 'count';
}

export type RecordEnv = DecisionsEnv & VersionStatsEnv;

export function recordDecision(env: RecordEnv, waitUntil: WaitUntil, e: DecisionEvent): void {
  decisionsTotal.inc({ decision: e.decision.decision, bundle: e.role });
  const input = decisionRecordInput(e.decision, {
    requestId: e.requestId,
    source: e.source,
    context: e.context,
    outcome: e.outcome,
    latencyMs: e.latencyMs,
    estimatedCostUsd: e.estimatedCostUsd,
    actualCostUsd: e.actualCostUsd,
    onError: e.onError,
    tags: e.tags,
    reasons: e.reasons,
    warnings: e.warnings,
  });
  const fallback = e.fallbackContext;
  recordDecisionLater(env, waitUntil, input, fallback ? () => smaller(input, fallback(e.context)) : undefined);
  const version = e.decision.bundle.version;
  if (version === NO_BUNDLE.version) return;
  if (e.versionStats === 'count') {
    countVersionStatsLater(env, waitUntil, { bundleVersion: version, requestId: e.requestId, outcome: e.outcome });
    return;
  }
  const error = e.error ?? (e.decision.errors?.length ?? 0) > 0;
  countVersionStatsLater(env, waitUntil, {
    bundleVersion: version, requestId: e.requestId, outcome: e.outcome, error, estimatedCostUsd: e.estimatedCostUsd,
    ...shadowEvent(env, e.decision, e.context),
  });
}

/** Milliseconds since `startedAt` (performance.now()), to the microsecond. */
export function elapsedMs(startedAt: number): number {
  return Math.round((performance.now() - startedAt) * 1000) / 1000;
}

function smaller(input: DecisionRecordInput, instead: { context: object; tag: Record<string, string> }): DecisionRecordInput {
  return { ...input, context: instead.context, tags: { ...input.tags, ...instead.tag } };
}
