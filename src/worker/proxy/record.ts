// The decision record and version stats of a proxied request, through the worker's one recorder
// (recording/record.ts). `outcome` is what the caller got: allow, deny, needs_approval,
// budget_exceeded, rate_limited ...; the tags say where it was decided and how the upstream call ended.
import type { DecisionErrorInfo } from '../../durable/decision-types';
import type { Decision } from '../../policy/types';
import { log } from '../log';
import { elapsedMs, recordDecision, type RecordEnv } from '../recording/record';
import type { WaitUntil } from '../recording/write-behind';
import { proxyOutcomes } from './metrics';

export { onErrorInfo } from '../recording/on-error';

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
  /** Instead of the Decision's reasons: a budget or rate limit's refusal. */
  reasons?: string[];
  /** Everything the caller was warned of, when more than the Decision's warnings. */
  warnings?: string[];
  /** The upstream call failed (error answer, timeout, broken stream). */
  error?: boolean;
}

export function recordOutcome(env: RecordEnv, waitUntil: WaitUntil, r: ProxyRecord): void {
  proxyOutcomes.inc({ provider: r.provider, outcome: r.outcome });
  recordDecision(env, waitUntil, {
    source: 'proxy',
    decision: r.decision,
    outcome: r.outcome,
    requestId: r.requestId,
    context: r.context,
    role: r.role,
    latencyMs: elapsedMs(r.startedAt),
    estimatedCostUsd: r.estimatedCostUsd,
    actualCostUsd: r.actualCostUsd,
    onError: r.onError,
    tags: r.tags,
    reasons: r.reasons,
    warnings: r.warnings,
    error: r.error === true,
    // A prompt the record cannot copy must not cost the record itself: once more without the prompt.
    fallbackContext: (context) => ({ context: withoutPrompt(context), tag: { prompt: 'omitted' } }),
  });
  if (r.onError) log('warn', 'proxy_on_error', { requestId: r.requestId, mode: r.onError.mode, message: r.onError.message });
}

function withoutPrompt(context: object): object {
  const llm = (context as { llm?: unknown }).llm;
  if (typeof llm !== 'object' || llm === null) return context;
  const { messages: _m, prompt: _p, system: _s, ...rest } = llm as Record<string, unknown>;
  return { ...context, llm: rest };
}
