// A complete (non-streamed) answer: passed through with its status; settled from its `usage`
// (or, without one, from the tokenizer's count of its text); judged by response-stage rules,
// which may replace it with a 403 or redact its text. The answer does not wait for the settle:
// it runs under waitUntil (exchange.ts), and the hold keeps counting the estimate until then.
// With no response rule to judge it, nothing needs the answer before the caller does: its body
// goes down as it arrives, and a copy is read under waitUntil for the settle and the record.
import { countTokens } from '../../enrich/index';
import { providerErrorResponse } from './errors';
import { actualAmounts, NOTHING_USED } from './estimate';
import { conclude, responseJudge, type Exchange } from './exchange';
import { downstreamHeaders } from './headers';
import { redactorFor } from './obligations';
import { parseObject } from './providers/fields';
import { onErrorInfo } from './record';
import { withPolicyHeaders } from './respond';
import { judgeResponse } from './response-rules';
import type { Usage } from './providers/types';
import type { ToolCall } from './tools';
import { upstreamFailure } from './upstream-failure';
import type { UpstreamDeadline } from './upstream';

export async function jsonAnswer(ex: Exchange, res: Response, deadline: UpstreamDeadline): Promise<Response> {
  if (res.body && !responseJudge(ex)) return passThrough(ex, res, res.body, deadline);
  let text: string;
  try {
    text = await res.text();
  } catch (e) {
    return upstreamFailure(ex, deadline.cause, e);
  } finally {
    deadline.stop();
  }
  const { adapter, admission } = ex;
  const version = admission.decision.bundle.version;
  const headers = downstreamHeaders(res.headers);
  const status = String(res.status);
  const answer = res.ok ? parseObject(text) : undefined;

  if (!answer) {
    // An error answer (passed through as the provider sent it) used no model time; a 2xx that
    // is not JSON is unexplained, and keeps its reserved estimate.
    void conclude(ex, { outcome: 'allow', actual: res.ok ? undefined : NOTHING_USED, tags: { upstream_status: status }, error: !res.ok });
    return withPolicyHeaders(new Response(text, { status: res.status, headers }), 'allow', version);
  }

  // Every part of the answer is output the rules read: the text (with refusals) and each tool
  // call's name and arguments, as the stream path counts argument text (issue 14, security 8).
  const toolCalls = adapter.answerToolCalls(answer);
  const output = withToolText(adapter.answerText(answer), toolCalls);
  const usage = adapter.usage(answer) ?? countedUsage(ex, output);
  const actual = actualAmounts(adapter, ex.model, usage);
  let body = text;
  const tags: Record<string, string> = { upstream_status: status };
  let onError: ReturnType<typeof onErrorInfo>;

  const judge = responseJudge(ex);
  if (judge) {
    const verdict = judgeResponse(judge, output, usage, toolCalls);
    onError = onErrorInfo(verdict.decision, verdict.enrichError);
    if (verdict.kind === 'deny') {
      void conclude(ex, { outcome: verdict.decision.decision, decision: verdict.decision, actual, tags: { ...tags, stage: 'response' }, onError });
      return withPolicyHeaders(providerErrorResponse(adapter.provider, 403, verdict.code, verdict.message), verdict.decision.decision, version);
    }
    if (verdict.kind === 'redact') {
      adapter.redactAnswer(answer, redactorFor(verdict.types));
      body = JSON.stringify(answer);
      tags.response_redacted = 'true';
    }
  }
  void conclude(ex, { outcome: 'allow', actual, tags, onError });
  return withPolicyHeaders(new Response(body, { status: res.status, headers }), 'allow', version);
}

// The body is teed: the caller's half is answered at once; the deadline keeps running until the
// copy is read whole, so a provider that stalls mid-body is still cut off (the caller then sees
// its body end in an error, as the headers are already sent) and settled as today's 504 is.
function passThrough(ex: Exchange, res: Response, body: ReadableStream, deadline: UpstreamDeadline): Response {
  const [toCaller, copy] = body.tee();
  ex.waitUntil(settleFromCopy(ex, res.ok, String(res.status), new Response(copy), deadline));
  const headers = downstreamHeaders(res.headers);
  return withPolicyHeaders(new Response(toCaller, { status: res.status, headers }), 'allow', ex.admission.decision.bundle.version);
}

async function settleFromCopy(ex: Exchange, ok: boolean, status: string, copy: Response, deadline: UpstreamDeadline): Promise<void> {
  let text: string;
  try {
    text = await copy.text();
  } catch (e) {
    await upstreamFailure(ex, deadline.cause, e);
    return;
  } finally {
    deadline.stop();
  }
  const answer = ok ? parseObject(text) : undefined;
  if (!answer) {
    // As in jsonAnswer: an error answer used no model time; a 2xx that is not JSON keeps its estimate.
    await conclude(ex, { outcome: 'allow', actual: ok ? undefined : NOTHING_USED, tags: { upstream_status: status }, error: !ok });
    return;
  }
  const { adapter } = ex;
  const usage = adapter.usage(answer) ?? countedUsage(ex, withToolText(adapter.answerText(answer), adapter.answerToolCalls(answer)));
  await conclude(ex, { outcome: 'allow', actual: actualAmounts(adapter, ex.model, usage), tags: { upstream_status: status } });
}

/** Usage for an answer without a `usage` field: the estimate's input, the tokenizer's output. */
function countedUsage(ex: Exchange, output: string): Usage {
  return { inputTokens: ex.estimate.inputTokens, outputTokens: countTokens(output, ex.model) };
}

function withToolText(text: string, calls: readonly ToolCall[]): string {
  if (calls.length === 0) return text;
  const parts = text === '' ? [] : [text];
  for (const c of calls) parts.push(`${c.name ?? ''} ${c.argumentsText}`.trim());
  return parts.join('\n');
}
