// A complete (non-streamed) answer: passed through with its status; settled from its `usage`
// (or, without one, from the tokenizer's count of its text); judged by response-stage rules,
// which may replace it with a 403 or redact its text. The answer does not wait for the settle:
// it runs under waitUntil (exchange.ts), and the hold keeps counting the estimate until then.
// With no response rule to judge it, nothing needs the answer before the caller does: its body
// goes down as it arrives, and a copy is read under waitUntil for the settle and the record.
import type { Amounts } from '../../durable/amounts';
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
import type { Json, Usage } from './providers/types';
import type { ToolCall } from './tools';
import { upstreamFailure } from './upstream-failure';
import type { UpstreamDeadline } from './upstream';

export async function jsonAnswer(ex: Exchange, res: Response, deadline: UpstreamDeadline): Promise<Response> {
  const judge = responseJudge(ex);
  const headers = downstreamHeaders(res.headers);
  const version = ex.admission.decision.bundle.version;
  const answered = (body: BodyInit | null) => withPolicyHeaders(new Response(body, { status: res.status, headers }), 'allow', version);

  if (res.body && !judge) {
    // The body is teed: the caller's half is answered at once; the deadline keeps running until
    // the copy is read whole, so a provider that stalls mid-body is still cut off (the caller then
    // sees its body end in an error, as the headers are already sent) and settled as a 504 is.
    const [toCaller, copy] = res.body.tee();
    ex.waitUntil(
      readBody(ex, new Response(copy), deadline).then((text) => {
        const read = typeof text === 'string' ? readAnswer(ex, res, text) : undefined;
        if (read) void conclude(ex, { outcome: 'allow', actual: read.actual, tags: read.tags });
      }),
    );
    return answered(toCaller);
  }

  const text = await readBody(ex, res, deadline);
  if (typeof text !== 'string') return text;
  const read = readAnswer(ex, res, text);
  if (!read) return answered(text);
  const { adapter } = ex;
  const { answer, usage, actual, tags } = read;
  let body = text;
  let onError: ReturnType<typeof onErrorInfo>;
  if (judge) {
    // Every part of the answer is output the rules read: the text (with refusals) and each tool
    // call's name and arguments, as the stream path counts argument text (issue 14, security 8).
    const toolCalls = adapter.answerToolCalls(answer);
    const verdict = judgeResponse(judge, withToolText(adapter.answerText(answer), toolCalls), usage, toolCalls);
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
  return answered(body);
}

/** The body as text, or what to answer when reading it failed (timeout, client gone, cut off). */
async function readBody(ex: Exchange, res: Response, deadline: UpstreamDeadline): Promise<string | Response> {
  try {
    return await res.text();
  } catch (e) {
    return upstreamFailure(ex, deadline.cause, e);
  } finally {
    deadline.stop();
  }
}

/**
 * The answer as JSON with its usage (reported, or the tokenizer's count of its output). For an
 * error answer (passed through as the provider sent it: it used no model time) or a 2xx that is
 * not JSON (unexplained: it keeps its reserved estimate), the call is concluded here instead.
 */
function readAnswer(ex: Exchange, res: Response, text: string): { answer: Json; usage: Usage; actual: Amounts; tags: Record<string, string> } | undefined {
  const tags: Record<string, string> = { upstream_status: String(res.status) };
  const answer = res.ok ? parseObject(text) : undefined;
  if (!answer) {
    void conclude(ex, { outcome: 'allow', actual: res.ok ? undefined : NOTHING_USED, tags, error: !res.ok });
    return undefined;
  }
  const { adapter } = ex;
  const usage = adapter.usage(answer) ?? countedUsage(ex, withToolText(adapter.answerText(answer), adapter.answerToolCalls(answer)));
  return { answer, usage, actual: actualAmounts(adapter, ex.model, usage), tags };
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
