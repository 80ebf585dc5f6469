// POST /v1/evaluate {context, explain?, budgets?: "check" | "reserve"} -> Decision (+ budget, reservation)
// POST /v1/evaluate/batch {contexts: [...], explain?, budgets?} -> {decisions: [...]}
//
// With no verified bundle the answer is HTTP 503 whose body is both a Decision (deny, reason
// "no verified policy bundle") and an error `no_policy`: a caller that only reads `allowed` stays
// safe, and one that checks the status sees an outage rather than a policy verdict.
//
// An allowed request that budgets apply to is then checked against them (default) or has its
// estimate reserved (decision/budgets.ts); a refusal is a deny with `budget: {code, budgetId,
// retryAfterSeconds}` and a retry-after header, still HTTP 200. Every decision is recorded after
// the answer (recording/record.ts).
//
// These handlers take what they need of the HTTP layer as one plain object (EvaluateRequest), so
// the same code answers through the Hono app (routes/evaluate.ts) and through the lean entry
// for POST /v1/evaluate (lean-entry.ts).
import { z } from 'zod';
import type { FinalDecision } from '../../policy/types';
import type { Principal } from '../app-env';
import { APPROVAL_HEADER } from '../approvals/gate';
import { evaluateApproval } from '../approvals/steps';
import type { ActiveBundles } from '../bundle/loader';
import type { Config } from '../config';
import { refusalReason } from '../decision/budget-reasons';
import type { EvaluateResult } from '../decision/budget-verdict';
import { NO_POLICY_REASON } from '../decision/bundle-choice';
import { withPrincipal } from '../decision/context';
import type { Outcome } from '../decision/decide';
import { estimatedCostOf } from '../decision/estimate';
import { withAgentHeaders } from '../http/agent-headers';
import { ApiError, errorBody } from '../http/api-error';
import { readJsonBody } from '../http/read-json';
import { validate } from '../http/validate';
import { evaluateLatency } from '../metrics/index';
import type { AccessLine } from '../middleware/access-line';
import { onErrorInfo } from '../recording/on-error';
import { recordDecision } from '../recording/record';
import { budgetRefusals } from './metrics';
import { evaluateContext, type PipelineInput } from './pipeline';

export const MAX_BATCH_CONTEXTS = 100;

const shared = { explain: z.boolean().optional(), budgets: z.enum(['check', 'reserve']).optional() };
const evaluateBody = z.strictObject({ context: z.looseObject({}), ...shared });
const batchBody = z.strictObject({ contexts: z.array(z.looseObject({})).min(1), ...shared });

type Options = { explain?: boolean; budgets?: 'check' | 'reserve'; approve?: PipelineInput['approve'] };

/** What an evaluation needs of its HTTP request, once middleware (or the lean entry) has run. */
export interface EvaluateRequest {
  env: Env;
  request: Request;
  config: Config;
  principal: Principal;
  requestId: string;
  bundles: Promise<ActiveBundles | undefined>;
  waitUntil: (p: Promise<unknown>) => void;
  /** The request's access log line: the handler adds the decision. */
  line: AccessLine;
}

export async function evaluateOne(r: EvaluateRequest): Promise<Response> {
  const started = performance.now();
  const body = evaluateBodyOf(await readJsonBody(r.request, r.config.maxBodyBytes));
  // Only a single evaluation files and redeems approvals: a batch has no one request to retry.
  const { env, principal } = r;
  const presented = r.request.headers.get(APPROVAL_HEADER) ?? undefined;
  const approve = (o: Outcome) => evaluateApproval(env, principal, presented, withPrincipal(body.context, principal), o.decision, o.context, r.requestId);
  const [result] = await decideAll(r, [body.context], { ...body, approve }, started, () => r.requestId);
  evaluateLatency.observe((performance.now() - started) / 1000);
  const headers: Record<string, string> = {};
  if (result.budget) {
    headers['retry-after'] = String(result.budget.retryAfterSeconds);
    r.line.budget = result.budget.code;
  }
  return respond(r, result, result.decision, [result.bundle.version], result as unknown as Record<string, unknown>, result.warnings.length, headers);
}

