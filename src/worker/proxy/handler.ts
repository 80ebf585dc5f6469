// One proxied call, start to end:
//   admit (context, enrichment, bundle, evaluate)  ->  refuse on deny / needs_approval
//   ->  obligations on the body  ->  estimate and reserve budgets  ->  refuse on 429
//   ->  forward to the provider  ->  JSON answer or relayed stream  ->  settle and record
import type { Context, Handler } from 'hono';
import type { AppEnv } from '../app-env';
import { APPROVAL_HEADER } from '../approvals/gate';
import { rawBodyOf } from '../http/read-json';
import { waitUntilOf } from '../http/wait-until';
import { admit, type Admission } from './admit';
import { proxyApproval } from './approval';
import { reserve } from './budget-hold';
import { numberOr } from './content';
import { providerErrorResponse } from './errors';
import { estimateRequest } from './estimate';
import { conclude, type Exchange } from './exchange';
import { forward } from './forward';
import { applyObligations } from './obligations';
import type { EndpointAdapter } from './providers/types';
import { onErrorInfo, recordOutcome } from './record';
import { budgetRefusal, policyRefusal, refusalResponse, withPolicyHeaders, type Refusal } from './respond';
import { providerTarget } from './upstream';
import { withWarnings } from './warnings-header';
import { flushDecisionsNow } from '../recording/decisions';
import { refusalReason } from '../decision/budget-reasons';

export function proxyHandler(adapter: EndpointAdapter): Handler<AppEnv> {
  return async (c) => {
    const startedAt = performance.now();
    let admission = await admit(c, adapter);
    // needs_approval: the approval gate (approvals/steps.ts) refuses with an approval id, or lets
    // a granted retry through as an allow.
    let approvalTags: Record<string, string> = {};
    if (admission.decision.decision === 'needs_approval') {
      const step = await proxyApproval(c.env, c.get('principal'), c.req.header(APPROVAL_HEADER), adapter, admission, c.get('requestId'));
      approvalTags = step.tags;
      if (step.refusal) return refuse(c, adapter, admission, step.refusal, startedAt, step.tags);
      admission = { ...admission, decision: step.granted! };
    }
    const { decision } = admission;
    const version = decision.bundle.version;
    const logFields = c.get('logFields');
    Object.assign(logFields, { provider: adapter.provider, endpoint: adapter.endpoint, decision: decision.decision, bundleVersion: version });

    if (decision.decision !== 'allow') return refuse(c, adapter, admission, policyRefusal(decision, c.get('config').failOpen), startedAt);

    const { body } = admission;
    const applied = applyObligations(adapter, body, decision.obligations);
    const streams = adapter.streams(body);
    const bodyChanged = applied.changed || (streams && adapter.streamRewritesBody?.(body) === true);
    const reader = streams ? adapter.openStream(body) : undefined;
    const target = providerTarget(c.env, adapter.provider);
    if (!target.key) {
      const name = adapter.provider === 'anthropic' ? 'ANTHROPIC_API_KEY' : 'OPENAI_API_KEY';
      const res = providerErrorResponse(adapter.provider, 503, 'misconfigured', `the proxy has no ${name} set for its upstream`, { 'x-should-retry': 'false' });
      return withPolicyHeaders(res, decision.decision, version);
    }

    const principal = c.get('principal');
    const keyId = principal.kind === 'client' ? principal.keyId : undefined;
    const { limits } = admission;
    const counted = limits.budgets.length + limits.rateLimits.length > 0 || admission.facts?.hasResponseRules === true;
    const estimate = estimateRequest(adapter, body, llmOf(admission.context), counted);
    const reserved = await reserve(c.env, {
      ...limits,
      context: admission.context,
      estimate: estimate.amounts,
      requestId: c.get('requestId'),
      keyId,
      streaming: reader !== undefined,
    });
    if (!reserved.ok) {
      Object.assign(logFields, { decision: reserved.code });
      const reasons = [refusalReason(reserved.code, reserved.budgetId), reserved.message];
      return refuse(c, adapter, admission, budgetRefusal(reserved), startedAt, { budget: reserved.budgetId }, reasons);
    }

    const ex: Exchange = {
      adapter,
      admission,
      env: c.env,
      waitUntil: waitUntilOf(c) ?? ((p) => void p.catch(() => undefined)),
      requestId: c.get('requestId'),
      startedAt,
      keyId,
      model: body.model as string,
      estimate,
      hold: reserved.hold,
      rawBody: bodyChanged ? undefined : rawBodyOf(c.req.raw),
      tags: { ...applied.tags, ...approvalTags },
      warnings: [...warningsOf(decision), ...(reserved.warnings ?? [])],
    };
    if (ex.warnings.length > 0) logFields.warnings = ex.warnings.length;
    // Under waitUntil: a caller who goes away mid-call does not stop the settlement. A failure
    // of our own still settles (keeping the estimate) before the error handler answers 500.
    const work = forward(ex, { target: { ...target, key: target.key }, incoming: c.req.raw, extraHeaders: applied.headers, reader }).catch(async (e: unknown) => {
      await conclude(ex, { outcome: 'allow', tags: { upstream: 'proxy_error' }, error: true });
      throw e;
    });
    ex.waitUntil(work.catch(() => undefined));
    return work.then((res) => withWarnings(res, ex.warnings));
  };
}

// A refusal's record is stored before the refusal is answered (the caller waits for the answer
// anyway), so a crash right after cannot lose the record of a deny.
async function refuse(c: Context<AppEnv>, adapter: EndpointAdapter, a: Admission, r: Refusal, startedAt: number, tags: Record<string, string> = {}, reasons?: string[]): Promise<Response> {
  recordOutcome(c.env, waitUntilOf(c) ?? (() => undefined), {
    decision: a.decision,
    outcome: r.outcome,
    requestId: c.get('requestId'),
    provider: adapter.provider,
    context: a.context,
    role: a.role,
    startedAt,
    estimatedCostUsd: numberOr(llmOf(a.context).estimatedCost),
    onError: onErrorInfo(a.decision, a.enrichError),
    tags,
    reasons,
  });
  await flushDecisionsNow(c.env);
  if (a.decision.warnings.length > 0) c.get('logFields').warnings = a.decision.warnings.length;
  return withWarnings(refusalResponse(adapter.provider, r, a.decision.bundle.version), warningsOf(a.decision));
}

function warningsOf(decision: Admission['decision']): string[] {
  return decision.warnings.map((w) => w.message);
}

function llmOf(context: Record<string, unknown>): Record<string, unknown> {
  const llm = context.llm;
  return typeof llm === 'object' && llm !== null ? (llm as Record<string, unknown>) : {};
}
