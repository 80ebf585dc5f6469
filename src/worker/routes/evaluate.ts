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
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { APPROVAL_HEADER } from '../approvals/gate';
import { evaluateApproval } from '../approvals/steps';
import type { FinalDecision } from '../../policy/types';
import type { AppEnv } from '../app-env';
import { NO_POLICY_REASON } from '../decision/bundle-choice';
import type { EvaluateResult } from '../decision/budget-verdict';
import { withPrincipal } from '../decision/context';
import type { Outcome } from '../decision/decide';
import { refusalReason } from '../decision/budget-reasons';
import { estimatedCostOf } from '../decision/estimate';
import { budgetRefusals } from '../evaluate/metrics';
import { evaluateContext, type PipelineInput } from '../evaluate/pipeline';
import { withAgentHeaders } from '../http/agent-headers';
import { onErrorInfo } from '../recording/on-error';
import { recordDecision } from '../recording/record';
import { ApiError, errorBody } from '../http/api-error';
import { readJsonBody } from '../http/read-json';
import { validate } from '../http/validate';
import { waitUntilOf } from '../http/wait-until';
import { evaluateLatency } from '../metrics/index';
import { requireClient } from '../middleware/auth';
import { prefetchBundles } from '../middleware/prefetch-bundles';

export const MAX_BATCH_CONTEXTS = 100;

const shared = { explain: z.boolean().optional(), budgets: z.enum(['check', 'reserve']).optional() };
const evaluateBody = z.strictObject({ context: z.looseObject({}), ...shared });
const batchBody = z.strictObject({ contexts: z.array(z.looseObject({})).min(1), ...shared });

type Options = { explain?: boolean; budgets?: 'check' | 'reserve'; approve?: PipelineInput['approve'] };

export const evaluate = new Hono<AppEnv>();

evaluate.use(prefetchBundles(), requireClient());

evaluate.post('/', async (c) => {
  const started = performance.now();
  const body = validate(evaluateBody, await readJsonBody(c.req.raw, c.get('config').maxBodyBytes));
  // Only a single evaluation files and redeems approvals: a batch has no one request to retry.
  const env = c.env;
  const principal = c.get('principal');
  const presented = c.req.header(APPROVAL_HEADER);
  const approve = (o: Outcome) => evaluateApproval(env, principal, presented, withPrincipal(body.context, principal), o.decision, o.context, c.get('requestId'));
  const [result] = await decideAll(c, [body.context], { ...body, approve }, started, () => c.get('requestId'));
  evaluateLatency.observe((performance.now() - started) / 1000);
  if (result.budget) {
    c.header('retry-after', String(result.budget.retryAfterSeconds));
    c.get('logFields').budget = result.budget.code;
  }
  return respond(c, result, result.decision, [result.bundle.version], { ...result });
});

evaluate.post('/batch', async (c) => {
  const started = performance.now();
  const raw = await readJsonBody(c.req.raw, c.get('config').maxBodyBytes);
  const count = isObject(raw) && Array.isArray(raw.contexts) ? raw.contexts.length : 0;
  if (count > MAX_BATCH_CONTEXTS) {
    throw new ApiError(413, 'payload_too_large', `contexts: at most ${MAX_BATCH_CONTEXTS} per batch, got ${count}`);
  }
  const body = validate(batchBody, raw);
  const requestId = c.get('requestId');
  // Each context has its own `budget.retryAfterSeconds`; one header could not speak for them all.
  const decisions = await decideAll(c, body.contexts, body, started, (i) => `${requestId}.${i}`);
  evaluateLatency.observe((performance.now() - started) / 1000);
  const versions = [...new Set(decisions.map((d) => d.bundle.version))];
  return respond(c, decisions[0], strictest(decisions), versions, { decisions });
});

async function decideAll(c: Context<AppEnv>, contexts: Record<string, unknown>[], opts: Options, started: number, idOf: (i: number) => string): Promise<EvaluateResult[]> {
  const config = c.get('config');
  const principal = c.get('principal');
  const active = await c.get('bundles');
  const env = c.env;
  const keyId = principal.kind === 'client' ? principal.keyId : undefined;
  const waitUntil = waitUntilOf(c) ?? ((p: Promise<unknown>) => void p);
  return Promise.all(
    contexts.map(async (context, i) => {
      const requestId = idOf(i);
      const input = { requestId, keyId, explain: opts.explain, budgets: opts.budgets ?? 'check', failOpen: config.failOpen, approve: opts.approve } as const;
      const e = await evaluateContext(env, active, withPrincipal(withAgentHeaders(context, c.req.raw.headers), principal), input);
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

function respond(c: Context<AppEnv>, first: EvaluateResult | undefined, headline: FinalDecision, versions: string[], body: Record<string, unknown>): Response {
  c.header('x-policy-decision', headline);
  c.header('x-policy-bundle', versions.join(','));
  const line = c.get('logFields');
  line.decision = headline;
  line.bundleVersion = versions.join(',');
  const warned = Array.isArray(body.decisions) ? (body.decisions as EvaluateResult[]).reduce((n, d) => n + d.warnings.length, 0) : (first?.warnings.length ?? 0);
  if (warned > 0) line.warnings = warned;
  const noPolicy = first?.bundle.version === 'none' && !c.get('config').failOpen;
  if (noPolicy) return c.json({ ...body, ...errorBody('no_policy', `${NO_POLICY_REASON}: denying (set FAIL_OPEN=true to allow instead)`) }, 503);
  return c.json(body);
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
