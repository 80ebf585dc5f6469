// A streamed answer: relayed through the OutputGuard (response rules, budget watch), settled
// when the stream ends, however it ends, with the usage the stream reported or, where it
// reported none (cut short, disconnect, a provider that omits it), the tokenizer's count of the
// output text received.
import { countTokens } from '../../enrich/index';
import { log } from '../log';
import { BudgetWatch, streamAllowance } from './budget-watch';
import { actualAmounts, costOf } from './estimate';
import { conclude, responseJudge, type Exchange } from './exchange';
import { downstreamHeaders } from './headers';
import { OutputGuard, type GuardOptions } from './output-guard';
import { maxTokensOf } from './providers/fields';
import type { StreamReader, Usage } from './providers/types';
import { onErrorInfo } from './record';
import { withPolicyHeaders } from './respond';
import { judgeResponse } from './response-rules';
import { relayStream, type StreamResult } from './stream-relay';
import type { UpstreamDeadline } from './upstream';

export function streamAnswer(ex: Exchange, res: Response, reader: StreamReader, deadline: UpstreamDeadline): Response {
  const { admission } = ex;
  const guard = new OutputGuard({ judge: judgeFor(ex), budget: watchFor(ex) });
  const body = relayStream({
    upstream: res.body!,
    reader,
    guard,
    deadline,
    waitUntil: ex.waitUntil,
    onEnd: (result) => settleStream(ex, result, guard),
  });
  return withPolicyHeaders(new Response(body, { status: res.status, headers: downstreamHeaders(res.headers) }), 'allow', admission.decision.bundle.version);
}

function judgeFor(ex: Exchange): GuardOptions['judge'] {
  const judge = responseJudge(ex);
  if (!judge) return undefined;
  return (text, toolCalls) => judgeResponse(judge, text, { inputTokens: ex.estimate.inputTokens, outputTokens: countTokens(text, ex.model) }, toolCalls);
}

/**
 * A watch when a cost or token budget applies and the output is uncapped (with max tokens set,
 * the reservation already covers the most the stream can use). Its allowance is read while the
 * stream starts.
 */
function watchFor(ex: Exchange): BudgetWatch | undefined {
  const budgets = ex.admission.limits.budgets;
  if (ex.hold.reservations.length === 0 || !budgets.some((b) => b.limit.costUsd !== undefined || b.limit.tokens !== undefined)) return undefined;
  if (maxTokensOf(ex.admission.body, ex.adapter.maxTokensFields) !== undefined) return undefined;
  const watch = new BudgetWatch(ex.estimate.inputTokens, (text) => countTokens(text, ex.model), (usage) => costOf(ex.adapter, ex.model, usage));
  ex.waitUntil(
    streamAllowance(ex.env, budgets, ex.admission.context, ex.estimate)
      .then((allowance) => watch.setAllowance(allowance))
      .catch((e) => log('warn', 'budget_allowance_unavailable', { requestId: ex.requestId, error: String(e) })),
  );
  return watch;
}

async function settleStream(ex: Exchange, r: StreamResult, guard: OutputGuard): Promise<void> {
  try {
    const usage: Usage = {
      inputTokens: r.usage.inputTokens ?? ex.estimate.inputTokens,
      outputTokens: r.usageFinal && r.usage.outputTokens !== undefined ? r.usage.outputTokens : Math.max(r.usage.outputTokens ?? 0, countTokens(r.text, ex.model)),
    };
    const verdict = guard.verdict;
    const tags: Record<string, string> = { stream_end: r.how };
    if (r.stop) tags.stage = r.stop.code === 'budget_exceeded' ? 'stream_budget' : 'response';
    if (verdict?.kind === 'redact') tags.response_redacted = 'true';
    await conclude(ex, {
      outcome: r.stop?.outcome ?? 'allow',
      decision: r.stop?.decision,
      actual: actualAmounts(ex.adapter, ex.model, usage),
      tags,
      error: r.how === 'upstream_error' || r.how === 'timeout' || r.providerError,
      onError: verdict ? onErrorInfo(verdict.decision, verdict.enrichError) : undefined,
    });
  } catch (e) {
    log('error', 'stream_settle_failed', { requestId: ex.requestId, error: e instanceof Error ? e.stack ?? e.message : String(e) });
  }
}
