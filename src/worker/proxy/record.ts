// The decision record and version stats of a proxied request, written off the hot path: queued
// in the isolate's write-behind buffers (worker/recording/), flushed within ~50 ms under waitUntil.
// `outcome` is what the caller got: allow, deny, needs_approval, budget_exceeded,
// rate_limited ...; the tags say where it was decided and how the upstream call ended.
import { decisionRecordInput } from '../../durable/decision-input';
import type { DecisionErrorInfo } from '../../durable/decision-types';
import type { DecisionsEnv, VersionStatsEnv } from '../../durable/env';
import type { Decision } from '../../policy/types';
import { NO_BUNDLE } from '../evaluate/decide';
import { log } from '../log';
import { decisionsTotal } from '../metrics/index';
import { recordDecisionLater } from '../recording/decisions';
import { countVersionStatsLater, shadowEvent } from '../recording/version-stats';
import { proxyOutcomes } from './metrics';

export interface ProxyRecord {
  decision: Decision;
  outcome: string;
  requestId: string;
  provider: string;
  context: object;
  role: string;
  startedAt: number;
  estimatedCostUsd?: number;
  actualCostUsd?: number;
  onError?: DecisionErrorInfo;
  tags: Record<string, string>;
  /** The upstream call failed (error answer, timeout, broken stream). */
  error?: boolean;
}

type RecordEnv = DecisionsEnv & VersionStatsEnv;

export function recordOutcome(env: RecordEnv, waitUntil: (p: Promise<unknown>) => void, r: ProxyRecord): void {
  decisionsTotal.inc({ decision: r.decision.decision, bundle: r.role });
  proxyOutcomes.inc({ provider: r.provider, outcome: r.outcome });
  const input = decisionRecordInput(r.decision, {
    requestId: r.requestId,
    source: 'proxy',
    context: r.context,
    outcome: r.outcome,
    latencyMs: Math.round((performance.now() - r.startedAt) * 1000) / 1000,
    estimatedCostUsd: r.estimatedCostUsd,
    actualCostUsd: r.actualCostUsd,
    onError: r.onError,
    tags: r.tags,
  });
  // A prompt the record cannot copy (nesting deeper than structuredClone goes) must not cost
  // the record itself: once more without the prompt.
  recordDecisionLater(env, waitUntil, input, () => ({ ...input, context: withoutPrompt(r.context), tags: { ...input.tags, prompt: 'omitted' } }));
  const version = r.decision.bundle.version;
  if (version !== NO_BUNDLE.version) {
    countVersionStatsLater(env, waitUntil, {
      bundleVersion: version, requestId: r.requestId, outcome: r.outcome, error: r.error, estimatedCostUsd: r.estimatedCostUsd,
      ...shadowEvent(env, r.decision, r.context),
    });
  }
  if (r.onError) log('warn', 'proxy_on_error', { requestId: r.requestId, mode: r.onError.mode, message: r.onError.message });
}

/** What the record says about a failed enrichment or rule evaluation, if anything failed. */
export function onErrorInfo(decision: Decision, enrichError: string | undefined): DecisionErrorInfo | undefined {
  const errors = decision.errors ?? [];
  if (!enrichError && errors.length === 0) return undefined;
  const messages = [...(enrichError ? [enrichError] : []), ...errors.map((e) => `${e.policyId}/${e.ruleId}: ${e.message} (onError: ${e.onError})`)];
  return {
    mode: decision.decision === 'allow' ? 'allow' : 'deny',
    message: messages.join('; '),
    ...(errors.length > 0 ? { rules: errors.map((e) => `${e.policyId}/${e.ruleId}`) } : {}),
  };
}

function withoutPrompt(context: object): object {
  const llm = (context as { llm?: unknown }).llm;
  if (typeof llm !== 'object' || llm === null) return context;
  const { messages: _m, prompt: _p, system: _s, ...rest } = llm as Record<string, unknown>;
  return { ...context, llm: rest };
}
