// POST /v1/evaluate {context, explain?, budgets?: "check" | "reserve"} -> Decision (+ budget, reservation)
// POST /v1/evaluate/batch {contexts: [...], explain?, budgets?} -> {decisions: [...]}
//
// With no verified bundle the answer is HTTP 503 whose body is both a Decision (deny, reason
// "no verified policy bundle") and an error `no_policy`: a caller that only reads `allowed` stays
// safe, and one that checks the status sees an outage rather than a policy verdict.
//
// An allowed request that budgets apply to is then checked against them (default) or has its
// estimate reserved (evaluate/budgets.ts); a refusal is a deny with `budget: {code, budgetId,
// retryAfterSeconds}` and a retry-after header, still HTTP 200. Every decision is recorded after
// the answer (evaluate/record.ts).
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { ApprovalsEnv, DurableEnv } from '../../durable/env';
import { APPROVAL_HEADER } from '../approvals/gate';
import { evaluateApproval } from '../approvals/steps';
import type { FinalDecision } from '../../policy/types';
import type { AppEnv } from '../app-env';
import type { EvaluateResult } from '../evaluate/budget-verdict';
import { withPrincipal } from '../evaluate/context';
import { withAgentHeaders } from '../http/agent-headers';
import { NO_POLICY_REASON, type Outcome } from '../evaluate/decide';
import { budgetRefusals } from '../evaluate/metrics';
import { evaluateContext, type PipelineInput } from '../evaluate/pipeline';
import { recordEvaluation } from '../evaluate/record';
import { ApiError, errorBody } from '../http/api-error';
import { readJsonBody } from '../http/read-json';
import { validate } from '../http/validate';
import { waitUntilOf } from '../http/wait-until';
import { decisionsTotal, evaluateLatency } from '../metrics/index';
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
  const env = c.env as unknown as ApprovalsEnv;
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
  // The worker's Env declares the namespaces without their classes; the bindings are these.
  const env = c.env as unknown as DurableEnv;
  const keyId = principal.kind === 'client' ? principal.keyId : undefined;
  const waitUntil = waitUntilOf(c) ?? ((p: Promise<unknown>) => void p);
  return Promise.all(
    contexts.map(async (context, i) => {
      const requestId = idOf(i);
      const input = { requestId, keyId, explain: opts.explain, budgets: opts.budgets ?? 'check', failOpen: config.failOpen, approve: opts.approve } as const;
      const e = await evaluateContext(env, active, withPrincipal(withAgentHeaders(context, c.req.raw.headers), principal), input);
      decisionsTotal.inc({ decision: e.result.decision, bundle: e.role });
      if (e.refusal) budgetRefusals.inc({ code: e.refusal.code });
      const latencyMs = Math.round((performance.now() - started) * 1000) / 1000;
      const outcome = e.refusal?.code ?? e.result.decision;
      recordEvaluation(env, waitUntil, { decision: e.policy, outcome, requestId, context: e.context, latencyMs, budgetId: e.refusal?.budgetId, tags: e.tags });
      return e.result;
    }),
  );
}

function respond(c: Context<AppEnv>, first: EvaluateResult | undefined, headline: FinalDecision, versions: string[], body: Record<string, unknown>): Response {
  c.header('x-policy-decision', headline);
  c.header('x-policy-bundle', versions.join(','));
  Object.assign(c.get('logFields'), { decision: headline, bundleVersion: versions.join(',') });
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

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