export async function evaluateBatch(r: EvaluateRequest): Promise<Response> {
  const started = performance.now();
  const raw = await readJsonBody(r.request, r.config.maxBodyBytes);
  const count = isObject(raw) && Array.isArray(raw.contexts) ? raw.contexts.length : 0;
  if (count > MAX_BATCH_CONTEXTS) {
    throw new ApiError(413, 'payload_too_large', `contexts: at most ${MAX_BATCH_CONTEXTS} per batch, got ${count}`);
  }
  const body = validate(batchBody, raw);
  // Each context has its own `budget.retryAfterSeconds`; one header could not speak for them all.
  const decisions = await decideAll(r, body.contexts, body, started, (i) => `${r.requestId}.${i}`);
  evaluateLatency.observe((performance.now() - started) / 1000);
  const versions = [...new Set(decisions.map((d) => d.bundle.version))];
  const warned = decisions.reduce((n, d) => n + d.warnings.length, 0);
  return respond(r, decisions[0], strictest(decisions), versions, { decisions }, warned, {});
}

/**
 * The single body, validated: a well-formed one is taken as it is (zod's copy of it buys
 * nothing); anything else goes through the schema, whose error names the field.
 */
function evaluateBodyOf(raw: unknown): z.output<typeof evaluateBody> {
  if (isObject(raw) && isObject(raw.context)) {
    let plain = true;
    for (const key in raw) {
      const v = raw[key];
      if (key === 'context') continue;
      if (key === 'explain' ? typeof v === 'boolean' : key === 'budgets' && (v === 'check' || v === 'reserve')) continue;
      plain = false;
      break;
    }
    if (plain) return raw as z.output<typeof evaluateBody>;
  }
  return validate(evaluateBody, raw);
}

async function decideAll(r: EvaluateRequest, contexts: Record<string, unknown>[], opts: Options, started: number, idOf: (i: number) => string): Promise<EvaluateResult[]> {
  const { config, principal, env, waitUntil } = r;
  const active = await r.bundles;
  const keyId = principal.kind === 'client' ? principal.keyId : undefined;
  const headers = r.request.headers;
  return Promise.all(
    contexts.map(async (context, i) => {
      const requestId = idOf(i);
      const input = { requestId, keyId, explain: opts.explain, budgets: opts.budgets ?? 'check', failOpen: config.failOpen, approve: opts.approve } as const;
      const e = await evaluateContext(env, active, withPrincipal(withAgentHeaders(context, headers), principal), input);
      if (e.refusal) budgetRefusals.inc({ code: e.refusal.code });
      const latencyMs = Math.round((performance.now() - started) * 1000) / 1000;
      const budgetId = e.refusal?.budgetId;
      recordDecision(env, waitUntil, {
        source: 'evaluate',
        // The policy's own Decision, so the deciding rules stay the ones that matched; `outcome`
        // says what the caller got (the budget code when the budget step refused).
        decision: e.policy,
        outcome: e.refusal?.code ?? e.result.decision,
        requestId,
        context: e.context,
        role: e.role,
        latencyMs,
        estimatedCostUsd: estimatedCostOf(e.context),
        onError: onErrorInfo(e.policy, e.enrichError),
        reasons: e.refusal ? [refusalReason(e.refusal.code, e.refusal.budgetId), e.refusal.message] : undefined,
        warnings: e.result.warnings.map((w) => w.message),
        tags: budgetId || e.tags ? { ...e.tags, ...(budgetId ? { budget: budgetId } : {}) } : undefined,
        // A context the record cannot copy must not cost the record itself: only who asked.
        fallbackContext: (context) => ({ context: identityOf(context as Record<string, unknown>), tag: { context: 'omitted' } }),
      });
      return e.result;
    }),
  );
}

function respond(
  r: EvaluateRequest,
  first: EvaluateResult | undefined,
  headline: FinalDecision,
  versions: string[],
  body: Record<string, unknown>,
  warned: number,
  headers: Record<string, string>,
): Response {
  const version = versions.join(',');
  headers['x-policy-decision'] = headline;
  headers['x-policy-bundle'] = version;
  headers['content-type'] = 'application/json';
  r.line.decision = headline;
  r.line.bundleVersion = version;
  if (warned > 0) r.line.warnings = warned;
  const noPolicy = first?.bundle.version === 'none' && !r.config.failOpen;
  if (noPolicy) {
    const text = JSON.stringify({ ...body, ...errorBody('no_policy', `${NO_POLICY_REASON}: denying (set FAIL_OPEN=true to allow instead)`) });
    return new Response(text, { status: 503, headers });
  }
  return new Response(JSON.stringify(body), { headers });
}

/** The batch headline: deny if any is deny, else needs_approval if any, else allow. */
function strictest(decisions: EvaluateResult[]): FinalDecision {
  if (decisions.some((d) => d.decision === 'deny')) return 'deny';
  if (decisions.some((d) => d.decision === 'needs_approval')) return 'needs_approval';
  return 'allow';
}

function identityOf(context: Record<string, unknown>): Record<string, unknown> {
  const { user, team, project } = context;
  return { user, team, project };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
